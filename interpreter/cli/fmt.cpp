// roo fmt [--check | --write] FILE...: print, check or rewrite roo files in
// the canonical layout (format_rules, include/roo/tools.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <roo/tools.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

namespace {

constexpr const char* fmt_help = R"(usage: roo fmt [--check | --write] FILE...

Formats roo files in the canonical layout: 2-space indentation in
agreements, aligned settings and rules, lines of at most 100 columns where
possible, every comment kept. Formatting never changes what a file means.

Without an option, prints the formatted text of each file to standard
output ('-' reads standard input).

options:
  --check    print nothing for files already formatted, and 'FILE: not
             formatted' for the others; exit 1 if there is any
  --write    rewrite the files that are not formatted, in place

A file with syntax errors is left untouched: its errors are printed to
standard error.

exit status: 0 on success (with --check: every file is formatted), 1 when a
file has syntax errors (or, with --check, is not formatted), 2 on usage
errors and files that cannot be read.
)";

enum class Mode { print, check, write };

// Replaces the file at `path` by `text`, safely: a symlink is followed to the
// file it names (the link itself stays); the new text goes to a fresh
// temporary file beside that file, created exclusively (mkstemp: O_EXCL, a
// name nobody could plant a link at), given the file's mode, written whole,
// then renamed over it. Returns an error message, or "" on success.
std::string write_in_place(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target = fs::canonical(path, ec);
  if (ec) return ec.message();
  auto perms = fs::status(target, ec).permissions();
  if (ec) return ec.message();
  std::string temp = target.parent_path().string();
  temp += "/.";
  temp += target.filename().string();
  temp += ".roo-fmt.XXXXXX";
  int fd = mkstemp(temp.data());
  if (fd < 0) return fmt::format("cannot create a temporary file beside {}: {}", target.string(), std::strerror(errno));
  auto fail = [&](std::string why) {
    close(fd);
    unlink(temp.c_str());
    return why;
  };
  if (fchmod(fd, static_cast<mode_t>(perms) & 07777) != 0) return fail(std::strerror(errno));
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(fmt::format("cannot write {}: {}", temp, std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail(fmt::format("cannot write {}: {}", temp, std::strerror(errno)));
  if (close(fd) != 0) {
    unlink(temp.c_str());
    return fmt::format("cannot write {}: {}", temp, std::strerror(errno));
  }
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    std::string why = std::strerror(errno);
    unlink(temp.c_str());
    return why;
  }
  return "";
}

}  // namespace

int run_fmt(const std::vector<std::string>& args) {
  std::vector<OptionSpec> specs = {{"help", false}, {"check", false}, {"write", false}};
  std::string error;
  auto parsed = parse_args(args, specs, error);
  if (!parsed) return usage_error("fmt", error);
  if (parsed->has("help")) {
    std::fputs(fmt_help, stdout);
    return exit_ok;
  }
  if (parsed->has("check") && parsed->has("write")) return usage_error("fmt", "--check and --write cannot be used together");
  Mode mode = parsed->has("check") ? Mode::check : parsed->has("write") ? Mode::write : Mode::print;
  if (parsed->positional.empty()) return usage_error("fmt", "no roo file given");
  if (mode == Mode::write)
    for (const auto& path : parsed->positional)
      if (path == "-") return usage_error("fmt", "--write cannot rewrite standard input ('-')");

  int status = exit_ok;
  auto raise = [&](int s) { status = std::max(status, s); };
  for (const auto& path : parsed->positional) {
    std::optional<std::string> source;
    if (path == "-") {
      source = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::string why;
      source = read_rules_source(path, why);
      if (!source) {
        Diagnostic d;
        d.code = "roo-io";
        d.message = fmt::format("cannot read the file: {}", why);
        d.file = path;
        eprint("{}", format_diagnostic(d));
        raise(exit_usage);
        continue;
      }
    }
    FormatResult result = format_rules(*source, path);
    for (const auto& d : result.diagnostics) eprint("{}", format_diagnostic(d));
    if (has_errors(result.diagnostics)) {
      raise(exit_findings);
      continue;
    }
    if (result.meaning_changed) {
      eprint("roo fmt: internal error: the formatted text of {} would not mean the same; left as it is\n",
                 path);
      raise(exit_usage);
      continue;
    }
    const std::string& formatted = result.text;
    switch (mode) {
      case Mode::print:
        std::fwrite(formatted.data(), 1, formatted.size(), stdout);
        break;
      case Mode::check:
        if (formatted != *source) {
          fmt::print("{}: not formatted\n", path);
          raise(exit_findings);
        }
        break;
      case Mode::write:
        if (formatted != *source) {
          std::string why = write_in_place(path, formatted);
          if (!why.empty()) {
            eprint("roo fmt: error: cannot rewrite {}: {}\n", path, why);
            raise(exit_usage);
          }
        }
        break;
    }
  }
  std::fflush(stdout);
  return status;
}

}  // namespace roo::cli
