// roo diff --nomenclature FILE OLD NEW: what a change to an agreement does,
// subheading by subheading (diff_rules, include/roo/tools.hpp), printed with
// the old rules (-) and the new ones (+).
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include <roo/tools.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

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
  RuleDiff diff = diff_rules(*old_loaded.agreement, *new_loaded.agreement, *nomenclature, date);
  for (const auto& group : diff.groups) {
    if (group.count == 1)
      fmt::print("{} ({}):\n", group.first, group.description);
    else
      fmt::print("{} to {} ({} subheadings):\n", group.first, group.last, group.count);
    for (const auto& line : group.before) fmt::print("  - {}\n", line);
    for (const auto& line : group.after) fmt::print("  + {}\n", line);
  }
  fmt::print("{} of {} subheadings have different rules\n", diff.changed, diff.compared);
  return diff.changed ? exit_findings : exit_ok;
}

}  // namespace roo::cli
