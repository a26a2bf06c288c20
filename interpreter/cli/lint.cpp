// roo lint --nomenclature FILE RULES...: checks an agreement against a
// nomenclature (lint, include/roo/tools.hpp) and prints the findings: those the
// rules file explains (`explained CODES "why"`) print as notes and do not count.
#include <cstdio>

#include <fmt/format.h>

#include <roo/tools.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

namespace {

constexpr const char* lint_help = R"(usage: roo lint --nomenclature FILE [--date YYYY-MM-DD] RULES...

Checks each agreement (a .roo file or a folder with main.roo) against a
nomenclature CSV with the columns section,hscode,description,parent,level
(for example the HS 2022 nomenclature in data/hs/harmonized-system.csv):
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

  std::size_t total_findings = 0;
  std::vector<std::string> paths;
  for (const auto& given : parsed->positional)
    for (auto& path : agreement_paths(given)) paths.push_back(std::move(path));
  for (const auto& path : paths) {
    auto loaded = Agreement::load(path);
    print_diagnostics(loaded.diagnostics, false);
    if (!loaded.agreement) {
      ++total_findings;
      continue;
    }
    LintReport report = lint(*loaded.agreement, *nomenclature, date);
    for (const auto& f : report.findings) {
      fmt::print("{}: {}[roo-lint]: {}", f.where, severity_name(f.severity), f.message);
      if (!f.explanation.empty()) fmt::print(" (explained: {})", f.explanation);
      fmt::print("\n");
    }
    std::size_t findings = report.unexplained();
    fmt::print("{}: {} finding{}, {} explained\n", report.file, findings, findings == 1 ? "" : "s", report.explained());
    total_findings += findings;
  }
  return total_findings ? exit_findings : exit_ok;
}

}  // namespace roo::cli
