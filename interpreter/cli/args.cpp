#include "interpreter/cli/args.hpp"

#include <fmt/format.h>

#include <roo/tools.hpp>

namespace roo::cli {

std::optional<ParsedArgs> parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                                     std::string& error) {
  ParsedArgs out;
  bool only_positional = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_positional || a == "-" || a.rfind("--", 0) != 0) {
      if (!only_positional && a.size() > 1 && a[0] == '-' && a != "-") {
        error = fmt::format("unknown option '{}'", a);
        return std::nullopt;
      }
      out.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = nullptr;
    for (const auto& s : specs)
      if (s.name == name) spec = &s;
    if (!spec) {
      std::vector<std::string_view> names;
      for (const auto& s : specs) names.push_back(s.name);
      auto nearest = nearest_name(name, names);
      error = nearest.empty() ? fmt::format("unknown option '--{}'", name)
                              : fmt::format("unknown option '--{}'; did you mean '--{}'?", name, nearest);
      return std::nullopt;
    }
    if (!spec->repeatable && out.has(name)) {
      error = fmt::format("option '--{}' is given more than once", name);
      return std::nullopt;
    }
    if (spec->takes_value) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          error = fmt::format("option '--{}' needs a value", name);
          return std::nullopt;
        }
        inline_value = args[++i];
      }
      out.values[name].push_back(*inline_value);
    } else {
      if (inline_value) {
        error = fmt::format("option '--{}' takes no value", name);
        return std::nullopt;
      }
      out.values[name].push_back("");
    }
  }
  return out;
}

bool date_option(const ParsedArgs& args, std::optional<Date>& date, std::string& error) {
  auto text = args.get("date");
  if (!text) return true;
  std::string why;
  date = Date::parse(*text, &why);
  if (!date) error = "--date: " + why;
  return date.has_value();
}

}  // namespace roo::cli
