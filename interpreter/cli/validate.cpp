// roo validate FILE...: check BOM files and print every defect with its place.
#include <fmt/format.h>

#include <cstdio>

#include <roo/roo.hpp>

#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"

namespace roo::cli {

int usage_error(const std::string& command, const std::string& message) {
  eprint("roo{}{}: error: {}\n", command.empty() ? "" : " ", command, message);
  eprint("try 'roo {}--help'\n", command.empty() ? "" : command + " ");
  return exit_usage;
}

namespace {

constexpr const char* validate_help = R"(usage: roo validate [OPTIONS] FILE...

Checks BOM files against the roo-bom/1 format and prints every defect as
  FILE:LINE:COL: error[CODE]: message (at /json/pointer)
with the source line. The kind of file comes from its extension: .json (one
BOM), .jsonl or .ndjson (one BOM per line), .csv (a flat BOM). '-' reads one
JSON BOM from standard input.

options:
  --message-format text|json   diagnostics as text (default) or one JSON object per line
  --quiet                      print only errors (no warnings, no summary)
  --hs CODE, --id ID, --description TEXT, --currency CUR, --produced-in CC,
  --destination CC, --ex-works N, --fob N, --transaction-value N,
  --adjusted-value N, --net-cost N, --total-cost N, --weight-kg N, --date D
                               product fields for CSV files (override the
                               file's '# product:' line)

exit status: 0 when every file is valid (warnings allowed), 1 when any file
has an error, 2 on usage errors.
)";

const std::vector<std::pair<std::string, std::string>> product_options = {
    {"hs", "hs"},
    {"id", "id"},
    {"description", "description"},
    {"currency", "currency"},
    {"produced-in", "produced_in"},
    {"destination", "destination"},
    {"ex-works", "ex_works"},
    {"fob", "fob"},
    {"transaction-value", "transaction_value"},
    {"adjusted-value", "adjusted_value"},
    {"net-cost", "net_cost"},
    {"total-cost", "total_cost"},
    {"weight-kg", "weight_kg"},
    {"date", "date"},
};

struct Printer {
  bool json = false;
  bool quiet = false;
  std::size_t errors = 0;
  std::size_t warnings = 0;

  void print(const std::vector<Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics) {
      if (d.severity == Severity::error)
        ++errors;
      else
        ++warnings;
      if (quiet && d.severity != Severity::error) continue;
      if (json)
        fmt::print("{}\n", diagnostic_json(d));
      else
        fmt::print("{}", format_diagnostic(d));
    }
  }
};

}  // namespace

int run_validate(const std::vector<std::string>& args) {
  std::vector<OptionSpec> specs = {{"help", false}, {"message-format", true}, {"quiet", false}};
  for (const auto& [opt, field] : product_options) specs.push_back({opt, true});
  std::string error;
  auto parsed = parse_args(args, specs, error);
  if (!parsed) return usage_error("validate", error);
  if (parsed->has("help")) {
    std::fputs(validate_help, stdout);
    return exit_ok;
  }
  Printer printer;
  if (auto fmt_opt = parsed->get("message-format")) {
    if (*fmt_opt != "text" && *fmt_opt != "json")
      return usage_error("validate", fmt::format("--message-format must be text or json, not '{}'", *fmt_opt));
    printer.json = *fmt_opt == "json";
  }
  printer.quiet = parsed->has("quiet");
  if (parsed->positional.empty()) return usage_error("validate", "no BOM file given");
  ProductFields overrides;
  for (const auto& [opt, field] : product_options)
    if (auto v = parsed->get(opt)) overrides.emplace_back(field, *v);

  std::size_t files = 0, invalid_files = 0, boms = 0;
  for (const auto& path : parsed->positional) {
    ++files;
    std::size_t errors_before = printer.errors;
    read_bom_file(path, overrides, [&](BomInput&& input) {
      bool unreadable = !input.ok() && !input.diagnostics.empty() && input.diagnostics.front().code == "bom-io";
      if (!unreadable) ++boms;
      printer.print(input.diagnostics);
    });
    if (printer.errors > errors_before) ++invalid_files;
  }
  std::fflush(stdout);
  if (!printer.quiet && !printer.json)
    eprint("{} file{} checked ({} BOM{}): {} valid, {} with errors; {} error{}, {} warning{}\n", files,
               files == 1 ? "" : "s", boms, boms == 1 ? "" : "s", files - invalid_files, invalid_files, printer.errors,
               printer.errors == 1 ? "" : "s", printer.warnings, printer.warnings == 1 ? "" : "s");
  return invalid_files > 0 ? exit_findings : exit_ok;
}

}  // namespace roo::cli
