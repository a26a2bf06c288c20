// roo determine and roo batch: BOMs in, determinations out.
#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <signal.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <roo/roo.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

namespace {

constexpr const char* determine_help = R"(usage: roo determine --rules PATH [--rules PATH ...] [--agreement ID] [--date YYYY-MM-DD]
                     [--to COUNTRY] [--format text|json|markdown] [--explain full|fails|none]
                     [--max-steps N] BOM...

Decides whether each BOM's product is originating under the agreement in PATH
(a .roo file, or a folder with main.roo; a folder without main.roo holds one
agreement per .roo file and per subfolder with main.roo). With several
agreements, each product is determined under each, side by side. BOM files are .json, .jsonl /
.ndjson (one BOM per line) or .csv; '-' reads one JSON BOM from standard input.
Each result is written as it is decided.

  --agreement ID   use only the agreement with this id among those loaded
  --date D         the date the origin is claimed for (default: the BOM's date, else today)
  --to C           the importing party, for direction-specific rules (default: the BOM's destination)
  --format F       text (default), json (one object, or an array for several results), markdown
  --explain E      the explanation tree: full (default), fails (only what did not pass), none
  --max-steps N    the work budget of one product, in evaluation steps (default 500000000):
                   a product past it gets an error result (bom-too-complex)

exit status: 0 when every input got a verdict or an undetermined result, 1 when
any input got an error result (the output is still complete), 2 on usage
errors or rules that cannot be read.
)";

constexpr const char* batch_help = R"(usage: roo batch --rules PATH [--agreement ID] [--date YYYY-MM-DD] [--to COUNTRY]
                 [--explain full|fails|none] [--max-steps N] [--line-buffered]

Reads BOMs as JSON Lines on standard input and writes one determination per
line (JSON, with the input line number in "line") on standard output, in the
same order, in constant memory. A line that cannot be read gets an "error"
result naming the line, and the run goes on; so does a line past the work
budget (--max-steps N evaluation steps, default 500000000: bom-too-complex).
A line of only whitespace is not an input and gets no result; "line" in each
result is the input line it answers. Answers are written as each line is
decided when standard input is a pipe or a socket (or with --line-buffered),
in blocks when it is a file.

exit status: 0 when every line got a verdict or an undetermined result, 1 when
any line got an error result, 2 on usage errors or rules that cannot be read,
3 when the output could not be written.
)";

volatile std::sig_atomic_t interrupted = 0;  // SIGINT during roo batch
constexpr int exit_interrupted = 130;         // as a shell reports a process stopped by SIGINT

struct Common {
  std::vector<Agreement> agreements;
  DetermineOptions options;
};

// Loads the --rules, applies --agreement/--date/--to/--explain. Returns an exit
// status when the command must stop.
std::optional<int> setup(const std::string& command, const ParsedArgs& args, Common& c) {
  auto rules = args.all("rules");
  if (rules.empty()) return usage_error(command, "--rules PATH is required");
  std::string date_error;
  if (!date_option(args, c.options.date, date_error)) return usage_error(command, date_error);
  if (auto to = args.get("to")) c.options.destination = *to;
  if (auto e = args.get("explain")) {
    auto ex = explain_from_name(*e);
    if (!ex) return usage_error(command, fmt::format("--explain must be full, fails or none, not '{}'", *e));
    c.options.explain = *ex;
  }
  if (auto steps = args.get("max-steps")) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(steps->data(), steps->data() + steps->size(), n);
    if (ec != std::errc() || end != steps->data() + steps->size() || n == 0)
      return usage_error(command, fmt::format("--max-steps must be a positive whole number, not '{}'", *steps));
    c.options.max_steps = n;
  }
  for (const auto& given : rules) {
    auto paths = agreement_paths(given);
    if (paths.empty())
      return usage_error(command, fmt::format("--rules {}: the folder holds no agreement (no main.roo, no .roo file)", given));
    for (const auto& path : paths) {
      auto loaded = Agreement::load(path);
      if (!loaded.agreement) {
        for (const auto& d : loaded.diagnostics) eprint("{}", format_diagnostic(d));
        eprint("roo {}: error: the rules in {} cannot be used\n", command, path);
        return exit_usage;
      }
      // Warnings (a file of the agreement's folder that nothing includes) are
      // worth seeing before the answers that rely on the rules.
      for (const auto& d : loaded.diagnostics) eprint("{}", format_diagnostic(d));
      c.agreements.push_back(std::move(*loaded.agreement));
    }
  }
  if (!c.options.destination.empty() &&
      std::none_of(c.agreements.begin(), c.agreements.end(),
                   [&](const Agreement& a) { return a.is_party(c.options.destination); }))
    return usage_error(command, fmt::format("--to {}: not a party of {}", c.options.destination,
                                            c.agreements.size() == 1 ? c.agreements.front().id() : "any of the agreements given"));
  if (auto id = args.get("agreement")) {
    std::erase_if(c.agreements, [&](const Agreement& a) { return a.id() != *id; });
    if (c.agreements.empty()) return usage_error(command, fmt::format("no agreement '{}' among the --rules given", *id));
  }
  return std::nullopt;
}

}  // namespace

int run_determine(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args,
                           {{"help", false}, {"rules", true, true}, {"agreement", true}, {"date", true}, {"to", true},
                            {"format", true}, {"explain", true}, {"max-steps", true}},
                           error);
  if (!parsed) return usage_error("determine", error);
  if (parsed->has("help")) {
    std::fputs(determine_help, stdout);
    return exit_ok;
  }
  std::string format_name = parsed->get("format").value_or("text");
  auto format = format_from_name(format_name);
  if (!format)
    return usage_error("determine", fmt::format("--format must be text, json or markdown, not '{}'", format_name));
  if (parsed->positional.empty()) return usage_error("determine", "no BOM file given");
  Common c;
  if (auto stop = setup("determine", *parsed, c)) return *stop;

  // Each result is written as it is decided (memory stays flat however many
  // lines a JSON Lines file has). In JSON, one result prints as an object and
  // several as an array: the first is held until a second one says which.
  bool any_error = false;
  std::size_t count = 0;
  std::string first;
  auto write = [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    // Nobody reads the results any more: stop (main reports it, exit 3).
    if (std::ferror(stdout)) throw std::runtime_error("the output could not be written");
  };
  for (const auto& path : parsed->positional) {
    read_bom_file(path, {}, [&](BomInput&& input) {
      for (const auto& agreement : c.agreements) {
        Determination d = agreement.determine(input, c.options);
        if (d.status == Status::error) any_error = true;
        std::string out = render(d, *format, c.options.explain);
        if (*format != Format::json) {
          if (count) write("\n");
          write(out);
        } else if (count == 0) {
          first = std::move(out);
        } else {
          if (count == 1) {
            write("[\n");
            write(first);
            first = std::string();
          }
          write(",\n");
          write(out);
        }
        ++count;
      }
    });
  }
  if (*format == Format::json) {
    if (count == 1) {
      write(first);
      write("\n");
    } else {
      if (count == 0) write("[");
      write("\n]\n");
    }
  }
  return any_error ? exit_findings : exit_ok;
}

int run_batch(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args,
                           {{"help", false}, {"rules", true, true}, {"agreement", true}, {"date", true}, {"to", true},
                            {"explain", true}, {"max-steps", true}, {"line-buffered", false}},
                           error);
  if (!parsed) return usage_error("batch", error);
  if (parsed->has("help")) {
    std::fputs(batch_help, stdout);
    return exit_ok;
  }
  if (!parsed->positional.empty()) return usage_error("batch", "batch reads JSON Lines from standard input; it takes no files");
  Common c;
  if (auto stop = setup("batch", *parsed, c)) return *stop;
  bool any_error = false;
  std::string out;
  std::ios::sync_with_stdio(false);
  // Ctrl-C (SIGINT) stops at a line boundary: the answers of the lines read so
  // far are written whole, and the status is 130. The handler only sets a flag;
  // without SA_RESTART a blocked read returns, so the stop is prompt.
  interrupted = 0;
  struct sigaction on_interrupt {};
  on_interrupt.sa_handler = [](int) { interrupted = 1; };
  sigemptyset(&on_interrupt.sa_mask);
  sigaction(SIGINT, &on_interrupt, nullptr);
  struct stat input_stat {};
  bool line_buffered = parsed->has("line-buffered") || fstat(0, &input_stat) != 0 || !S_ISREG(input_stat.st_mode);
  read_boms(std::cin, BomReadOptions{BomFormat::json_lines, "<stdin>", {}}, [&](BomInput&& input) {
    if (interrupted) return;
    if (input.product_id.empty()) input.name = fmt::format("line {}", *input.line);
    for (const auto& agreement : c.agreements) {
      Determination d = agreement.determine(input, c.options);
      if (d.status == Status::error) any_error = true;
      out += render(d, Format::json, c.options.explain);
      out += '\n';
    }
    // Answers are written in blocks, or line by line when a client may be
    // waiting for each (input from a pipe or a socket, or --line-buffered).
    if (line_buffered || out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
      if (line_buffered) std::fflush(stdout);
      // Nobody reads the answers any more: stop (main reports it, exit 3).
      if (std::ferror(stdout)) throw std::runtime_error("the output could not be written");
    }
  });
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (interrupted) {
    std::fflush(stdout);
    std::fputs("roo batch: interrupted; the answers of the lines read so far are complete\n", stderr);
    return exit_interrupted;
  }
  return any_error ? exit_findings : exit_ok;
}

}  // namespace roo::cli
