// roo check FILE...: parse, resolve and check rules files.
#include <cstdio>

#include <fmt/format.h>

#include <roo/roo.hpp>
#include <roo/tools.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

namespace {
constexpr const char* check_help = R"(usage: roo check [--message-format text|json] PATH...

Parses and checks rules: each PATH is a .roo file; or a folder holding an
agreement split over several files, whose entry file main.roo reaches the others
with `include "FILE.roo"` (a .roo file there that nothing includes is a
warning); or a folder without main.roo, whose .roo files and subfolders with a
main.roo are checked one by one. Every error of a file is reported, as
FILE:LINE:COL: error[CODE]: message, with the source line and a caret under the
place.

exit status: 0 when every file is clean, 1 when any has an error, 2 on usage errors.
)";
}  // namespace

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, bool json) {
  for (const auto& d : diagnostics) {
    if (json) fmt::print("{}\n", diagnostic_json(d));
    else fmt::print("{}", format_diagnostic(d));
  }
}

int run_check(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}, {"message-format", true}}, error);
  if (!parsed) return usage_error("check", error);
  if (parsed->has("help")) {
    std::fputs(check_help, stdout);
    return exit_ok;
  }
  bool json = false;
  if (auto f = parsed->get("message-format")) {
    if (*f != "text" && *f != "json") return usage_error("check", fmt::format("--message-format must be text or json, not '{}'", *f));
    json = *f == "json";
  }
  if (parsed->positional.empty()) return usage_error("check", "no rules file given");
  std::vector<std::string> paths;
  for (const auto& given : parsed->positional) {
    auto found = agreement_paths(given);
    if (found.empty()) return usage_error("check", fmt::format("{}: the folder holds no .roo file and no main.roo", given));
    paths.insert(paths.end(), found.begin(), found.end());
  }
  std::size_t failed = 0;
  for (const auto& path : paths) {
    auto diagnostics = check_rules(path);
    print_diagnostics(diagnostics, json);
    if (has_errors(diagnostics)) ++failed;
  }
  std::fflush(stdout);
  if (!json)
    eprint("{} file{} checked: {} clean, {} with errors\n", paths.size(), paths.size() == 1 ? "" : "s",
               paths.size() - failed, failed);
  return failed ? exit_findings : exit_ok;
}

}  // namespace roo::cli
