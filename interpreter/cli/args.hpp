// A small command-line parser: long options with values (--opt V or --opt=V),
// flags, repeated options, and positional arguments. Errors are usage errors
// (exit status 2).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <roo/date.hpp>

namespace roo::cli {

struct OptionSpec {
  std::string name;  // "rules" for --rules
  bool takes_value;
  bool repeatable = false;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> values;  // option -> values (flags: one empty value)
  std::vector<std::string> positional;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  std::vector<std::string> all(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::vector<std::string>{} : it->second;
  }
};

// The --date option (YYYY-MM-DD): nullopt when absent. False, with the reason
// in `error`, when it is not a date.
bool date_option(const ParsedArgs& args, std::optional<Date>& date, std::string& error);

// Returns nullopt and sets `error` on a usage error.
std::optional<ParsedArgs> parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                                     std::string& error);

}  // namespace roo::cli
