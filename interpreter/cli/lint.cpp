// roo lint --nomenclature FILE RULES...: checks an agreement against a
// nomenclature (a CSV of section,hscode,description,parent,level such as the
// HS 2022 file of the shared data): subheadings no rule covers, codes in the
// rules the nomenclature does not have, rules past their validity. A finding
// the rules file explains (`explained CODES "why"`) prints as a note and does
// not count.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <fmt/format.h>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"
#include "interpreter/cli/nomenclature.hpp"
#include "interpreter/lang/program.hpp"

namespace roo::cli {

namespace {

constexpr const char* lint_help = R"(usage: roo lint --nomenclature FILE [--date YYYY-MM-DD] RULES...

Checks each agreement (a .roo file or a folder with main.roo) against a
nomenclature CSV with the columns section,hscode,description,parent,level
(for example the HS 2022 nomenclature in ../shared/data/hs/harmonized-system.csv):
  - six-digit subheadings of the nomenclature that no rule covers,
  - chapters, headings and subheadings named by the rules that the
    nomenclature does not have,
  - rules whose validity ended before the date (default today) and that no
    later rule for the same codes replaces.
A finding the agreement explains with `explained CODES "why"` prints as a
note and does not count. The rules must also pass `roo check`.

exit status: 0 when there is no unexplained finding, 1 when there is one (or
the rules have errors), 2 on usage errors or an unreadable nomenclature.
)";

}  // namespace

int run_lint(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}, {"nomenclature", true}, {"date", true}}, error);
  if (!parsed) return usage_error("lint", error);
  if (parsed->has("help")) {
    std::fputs(lint_help, stdout);
    return exit_ok;
  }
  auto nomenclature_path = parsed->get("nomenclature");
  if (!nomenclature_path) return usage_error("lint", "--nomenclature FILE is required");
  if (parsed->positional.empty()) return usage_error("lint", "no rules given");
  Date date = Date::today();
  std::optional<Date> given;
  if (!date_option(*parsed, given, error)) return usage_error("lint", error);
  if (given) date = *given;
  std::string why;
  auto nomenclature = read_nomenclature(*nomenclature_path, why);
  if (!nomenclature) return usage_error("lint", why);
  const auto& known = nomenclature->known;
  const auto& subheadings = nomenclature->subheadings;

  std::size_t total_findings = 0;
  for (const auto& path : parsed->positional) {
    auto loaded = load_program(path);
    print_diagnostics(loaded.diagnostics, false);
    if (!loaded.program) {
      ++total_findings;
      continue;
    }
    const Program& p = *loaded.program;
    std::size_t findings = 0, notes = 0;
    auto explanation = [&](const HsCode& code) -> const std::string* {
      for (const auto& e : p.agreement.explained)
        if (e.codes.overlaps(code)) return &e.text;
      return nullptr;
    };
    auto report = [&](const HsCode& code, const std::string& where, const std::string& message) {
      if (const std::string* why_explained = explanation(code)) {
        ++notes;
        fmt::print("{}: note[roo-lint]: {} (explained: {})\n", where, message, *why_explained);
      } else {
        ++findings;
        fmt::print("{}: warning[roo-lint]: {}\n", where, message);
      }
    };
    std::string file = p.agreement_unit ? p.agreement_unit->name : path;

    // 1. Subheadings no rule covers on the date.
    for (const auto& s : subheadings) {
      auto code = HsCode::parse(s.code, nullptr, 6);
      if (!code) continue;
      auto candidates = p.candidates(*code);
      bool covered = std::any_of(candidates.begin(), candidates.end(), [&](const Program::Candidate& c) {
        const RuleEntry& e = *c.entry;
        return !(e.valid_from && date < *e.valid_from) && !(e.valid_until && *e.valid_until < date);
      });
      if (!covered)
        report(*code, file, fmt::format("subheading {} ({}) has no rule in force on {}", code->dotted(), s.description, date.to_string()));
    }
    // 2. Codes in the rules the nomenclature does not have.
    std::set<std::string> reported;
    for (const auto& e : p.rules) {
      for (const auto& item : e.rule->scope.codes) {
        for (const auto* text : {&item.first, &item.last}) {
          if (text->empty()) continue;
          auto code = HsCode::parse(*text, nullptr, 2);
          if (!code || code->length() > 6 || known.count(code->digits()) || !reported.insert(code->digits()).second) continue;
          report(*code, format_ref(SourceRef{e.unit, item.span}),
                 fmt::format("{} {} is not in the nomenclature", code->length() == 2 ? "chapter" : code->length() == 4 ? "heading" : "subheading",
                             code->dotted()));
        }
      }
    }
    // 3. Rules past their validity that no later rule replaces.
    for (const auto& e : p.rules) {
      if (!e.valid_until || !(*e.valid_until < date)) continue;
      bool replaced = std::any_of(p.rules.begin(), p.rules.end(), [&](const RuleEntry& other) {
        if (!other.valid_from || !(*e.valid_until < *other.valid_from)) return false;
        for (const auto& a : e.items)
          for (const auto& b : other.items)
            if (a.interval.low == b.interval.low && a.interval.high == b.interval.high) return true;
        return false;
      });
      std::string where = format_ref(SourceRef{e.unit, e.rule->span});
      std::string message = fmt::format("the rule ended on {}", e.valid_until->to_string());
      if (replaced) {
        ++notes;
        fmt::print("{}: note[roo-lint]: {}; a later rule replaces it\n", where, message);
      } else if (!e.rule->scope.codes.empty()) {
        auto code = HsCode::parse(e.rule->scope.codes.front().first, nullptr, 2);
        report(code.value_or(HsCode()), where, message + " and no later rule replaces it");
      }
    }
    fmt::print("{}: {} finding{}, {} explained\n", file, findings, findings == 1 ? "" : "s", notes);
    total_findings += findings;
  }
  return total_findings ? exit_findings : exit_ok;
}

}  // namespace roo::cli
