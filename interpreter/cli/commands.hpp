// The `roo` subcommands. Each takes its arguments (after the command name) and
// returns the process exit status.
#pragma once

#include <string>
#include <vector>

namespace roo::cli {

// Exit statuses shared by every command.
inline constexpr int exit_ok = 0;        // every input valid / got a result
inline constexpr int exit_findings = 1;  // some input has an error (output still complete)
inline constexpr int exit_usage = 2;     // usage error, or rules that cannot be read

int run_validate(const std::vector<std::string>& args);

// Prints "roo: error: MESSAGE" and a hint to stderr; returns exit_usage.
int usage_error(const std::string& command, const std::string& message);

}  // namespace roo::cli
