// An HS nomenclature read from a CSV with the columns
// section,hscode,description,parent,level (the HS 2022 file of the shared
// data): what `roo lint` and `roo diff` compare agreements against.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace roo::cli {

struct Nomenclature {
  std::map<std::string, std::string> known;  // chapters, headings and subheadings (2, 4, 6 digits) -> description
  struct Subheading {
    std::string code;  // six digits
    std::string description;
  };
  std::vector<Subheading> subheadings;  // in file order
};

// nullopt, with the reason in `error`, when the file cannot be read or holds
// no six-digit subheading.
std::optional<Nomenclature> read_nomenclature(const std::string& path, std::string& error);

}  // namespace roo::cli
