// lint (roo lint, include/roo/tools.hpp): an agreement against a nomenclature.
// Subheadings no rule covers, codes in the rules the nomenclature does not
// have, rules past their validity. A finding the rules explain (`explained
// CODES "why"`) is a note and does not count.
#include <roo/tools.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "interpreter/core/hs.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

LintReport lint(const Agreement& agreement, const Nomenclature& nomenclature, const Date& date) {
  const Program& p = agreement.program();
  LintReport out;
  // The file of the agreement block, else the entry file.
  if (p.agreement_unit) out.file = p.agreement_unit->name;
  for (const auto& unit : p.units)
    if (out.file.empty() && !unit->is_stdlib) out.file = unit->name;
  auto report = [&](LintFinding::Kind kind, const HsCode& code, std::string where, std::string message) {
    LintFinding f;
    f.kind = kind;
    f.where = std::move(where);
    f.code = code.dotted();
    f.message = std::move(message);
    for (const auto& e : p.agreement.explained)
      if (e.codes.overlaps(code)) {
        f.severity = Severity::note;
        f.explanation = e.text;
        break;
      }
    out.findings.push_back(std::move(f));
  };

  // 1. Subheadings no rule covers on the date.
  for (const auto& s : nomenclature.subheadings) {
    auto code = HsCode::parse(s.code, nullptr, 6);
    if (!code) continue;
    auto candidates = p.candidates(*code);
    bool covered = std::any_of(candidates.begin(), candidates.end(), [&](const Program::Candidate& c) {
      const RuleEntry& e = *c.entry;
      return !(e.valid_from && date < *e.valid_from) && !(e.valid_until && *e.valid_until < date);
    });
    if (!covered)
      report(LintFinding::Kind::uncovered, *code, out.file,
             fmt::format("subheading {} ({}) has no rule in force on {}", code->dotted(), s.description, date.to_string()));
  }
  // 2. Codes in the rules the nomenclature does not have.
  std::set<std::string> reported;
  for (const auto& e : p.rules) {
    for (const auto& item : e.rule->scope.codes) {
      for (const auto* text : {&item.first, &item.last}) {
        if (text->empty()) continue;
        auto code = HsCode::parse(*text, nullptr, 2);
        if (!code || code->length() > 6 || nomenclature.known.count(code->digits()) ||
            !reported.insert(code->digits()).second)
          continue;
        report(LintFinding::Kind::not_in_nomenclature, *code, format_ref(SourceRef{e.unit, item.span}),
               fmt::format("{} {} is not in the nomenclature",
                           code->length() == 2 ? "chapter" : code->length() == 4 ? "heading" : "subheading",
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
    std::optional<HsCode> code;
    if (!e.rule->scope.codes.empty()) code = HsCode::parse(e.rule->scope.codes.front().first, nullptr, 2);
    if (replaced) {
      LintFinding f;
      f.kind = LintFinding::Kind::expired;
      f.severity = Severity::note;
      f.where = std::move(where);
      f.code = code ? code->dotted() : std::string();
      f.message = message + "; a later rule replaces it";
      out.findings.push_back(std::move(f));
    } else if (!e.rule->scope.codes.empty()) {
      report(LintFinding::Kind::expired, code.value_or(HsCode()), std::move(where),
             message + " and no later rule replaces it");
    }
  }
  return out;
}

}  // namespace roo
