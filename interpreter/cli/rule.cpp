// roo rule --rules PATH CODE...: the rule that applies to a product code, in
// legal English, with its source location and citation.
#include <cstdio>

#include <fmt/format.h>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"
#include "interpreter/cli/rule_text.hpp"
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

std::vector<RuleText> rules_for(const Program& program, const HsCode& code, const std::optional<Date>& date, bool nested) {
  auto candidates = program.candidates(code);
  std::erase_if(candidates, [&](const Program::Candidate& c) {
    if (nested && !c.entry->follows.empty()) return true;
    return date && ((c.entry->valid_from && *date < *c.entry->valid_from) || (c.entry->valid_until && *c.entry->valid_until < *date));
  });
  std::vector<RuleText> out;
  for (const auto& c : candidates) {
    if (c.width != candidates.front().width) break;
    const RuleEntry& e = *c.entry;
    RuleText t;
    t.entry = &e;
    t.head = fmt::format("{}: {}", render_scope(e.rule->scope), render_rule(program, e));
    if (e.rule->scope.condition) t.details.push_back("applies when " + render_expr(program, *e.rule->scope.condition));
    if (auto v = validity(e); !v.empty()) t.details.push_back(v);
    if (!e.rule->to.empty()) t.details.push_back(fmt::format("for imports into {}", fmt::join(e.rule->to, ", ")));
    if (e.rule->quota) t.details.emplace_back("within the limits of the applicable quota");
    if (e.rule->note) t.details.push_back("note: " + *e.rule->note);
    for (const auto& followed : e.follows) t.taken.emplace_back(followed, rules_for(program, followed, date, true));
    out.push_back(std::move(t));
  }
  return out;
}

// Prints rules under a code, each with its place in the rules file and its
// citation; a rule_of is followed by the rules it takes, indented under it.
void print_rules(const Program& program, const std::vector<RuleText>& rules, const std::string& indent) {
  for (const auto& t : rules) {
    fmt::print("{}{}\n", indent, t.head);
    for (const auto& d : t.details) fmt::print("{}  {}\n", indent, d);
    fmt::print("{}  source: {}", indent, format_ref(SourceRef{t.entry->unit, t.entry->rule->span}));
    if (auto cite = rule_citation(program, *t.entry); !cite.empty()) fmt::print("; {}", cite);
    fmt::print("\n");
    if (!t.taken.empty())
      fmt::print("{}  (for codes of HS editions after HS {}; a BOM in HS {} uses the annex's codes)\n", indent,
                 program.agreement.hs_edition, program.agreement.hs_edition);
    for (const auto& [followed, taken] : t.taken) {
      fmt::print("{}  the rule of {}:\n", indent, followed.dotted());
      print_rules(program, taken, indent + "    ");
    }
  }
}

}  // namespace

std::vector<RuleText> rules_for(const Program& program, const HsCode& code, const std::optional<Date>& date) {
  return rules_for(program, code, date, false);
}

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
  if (!date_option(*parsed, date, error)) return usage_error("rule", error);
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
    auto rules = rules_for(program, *code, date);
    if (rules.empty()) {
      fmt::print("{}: no rule of {} covers this code\n", code->dotted(), program.agreement.id);
      status = exit_findings;
      continue;
    }
    fmt::print("{} under {}:\n", code->dotted(), program.agreement.id);
    print_rules(program, rules, "  ");
  }
  return status;
}

}  // namespace roo::cli
