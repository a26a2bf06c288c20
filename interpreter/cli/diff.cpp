// roo diff --nomenclature FILE OLD NEW: what a change to an agreement does,
// subheading by subheading: every six-digit code of the nomenclature whose
// rules (their wording, conditions, validity, direction, and for a rule_of the
// rules it takes) differ between two versions of the rules.
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"
#include "interpreter/cli/nomenclature.hpp"
#include "interpreter/api/rule_lookup.hpp"
#include "interpreter/core/hs.hpp"

namespace roo::cli {

namespace {

constexpr const char* diff_help = R"(usage: roo diff --nomenclature FILE [--date YYYY-MM-DD] OLD NEW

Compares two versions of an agreement (each a .roo file or a folder with
main.roo) code by code: for every six-digit subheading of the nomenclature
(a CSV with the columns section,hscode,description,parent,level, such as
data/hs/harmonized-system.csv), the rules that apply to it, worded
as `roo rule` prints them with their conditions, validity and direction.
Subheadings whose rules differ are printed with the old rules (-) and the
new ones (+); where lines are the same, only the codes are compared, not the
places in the files. --date compares only the rules in force on that date.

exit status: 0 when no subheading's rules differ, 1 when some do, 2 on usage
errors, an unreadable nomenclature, or rules that cannot be read.
)";

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

int run_diff(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}, {"nomenclature", true}, {"date", true}}, error);
  if (!parsed) return usage_error("diff", error);
  if (parsed->has("help")) {
    std::fputs(diff_help, stdout);
    return exit_ok;
  }
  auto nomenclature_path = parsed->get("nomenclature");
  if (!nomenclature_path) return usage_error("diff", "--nomenclature FILE is required");
  if (parsed->positional.size() != 2) return usage_error("diff", "give the old and the new rules (two paths)");
  std::optional<Date> date;
  if (!date_option(*parsed, date, error)) return usage_error("diff", error);
  auto nomenclature = read_nomenclature(*nomenclature_path, error);
  if (!nomenclature) return usage_error("diff", error);
  auto old_loaded = Agreement::load(parsed->positional[0]);
  auto new_loaded = Agreement::load(parsed->positional[1]);
  if (!old_loaded.agreement || !new_loaded.agreement) {
    print_diagnostics(old_loaded.diagnostics, false);
    print_diagnostics(new_loaded.diagnostics, false);
    return exit_usage;
  }
  const Agreement& before = *old_loaded.agreement;
  const Agreement& after = *new_loaded.agreement;

  // Neighbouring subheadings with the same change are printed once, as a range.
  struct Group {
    std::string first, last, description;
    std::size_t count = 0;
    std::vector<std::string> was, now;
  };
  std::optional<Group> group;
  auto print_group = [&] {
    if (!group) return;
    if (group->count == 1)
      fmt::print("{} ({}):\n", group->first, group->description);
    else
      fmt::print("{} to {} ({} subheadings):\n", group->first, group->last, group->count);
    for (const auto& line : group->was) fmt::print("  - {}\n", line);
    for (const auto& line : group->now) fmt::print("  + {}\n", line);
    group.reset();
  };
  std::size_t changed = 0, compared = 0;
  for (const auto& s : nomenclature->subheadings) {
    auto code = HsCode::parse(s.code, nullptr, 6);
    if (!code) continue;  // 99.99.99 and the like: not a code of the HS
    ++compared;
    std::vector<std::string> was, now;
    flatten(before.rule(code->dotted(), date).rules, "", was);
    flatten(after.rule(code->dotted(), date).rules, "", now);
    if (was == now) {
      print_group();
      continue;
    }
    ++changed;
    if (group && group->was == was && group->now == now) {
      group->last = code->dotted();
      ++group->count;
      continue;
    }
    print_group();
    group = Group{code->dotted(), code->dotted(), s.description, 1, std::move(was), std::move(now)};
  }
  print_group();
  fmt::print("{} of {} subheadings have different rules\n", changed, compared);
  return changed ? exit_findings : exit_ok;
}

}  // namespace roo::cli
