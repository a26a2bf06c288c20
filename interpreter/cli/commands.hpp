// The `roo` subcommands. Each takes its arguments (after the command name) and
// returns the process exit status.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <roo/roo.hpp>

namespace roo::cli {

// Exit statuses shared by every command.
inline constexpr int exit_ok = 0;        // every input valid / got a result
inline constexpr int exit_findings = 1;  // some input has an error (output still complete)
inline constexpr int exit_usage = 2;     // usage error, or rules that cannot be read
inline constexpr int exit_output = 3;    // the output could not be written

int run_validate(const std::vector<std::string>& args);
int run_fmt(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
int run_rule(const std::vector<std::string>& args);
int run_determine(const std::vector<std::string>& args);
int run_batch(const std::vector<std::string>& args);
int run_test(const std::vector<std::string>& args);
int run_lint(const std::vector<std::string>& args);
int run_diff(const std::vector<std::string>& args);

// Prints diagnostics to standard output, as text or as JSON Lines.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, bool json);

// A message for people on stderr. Failing to write it changes nothing: the
// exit status stays the command's outcome (its output goes to stdout, whose
// failures are exit_output).
template <typename... T>
void eprint(fmt::format_string<T...> format, T&&... args) noexcept {
  try {
    std::string text = fmt::format(format, std::forward<T>(args)...);
    std::fwrite(text.data(), 1, text.size(), stderr);
  } catch (...) {
  }
}

// Prints "roo: error: MESSAGE" and a hint to stderr; returns exit_usage.
int usage_error(const std::string& command, const std::string& message);

}  // namespace roo::cli
