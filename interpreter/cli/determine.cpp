// roo determine and roo batch: BOMs in, determinations out.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/eval/output.hpp"

namespace roo::cli {

namespace {

constexpr const char* determine_help = R"(usage: roo determine --rules PATH [--rules PATH ...] [--agreement ID] [--date YYYY-MM-DD]
                     [--to COUNTRY] [--format text|json|markdown] [--explain full|fails|none] BOM...

Decides whether each BOM's product is originating under the agreement in PATH
(a .roo file, or a folder with main.roo). With several --rules, each product is
determined under each agreement, side by side. BOM files are .json, .jsonl /
.ndjson (one BOM per line) or .csv; '-' reads one JSON BOM from standard input.

  --agreement ID   use only the agreement with this id among those loaded
  --date D         the date the origin is claimed for (default: the BOM's date, else today)
  --to C           the importing party, for direction-specific rules (default: the BOM's destination)
  --format F       text (default), json (one object, or an array for several results), markdown
  --explain E      the explanation tree: full (default), fails (only what did not pass), none

exit status: 0 when every input got a verdict or an undetermined result, 1 when
any input got an error result (the output is still complete), 2 on usage
errors or rules that cannot be read.
)";

constexpr const char* batch_help = R"(usage: roo batch --rules PATH [--agreement ID] [--date YYYY-MM-DD] [--to COUNTRY]
                 [--explain full|fails|none]

Reads BOMs as JSON Lines on standard input and writes one determination per
line (JSON, with the input line number in "line") on standard output, in the
same order, in constant memory. A line that cannot be read gets an "error"
result naming the line, and the run goes on.

exit status: 0 when every line got a verdict or an undetermined result, 1 when
any line got an error result, 2 on usage errors or rules that cannot be read.
)";

struct Common {
  std::vector<std::unique_ptr<Program>> programs;
  DetermineOptions options;
};

std::optional<Explain> explain_from(const std::string& s) {
  if (s == "full") return Explain::full;
  if (s == "fails") return Explain::fails;
  if (s == "none") return Explain::none;
  return std::nullopt;
}

// Loads the --rules, applies --agreement/--date/--to/--explain. Returns an exit
// status when the command must stop.
std::optional<int> setup(const std::string& command, const ParsedArgs& args, Common& c) {
  auto rules = args.all("rules");
  if (rules.empty()) return usage_error(command, "--rules PATH is required");
  std::string date_error;
  if (!date_option(args, c.options.date, date_error)) return usage_error(command, date_error);
  if (auto to = args.get("to")) c.options.destination = *to;
  if (auto e = args.get("explain")) {
    auto ex = explain_from(*e);
    if (!ex) return usage_error(command, fmt::format("--explain must be full, fails or none, not '{}'", *e));
    c.options.explain = *ex;
  }
  for (const auto& path : rules) {
    auto loaded = load_program(path);
    if (!loaded.program) {
      for (const auto& d : loaded.diagnostics) fmt::print(stderr, "{}", format_diagnostic(d));
      fmt::print(stderr, "roo {}: error: the rules in {} cannot be used\n", command, path);
      return exit_usage;
    }
    c.programs.push_back(std::move(loaded.program));
  }
  if (auto id = args.get("agreement")) {
    std::erase_if(c.programs, [&](const auto& p) { return p->agreement.id != *id; });
    if (c.programs.empty()) return usage_error(command, fmt::format("no agreement '{}' among the --rules given", *id));
  }
  return std::nullopt;
}

// A determination for one read BOM: its verdict (with the reader's warnings
// among its messages), or an error result naming the defects.
Determination determination_for(const Program& program, const BomReadResult& r, const std::string& fallback_name,
                                const DetermineOptions& options) {
  if (!r.bom) return error_determination(program, fallback_name, r.diagnostics);
  Determination d = determine(program, *r.bom, options);
  for (const auto& diag : r.diagnostics)
    d.messages.push_back(Message{diag.severity, diag.code,
                                 fmt::format("{}:{}:{}: {}{}", diag.file, diag.line, diag.column, diag.message,
                                             diag.pointer.empty() ? "" : " (at " + diag.pointer + ")")});
  return d;
}

std::string product_label(const BomReadResult& r, const std::string& fallback) {
  if (r.bom && !r.bom->product.id.empty()) return r.bom->product.id;
  return fallback;
}

}  // namespace

int run_determine(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args,
                           {{"help", false}, {"rules", true, true}, {"agreement", true}, {"date", true}, {"to", true},
                            {"format", true}, {"explain", true}},
                           error);
  if (!parsed) return usage_error("determine", error);
  if (parsed->has("help")) {
    std::fputs(determine_help, stdout);
    return exit_ok;
  }
  std::string format = parsed->get("format").value_or("text");
  if (format != "text" && format != "json" && format != "markdown")
    return usage_error("determine", fmt::format("--format must be text, json or markdown, not '{}'", format));
  if (parsed->positional.empty()) return usage_error("determine", "no BOM file given");
  Common c;
  if (auto stop = setup("determine", *parsed, c)) return *stop;

  std::vector<std::string> outputs;
  bool any_error = false;
  auto emit = [&](Determination d) {
    if (d.status == Status::error) any_error = true;
    if (format == "json") outputs.push_back(to_json(d, c.options.explain));
    else if (format == "markdown") outputs.push_back(to_markdown(d, c.options.explain));
    else outputs.push_back(to_text(d, c.options.explain));
  };
  auto handle = [&](BomReadResult&& r, const std::string& fallback_name, std::optional<std::uint32_t> line) {
    for (const auto& program : c.programs) {
      Determination d = determination_for(*program, r, product_label(r, fallback_name), c.options);
      d.line = line;
      emit(std::move(d));
    }
  };
  // A file that cannot be read still gets its one (error) result.
  auto unreadable = [&](const std::string& path, std::string message) {
    Diagnostic d;
    d.code = "bom-io";
    d.file = path;
    d.message = std::move(message);
    handle(BomReadResult{std::nullopt, {d}}, path, std::nullopt);
  };
  for (const auto& path : parsed->positional) {
    std::optional<BomFileKind> kind = path == "-" ? BomFileKind::json : bom_file_kind(path);
    if (!kind) {
      unreadable(path, "unknown kind of file; expected a name ending in .json, .jsonl, .ndjson or .csv");
      continue;
    }
    if (*kind == BomFileKind::json_lines) {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        unreadable(path, "cannot read the file: no such file, or not readable");
        continue;
      }
      read_bom_json_lines(in, path, [&](std::uint32_t line, BomReadResult&& r) {
        handle(std::move(r), fmt::format("{}:{}", path, line), line);
      });
      continue;
    }
    std::optional<std::string> text;
    std::string why;
    if (path == "-") text = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    else text = read_file(path, max_bom_bytes, why);
    if (!text) {
      unreadable(path, "cannot read the file: " + why);
      continue;
    }
    handle(*kind == BomFileKind::csv ? read_bom_csv(*text, path) : read_bom_json(*text, path), path, std::nullopt);
  }
  if (format == "json") {
    if (outputs.size() == 1) fmt::print("{}\n", outputs.front());
    else {
      fmt::print("[");
      for (std::size_t i = 0; i < outputs.size(); ++i) fmt::print("{}{}", i ? ",\n" : "\n", outputs[i]);
      fmt::print("\n]\n");
    }
  } else {
    for (std::size_t i = 0; i < outputs.size(); ++i) fmt::print("{}{}", i ? "\n" : "", outputs[i]);
  }
  return any_error ? exit_findings : exit_ok;
}

int run_batch(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args,
                           {{"help", false}, {"rules", true, true}, {"agreement", true}, {"date", true}, {"to", true},
                            {"explain", true}},
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
  read_bom_json_lines(std::cin, "<stdin>", [&](std::uint32_t line, BomReadResult&& r) {
    for (const auto& program : c.programs) {
      Determination d = determination_for(*program, r, product_label(r, fmt::format("line {}", line)), c.options);
      d.line = line;
      if (d.status == Status::error) any_error = true;
      out += to_json(d, c.options.explain);
      out += '\n';
    }
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  });
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return any_error ? exit_findings : exit_ok;
}

}  // namespace roo::cli
