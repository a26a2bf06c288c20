// roo rule --rules PATH CODE...: the rule that applies to a product code, in
// legal English, with its source location and citation.
#include <cstdio>

#include <fmt/format.h>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"
#include "interpreter/lang/program.hpp"
#include "interpreter/lang/render.hpp"

namespace roo::cli {

namespace {
constexpr const char* rule_help = R"(usage: roo rule --rules PATH [--date YYYY-MM-DD] CODE...

Prints the product-specific rule that applies to each HS code (4 to 10
digits) under the agreement in PATH, worded as in the annex, with the place
in the rules file and the citation. Where several rules share the most
specific scope (an 'ex' rule and the residual rule, or rules with different
validity dates), each is printed with what decides between them. --date
keeps only the rules in force on that date.

exit status: 0 when every code has a rule, 1 when one has none or is not a
valid code, 2 on usage errors or rules that cannot be read.
)";

std::string validity(const RuleEntry& e) {
  if (e.valid_from && e.valid_until) return fmt::format("valid from {} until {}", e.valid_from->to_string(), e.valid_until->to_string());
  if (e.valid_from) return fmt::format("valid from {}", e.valid_from->to_string());
  if (e.valid_until) return fmt::format("valid until {}", e.valid_until->to_string());
  return {};
}

}  // namespace

int run_rule(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}, {"rules", true}, {"date", true}}, error);
  if (!parsed) return usage_error("rule", error);
  if (parsed->has("help")) {
    std::fputs(rule_help, stdout);
    return exit_ok;
  }
  auto rules_path = parsed->get("rules");
  if (!rules_path) return usage_error("rule", "--rules PATH is required");
  if (parsed->positional.empty()) return usage_error("rule", "no HS code given");
  std::optional<Date> date;
  if (auto d = parsed->get("date")) {
    std::string why;
    date = Date::parse(*d, &why);
    if (!date) return usage_error("rule", "--date: " + why);
  }
  auto loaded = load_program(*rules_path);
  if (!loaded.program) {
    print_diagnostics(loaded.diagnostics, false);
    return exit_usage;
  }
  const Program& program = *loaded.program;
  int status = exit_ok;
  for (const auto& text : parsed->positional) {
    std::string why;
    auto code = HsCode::parse(text, &why, 4);
    if (!code) {
      fmt::print("{}: {}\n", text, why);
      status = exit_findings;
      continue;
    }
    auto candidates = program.candidates(*code);
    if (date) {
      std::erase_if(candidates, [&](const Program::Candidate& c) {
        return (c.entry->valid_from && *date < *c.entry->valid_from) || (c.entry->valid_until && *c.entry->valid_until < *date);
      });
    }
    if (candidates.empty()) {
      fmt::print("{}: no rule of {} covers this code\n", code->dotted(), program.agreement.id);
      status = exit_findings;
      continue;
    }
    std::uint64_t narrowest = candidates.front().width;
    fmt::print("{} under {}:\n", code->dotted(), program.agreement.id);
    for (const auto& c : candidates) {
      if (c.width != narrowest) break;
      const RuleEntry& e = *c.entry;
      fmt::print("  {}: {}\n", render_scope(e.rule->scope), render_rule(program, e));
      if (e.rule->scope.condition) fmt::print("    applies when {}\n", render_expr(program, *e.rule->scope.condition));
      if (auto v = validity(e); !v.empty()) fmt::print("    {}\n", v);
      if (!e.rule->to.empty()) {
        std::string to;
        for (const auto& t : e.rule->to) to += (to.empty() ? "" : ", ") + t;
        fmt::print("    for imports into {}\n", to);
      }
      if (e.rule->quota) fmt::print("    within the limits of the applicable quota\n");
      if (e.rule->note) fmt::print("    note: {}\n", *e.rule->note);
      fmt::print("    source: {}", format_ref(SourceRef{e.unit, e.rule->span}));
      if (auto cite = rule_citation(program, e); !cite.empty()) fmt::print("; {}", cite);
      fmt::print("\n");
    }
  }
  return status;
}

}  // namespace roo::cli
