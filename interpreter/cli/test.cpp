// roo test PATH...: runs the test cases written beside the rules (*.test.json
// files, found recursively; the format and the runner: include/roo/tools.hpp)
// and prints each failure with what differs, then "N passed, M failed".
#include <cstdio>

#include <fmt/format.h>

#include <roo/tools.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

namespace {

constexpr const char* test_help = R"(usage: roo test [--allow-outside] PATH...

Runs every *.test.json file found under each PATH (a file or a folder): each
case determines a BOM under the rules the file names and compares the status,
origin criterion, country of origin, figures and message codes with the
expected ones. Prints each failure with what differs, then "N passed, M failed".

A case reads rules and BOM files only under the PATHs given and the current
folder; --allow-outside lifts that.

exit status: 0 when every case passes, 1 when any fails or no case is found,
2 on usage errors.
)";

}  // namespace

int run_test(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}, {"allow-outside", false}}, error);
  if (!parsed) return usage_error("test", error);
  if (parsed->has("help")) {
    std::fputs(test_help, stdout);
    return exit_ok;
  }
  if (parsed->positional.empty()) return usage_error("test", "no path given");
  auto files = find_test_files(parsed->positional, error);
  if (!files) return usage_error("test", error);
  // Cases read only under the PATHs given and the current folder: a test file
  // from elsewhere must not make roo read (and print) any file it names.
  std::vector<std::string> allowed;
  if (!parsed->has("allow-outside")) {
    allowed = parsed->positional;
    allowed.emplace_back(".");
  }
  TestRun run = run_test_files(*files, allowed);
  for (const auto& c : run.cases) {
    for (const auto& d : c.rules_diagnostics) fmt::print("{}", format_diagnostic(d));
    if (c.passed) continue;
    fmt::print("FAIL {}: {}\n", c.file, c.name);
    for (const auto& line : c.differences) fmt::print("  {}\n", line);
  }
  fmt::print("{} passed, {} failed\n", run.passed(), run.failed());
  if (run.cases.empty()) {
    eprint("roo test: no test case found\n");
    return exit_findings;
  }
  return run.failed() ? exit_findings : exit_ok;
}

}  // namespace roo::cli
