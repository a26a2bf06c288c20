// The HS nomenclature of roo lint and roo diff (include/roo/tools.hpp): a CSV
// with the columns section,hscode,description,parent,level.
#include <roo/tools.hpp>

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "interpreter/core/file_io.hpp"

namespace roo {

namespace {

// The fields of one CSV record; quotes may contain commas and doubled quotes.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

std::optional<Nomenclature> read_nomenclature(const std::string& path, std::string& error) {
  std::string why;
  auto csv = read_file(path, 64u << 20, why);
  if (!csv) {
    error = fmt::format("cannot read {}: {}", path, why);
    return std::nullopt;
  }
  return parse_nomenclature(*csv, path, error);
}

std::optional<Nomenclature> parse_nomenclature(std::string_view csv, std::string_view name, std::string& error) {
  Nomenclature out;
  std::size_t start = 0;
  bool header = true;
  while (start < csv.size()) {
    std::size_t end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(start, end - start);
    start = end + 1;
    if (header) {
      header = false;
      continue;
    }
    auto f = csv_fields(line);
    if (f.size() < 5) continue;
    const std::string& code = f[1];
    if (code.size() != 2 && code.size() != 4 && code.size() != 6) continue;
    if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.known[code] = f[2];
    if (code.size() == 6) out.subheadings.push_back({code, f[2]});
  }
  if (out.subheadings.empty()) {
    error = fmt::format("{} holds no six-digit subheadings", name);
    return std::nullopt;
  }
  return out;
}

}  // namespace roo
