// roo rule --rules PATH CODE...: the rule that applies to a product code, in
// legal English, with its source location and citation; or as roo-rule/1 JSON.
#include <cstdio>

#include <fmt/format.h>

#include <roo/roo.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

namespace {
constexpr const char* rule_help = R"(usage: roo rule --rules PATH [--date YYYY-MM-DD] [--format text|json] CODE...

Prints the product-specific rule that applies to each HS code (4 to 10
digits) under the agreement in PATH, worded as in the annex, with the place
in the rules file and the citation. Where several rules share the most
specific scope (an 'ex' rule and the residual rule, or rules with different
validity dates), each is printed with what decides between them. --date
keeps only the rules in force on that date.

  --format F   text (default), or json: one roo-rule/1 document per code, one
               per line (docs/rule-format.md)

exit status: 0 when every code has a rule, 1 when one has none or is not a
valid code, 2 on usage errors or rules that cannot be read.
)";
}  // namespace

int run_rule(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}, {"rules", true}, {"date", true}, {"format", true}}, error);
  if (!parsed) return usage_error("rule", error);
  if (parsed->has("help")) {
    std::fputs(rule_help, stdout);
    return exit_ok;
  }
  auto rules_path = parsed->get("rules");
  if (!rules_path) return usage_error("rule", "--rules PATH is required");
  std::string format_name = parsed->get("format").value_or("text");
  auto format = format_from_name(format_name);
  if (!format || *format == Format::markdown)
    return usage_error("rule", fmt::format("--format must be text or json, not '{}'", format_name));
  if (parsed->positional.empty()) return usage_error("rule", "no HS code given");
  std::optional<Date> date;
  if (!date_option(*parsed, date, error)) return usage_error("rule", error);
  auto loaded = Agreement::load(*rules_path);
  if (!loaded.agreement) {
    print_diagnostics(loaded.diagnostics, false);
    return exit_usage;
  }
  int status = exit_ok;
  for (const auto& code : parsed->positional) {
    RuleLookup lookup = loaded.agreement->rule(code, date);
    if (!lookup.ok()) status = exit_findings;
    std::string out = render(lookup, *format);
    if (*format == Format::json) out += '\n';
    fmt::print("{}", out);
  }
  return status;
}

}  // namespace roo::cli
