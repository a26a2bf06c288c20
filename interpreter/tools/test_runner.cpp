// The runner of the determination cases written beside the rules (*.test.json;
// roo test, include/roo/tools.hpp).
#include <roo/tools.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/core/diagnostic.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/json/json.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

namespace {

namespace fs = std::filesystem;

struct Runner {
  // The folders a case may read from (roo test's PATHs and the current
  // folder); `confined` false: anywhere (--allow-outside).
  std::vector<fs::path> roots;
  bool confined = false;
  std::map<std::string, std::unique_ptr<Program>> programs;
  std::map<std::string, std::vector<Diagnostic>> program_errors;
  TestRun run;

  // The rules at `path`, loaded once. When they cannot be loaded, their
  // diagnostics go with the first case that names them.
  const Program* program(const std::string& path, std::vector<Diagnostic>& diagnostics, std::string& why) {
    auto key = fs::weakly_canonical(path).string();
    if (auto it = programs.find(key); it != programs.end()) return it->second.get();
    if (auto it = program_errors.find(key); it != program_errors.end()) {
      why = "the rules have errors";
      return nullptr;
    }
    auto loaded = load_program(path);
    if (!loaded.program) {
      diagnostics = loaded.diagnostics;
      program_errors[key] = std::move(loaded.diagnostics);
      why = "the rules have errors";
      return nullptr;
    }
    const Program* p = loaded.program.get();
    programs[key] = std::move(loaded.program);
    return p;
  }

  // Whether `path` lies under one of the roots, once resolved (.., links).
  bool inside(const fs::path& path) const {
    if (!confined) return true;
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    if (ec) return false;
    for (const auto& root : roots) {
      auto rel = p.lexically_relative(root);
      if (!rel.empty() && *rel.begin() != "..") return true;
    }
    return false;
  }
  static std::string outside(const std::string& what) {
    return fmt::format("{} lies outside the folders given to roo test and the current folder; "
                       "give --allow-outside to read it",
                       what);
  }

  static const json::Value* member(const json::Value& obj, std::string_view key) {
    return obj.is(json::Type::object) ? obj.find(key) : nullptr;
  }
  static std::optional<std::string> text(const json::Value* v) {
    if (v && (v->is(json::Type::string) || v->is(json::Type::number))) return v->text;
    return std::nullopt;
  }

  static std::string shown(const std::optional<std::string>& v) { return v ? fmt::format("\"{}\"", *v) : "null"; }

  void run_case(const std::string& file, const std::string& source, const json::Value& c, const json::Value& top,
                std::size_t index) {
    TestCaseResult& result = run.cases.emplace_back();
    result.file = file;
    result.name = text(member(c, "name")).value_or(fmt::format("case {}", index + 1));
    auto fail = [&](std::vector<std::string> lines) { result.differences = std::move(lines); };
    auto rules = text(member(c, "rules"));
    if (!rules) rules = text(member(top, "rules"));
    if (!rules) return fail({"no \"rules\": name the rules file the case runs against"});
    fs::path dir = fs::path(file).parent_path();
    if (!inside(dir / *rules)) return fail({outside(fmt::format("the rules {}", *rules))});
    std::string why;
    const Program* program = this->program((dir / *rules).string(), result.rules_diagnostics, why);
    if (!program) return fail({fmt::format("cannot use the rules {}: {}", *rules, why)});

    DetermineOptions options;
    options.explain = Explain::none;
    auto date = text(member(c, "date"));
    if (!date) date = text(member(top, "date"));
    if (date) {
      options.date = Date::parse(*date, &why);
      if (!options.date) return fail({"\"date\": " + why});
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
      if (!inside(path)) return fail({outside(fmt::format("the BOM {}", *bom_file))});
      auto content = read_file(path, max_bom_bytes, why);
      if (!content) return fail({fmt::format("cannot read {}: {}", *bom_file, why)});
      bom = bom_format_for_path(path) == BomFormat::csv ? read_bom_csv(*content, path) : read_bom_json(*content, path);
    } else {
      return fail({"no \"bom\" or \"bom_file\""});
    }
    Determination d =
        bom.bom ? determine(*program, *bom.bom, options) : error_determination(*program, result.name, bom.diagnostics);

    const json::Value* expect = member(c, "expect");
    if (!expect) return fail({"no \"expect\""});
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
          {"basis", f.basis},
          {"basis_value", figure_text(f.basis_value)},
          {"vnm", figure_text(f.vnm)},
          {"vom", figure_text(f.vom)},
          {"nom_percent", figure_text(f.nom_percent)},
          {"rvc_percent", figure_text(f.rvc_percent)},
          {"tolerance_limit", figure_text(f.tolerance_limit)},
          {"tolerance_used", figure_text(f.tolerance_used)}};
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
        if (m.severity == Severity::error)
          diffs.push_back(fmt::format("(the result says: {}[{}]: {})", severity_name(m.severity), m.code, m.message));
    result.passed = diffs.empty();
    result.differences = std::move(diffs);
  }

  void run_file(const std::string& file) {
    auto fail = [&](std::string line) {
      TestCaseResult& result = run.cases.emplace_back();
      result.file = file;
      result.name = "(file)";
      result.differences.push_back(std::move(line));
    };
    std::string why;
    auto source = read_file(file, max_bom_bytes, why);
    if (!source) return fail("cannot read: " + why);
    auto parsed = json::parse(*source);
    if (parsed.error) {
      auto at = locate(*source, parsed.error->offset);
      return fail(fmt::format("{}:{}:{}: {}", file, at.line, at.column, parsed.error->message));
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

std::optional<std::vector<std::string>> find_test_files(const std::vector<std::string>& paths, std::string& error) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_regular_file() && name.size() > 10 && name.ends_with(".test.json")) files.push_back(it->path().string());
      }
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      error = fmt::format("no such file or folder: {}", path);
      return std::nullopt;
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TestRun run_test_files(const std::vector<std::string>& files, const std::vector<std::string>& allowed) {
  Runner runner;
  for (const auto& a : allowed) {
    std::error_code ec;
    fs::path root = fs::weakly_canonical(a, ec);
    if (ec) continue;
    if (fs::is_regular_file(root, ec)) root = root.parent_path();
    runner.roots.push_back(std::move(root));
  }
  runner.confined = !allowed.empty();
  for (const auto& f : files) runner.run_file(f);
  return std::move(runner.run);
}

}  // namespace roo
