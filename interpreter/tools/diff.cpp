// diff_rules (roo diff, include/roo/tools.hpp): what a change to an agreement
// does, subheading by subheading: every six-digit code of the nomenclature
// whose rules (their wording, conditions, validity, direction, and for a
// rule_of the rules it takes) differ between two versions of the rules.
#include <roo/tools.hpp>

#include <fmt/format.h>

#include "interpreter/api/rule_lookup.hpp"
#include "interpreter/core/hs.hpp"

namespace roo {

namespace {

// The wording that decides whether two versions differ (no file positions).
void flatten(const std::vector<RuleInfo>& rules, const std::string& indent, std::vector<std::string>& out) {
  for (const auto& r : rules) {
    out.push_back(indent + rule_head(r));
    for (const auto& d : rule_details(r)) out.push_back(indent + "  " + d);
    for (const auto& t : r.taken) {
      out.push_back(fmt::format("{}  the rule of {}:", indent, t.code));
      flatten(t.rules, indent + "    ", out);
      if (t.rules.empty()) out.push_back(indent + "    (no rule)");
    }
  }
  if (rules.empty() && indent.empty()) out.emplace_back("(no rule)");
}

}  // namespace

RuleDiff diff_rules(const Agreement& before, const Agreement& after, const Nomenclature& nomenclature,
                    const std::optional<Date>& date) {
  RuleDiff out;
  // Neighbouring subheadings with the same change make one group, as a range;
  // `open` says whether the last group may still grow.
  bool open = false;
  for (const auto& s : nomenclature.subheadings) {
    auto code = HsCode::parse(s.code, nullptr, 6);
    if (!code) continue;  // 99.99.99 and the like: not a code of the HS
    ++out.compared;
    std::vector<std::string> was, now;
    flatten(before.rule(code->dotted(), date).rules, "", was);
    flatten(after.rule(code->dotted(), date).rules, "", now);
    if (was == now) {
      open = false;
      continue;
    }
    ++out.changed;
    if (open && out.groups.back().before == was && out.groups.back().after == now) {
      out.groups.back().last = code->dotted();
      ++out.groups.back().count;
      continue;
    }
    out.groups.push_back(RuleDiffGroup{code->dotted(), code->dotted(), s.description, 1, std::move(was), std::move(now)});
    open = true;
  }
  return out;
}

}  // namespace roo
