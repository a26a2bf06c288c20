// The `roo` command: a thin layer over the engine library.
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "interpreter/cli/commands.hpp"

namespace {

constexpr const char* help_text = R"(roo - rules of origin: a language and an interpreter

usage: roo COMMAND [OPTIONS] [ARGS]

commands:
  validate FILE...     check BOM files (.json, .jsonl, .csv) against roo-bom/1
                       and print every defect with its place
  check PATH...        parse and check rules files (.roo, or a folder with main.roo)
  fmt [--check|--write] FILE...
                       print rules files in the canonical layout
  rule --rules PATH CODE...
                       print the rule that applies to an HS code, in legal English
  determine --rules PATH BOM...
                       decide whether products are originating, and explain why
  batch --rules PATH   JSON Lines BOMs on stdin, one JSON determination per line on stdout
  test PATH...         run the *.test.json cases written beside the rules
  lint --nomenclature FILE RULES...
                       codes no rule covers, codes the nomenclature lacks, expired rules
  diff --nomenclature FILE OLD NEW
                       the subheadings whose rules differ between two versions of an agreement

options for every command:
  --help               show help
  --version            print the version

exit status (every command):
  0  every input is valid / got a verdict or an undetermined result
  1  some input has an error (every input is still reported)
  2  usage error (unknown command or option, missing argument), or rules
     that cannot be read
  3  the output could not be written (disk full, output closed)

See README.md for the BOM format and examples.
)";

}  // namespace

namespace {

int run(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(help_text, args.empty() ? stderr : stdout);
    return args.empty() ? roo::cli::exit_usage : roo::cli::exit_ok;
  }
  if (args[0] == "--version" || args[0] == "version") {
    fmt::print("roo {}\n", ROO_VERSION);
    return roo::cli::exit_ok;
  }
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "validate") return roo::cli::run_validate(rest);
  if (command == "check") return roo::cli::run_check(rest);
  if (command == "fmt") return roo::cli::run_fmt(rest);
  if (command == "rule") return roo::cli::run_rule(rest);
  if (command == "determine") return roo::cli::run_determine(rest);
  if (command == "batch") return roo::cli::run_batch(rest);
  if (command == "test") return roo::cli::run_test(rest);
  if (command == "lint") return roo::cli::run_lint(rest);
  if (command == "diff") return roo::cli::run_diff(rest);
  return roo::cli::usage_error("", fmt::format("unknown command '{}'", command));
}

// Standard output could not be written (a full disk, /dev/full, a closed
// descriptor, a reader that went away): said on stderr with plain stdio,
// which cannot throw; the output is incomplete, and the exit status says so.
int output_failed() {
  std::fputs("roo: error: the output could not be written (disk full, or the output was closed)\n", stderr);
  return roo::cli::exit_output;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int status;
  try {
    status = run(args);
  } catch (const std::exception& e) {
    // Writing to a full or closed stream throws in fmt::print.
    if (std::ferror(stdout)) return output_failed();
    // Never abort: an unexpected failure is reported and exits non-zero. No
    // handler may throw (stderr may be full too).
    std::fputs("roo: internal error: ", stderr);
    std::fputs(e.what(), stderr);
    std::fputs("\n", stderr);
    return roo::cli::exit_usage;
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return output_failed();
  return status;
}
