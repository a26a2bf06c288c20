// roo test PATH...: runs the test cases written beside the rules
// (*.test.json files, found recursively).
//
// A test file:
//   { "rules": "../rules/uk-eu-tca.roo",        // relative to the test file
//     "date": "2026-01-01", "to": "EU",         // defaults for the cases (optional)
//     "cases": [
//       { "name": "motor, CTH met",
//         "bom": { ...roo-bom/1... }  or  "bom_file": "motor.bom.json",
//         "date": "...", "to": "...",           // optional, override the defaults
//         "expect": { "status": "originating", "origin_criterion": "C",
//                     "country_of_origin": null,
//                     "figures": { "nom_percent": "16.50", "tolerance_used": null },
//                     "messages": ["roo-no-processes"] } } ] }
// A file may also be a single case (the case's fields at the top level).
#include <cstdio>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/cli/args.hpp"
#include "interpreter/cli/commands.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/json/json.hpp"

namespace roo::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* test_help = R"(usage: roo test PATH...

Runs every *.test.json file found under each PATH (a file or a folder): each
case determines a BOM under the rules the file names and compares the status,
origin criterion, country of origin, figures and message codes with the
expected ones. Prints each failure with what differs, then "N passed, M failed".

exit status: 0 when every case passes, 1 when any fails or no case is found,
2 on usage errors.
)";

struct Runner {
  std::map<std::string, std::unique_ptr<Program>> programs;
  std::map<std::string, std::vector<Diagnostic>> program_errors;
  std::size_t passed = 0;
  std::size_t failed = 0;

  const Program* program(const std::string& path, std::string& why) {
    auto key = fs::weakly_canonical(path).string();
    if (auto it = programs.find(key); it != programs.end()) return it->second.get();
    if (auto it = program_errors.find(key); it != program_errors.end()) {
      why = "the rules have errors";
      return nullptr;
    }
    auto loaded = load_program(path);
    if (!loaded.program) {
      for (const auto& d : loaded.diagnostics) fmt::print("{}", format_diagnostic(d));
      program_errors[key] = loaded.diagnostics;
      why = "the rules have errors";
      return nullptr;
    }
    const Program* p = loaded.program.get();
    programs[key] = std::move(loaded.program);
    return p;
  }

  static const json::Value* member(const json::Value& obj, std::string_view key) {
    return obj.is(json::Type::object) ? obj.find(key) : nullptr;
  }
  static std::optional<std::string> text(const json::Value* v) {
    if (v && (v->is(json::Type::string) || v->is(json::Type::number))) return v->text;
    return std::nullopt;
  }

  void fail(const std::string& file, const std::string& name, const std::vector<std::string>& lines) {
    ++failed;
    fmt::print("FAIL {}: {}\n", file, name);
    for (const auto& l : lines) fmt::print("  {}\n", l);
  }

  static std::string shown(const std::optional<std::string>& v) { return v ? fmt::format("\"{}\"", *v) : "null"; }

  void run_case(const std::string& file, const std::string& source, const json::Value& c, const json::Value& top,
                std::size_t index) {
    std::string name = text(member(c, "name")).value_or(fmt::format("case {}", index + 1));
    auto rules = text(member(c, "rules"));
    if (!rules) rules = text(member(top, "rules"));
    if (!rules) return fail(file, name, {"no \"rules\": name the rules file the case runs against"});
    fs::path dir = fs::path(file).parent_path();
    std::string why;
    const Program* program = this->program((dir / *rules).string(), why);
    if (!program) return fail(file, name, {fmt::format("cannot use the rules {}: {}", *rules, why)});

    DetermineOptions options;
    options.explain = Explain::none;
    auto date = text(member(c, "date"));
    if (!date) date = text(member(top, "date"));
    if (date) {
      options.date = Date::parse(*date, &why);
      if (!options.date) return fail(file, name, {"\"date\": " + why});
    }
    auto to = text(member(c, "to"));
    if (!to) to = text(member(top, "to"));
    if (to) options.destination = *to;

    BomReadResult bom;
    if (const json::Value* b = member(c, "bom")) {
      std::uint32_t line = locate(source, b->offset).line;
      // Re-read the BOM from its own text so its diagnostics point into the test file.
      std::size_t line_start = source.rfind('\n', b->offset);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      std::string indent(b->offset - line_start, ' ');  // keeps the columns of the first line right
      bom = read_bom_json(indent + source.substr(b->offset, b->end - b->offset), file, line);
    } else if (auto bom_file = text(member(c, "bom_file"))) {
      std::string path = (dir / *bom_file).string();
      auto content = read_file(path, max_bom_bytes, why);
      if (!content) return fail(file, name, {fmt::format("cannot read {}: {}", *bom_file, why)});
      bom = bom_format_for_path(path) == BomFormat::csv ? read_bom_csv(*content, path) : read_bom_json(*content, path);
    } else {
      return fail(file, name, {"no \"bom\" or \"bom_file\""});
    }
    Determination d = bom.bom ? determine(*program, *bom.bom, options) : error_determination(*program, name, bom.diagnostics);

    const json::Value* expect = member(c, "expect");
    if (!expect) return fail(file, name, {"no \"expect\""});
    std::vector<std::string> diffs;
    auto compare = [&](std::string_view field, const std::optional<std::string>& got) {
      const json::Value* want = member(*expect, field);
      if (!want) return;
      std::optional<std::string> w = want->is(json::Type::null_value) ? std::nullopt : text(want);
      if (w != got) diffs.push_back(fmt::format("{}: expected {}, got {}", field, shown(w), shown(got)));
    };
    compare("status", std::string(status_name(d.status)));
    compare("origin_criterion", d.origin_criterion);
    compare("country_of_origin", d.country_of_origin);
    if (const json::Value* figures = member(*expect, "figures")) {
      const auto& f = d.figures;
      std::map<std::string, std::optional<std::string>> got = {
          {"basis", f.basis},       {"basis_value", figure_text(f.basis_value)},         {"vnm", figure_text(f.vnm)},
          {"vom", figure_text(f.vom)},           {"nom_percent", figure_text(f.nom_percent)},         {"rvc_percent", figure_text(f.rvc_percent)},
          {"tolerance_limit", figure_text(f.tolerance_limit)}, {"tolerance_used", figure_text(f.tolerance_used)}};
      for (std::size_t i = 0; i < figures->keys.size(); ++i) {
        auto it = got.find(figures->keys[i]);
        if (it == got.end()) {
          diffs.push_back(fmt::format("figures.{}: not a figure of the determination", figures->keys[i]));
          continue;
        }
        const json::Value& want = figures->items[i];
        std::optional<std::string> w = want.is(json::Type::null_value) ? std::nullopt : text(&want);
        if (w != it->second)
          diffs.push_back(fmt::format("figures.{}: expected {}, got {}", figures->keys[i], shown(w), shown(it->second)));
      }
    }
    if (const json::Value* messages = member(*expect, "messages")) {
      for (const auto& m : messages->items) {
        bool found = std::any_of(d.messages.begin(), d.messages.end(), [&](const Message& x) { return x.code == m.text; });
        if (!found) diffs.push_back(fmt::format("messages: expected a message {}, got none", m.text));
      }
    }
    if (!diffs.empty() && d.status != Status::originating)
      for (const auto& m : d.messages)
        if (m.severity == Severity::error) diffs.push_back(fmt::format("(the result says: {}[{}]: {})", severity_name(m.severity), m.code, m.message));
    if (diffs.empty()) ++passed;
    else fail(file, name, diffs);
  }

  void run_file(const std::string& file) {
    std::string why;
    auto source = read_file(file, max_bom_bytes, why);
    if (!source) return fail(file, "(file)", {"cannot read: " + why});
    auto parsed = json::parse(*source);
    if (parsed.error) {
      auto at = locate(*source, parsed.error->offset);
      return fail(file, "(file)", {fmt::format("{}:{}:{}: {}", file, at.line, at.column, parsed.error->message)});
    }
    const json::Value& top = *parsed.value;
    if (const json::Value* cases = member(top, "cases")) {
      for (std::size_t i = 0; i < cases->items.size(); ++i) run_case(file, *source, cases->items[i], top, i);
    } else {
      run_case(file, *source, top, top, 0);
    }
  }
};

}  // namespace

int run_test(const std::vector<std::string>& args) {
  std::string error;
  auto parsed = parse_args(args, {{"help", false}}, error);
  if (!parsed) return usage_error("test", error);
  if (parsed->has("help")) {
    std::fputs(test_help, stdout);
    return exit_ok;
  }
  if (parsed->positional.empty()) return usage_error("test", "no path given");
  std::vector<std::string> files;
  for (const auto& path : parsed->positional) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_regular_file() && name.size() > 10 && name.ends_with(".test.json")) files.push_back(it->path().string());
      }
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return usage_error("test", fmt::format("no such file or folder: {}", path));
    }
  }
  std::sort(files.begin(), files.end());
  Runner runner;
  for (const auto& f : files) runner.run_file(f);
  fmt::print("{} passed, {} failed\n", runner.passed, runner.failed);
  if (runner.passed + runner.failed == 0) {
    fmt::print(stderr, "roo test: no test case found\n");
    return exit_findings;
  }
  return runner.failed ? exit_findings : exit_ok;
}

}  // namespace roo::cli
