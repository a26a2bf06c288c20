// Loading an agreement: the entry file, the files it includes (each once, all
// inside the agreement's folder), the stdlib when imported; then the check.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "grammar/parse.hpp"
#include "interpreter/core/diagnostic.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

namespace {

namespace fs = std::filesystem;

std::unique_ptr<SourceUnit> parse_unit(std::string name, std::string text, bool is_stdlib, std::vector<Diagnostic>& diags) {
  auto unit = std::make_unique<SourceUnit>();
  unit->name = std::move(name);
  unit->text = std::move(text);
  unit->is_stdlib = is_stdlib;
  unit->lines = LineIndex(unit->text);  // for the loader's own diagnostics
  auto parsed = parse(unit->text, unit->name);
  unit->file = std::move(parsed.file);
  diags.insert(diags.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
  return unit;
}

// A path's real place (symlinks and ".." resolved), for comparing files.
fs::path real_path(const fs::path& p) {
  // Absolute first: a relative path whose first part does not exist would
  // stay relative.
  std::error_code ec;
  auto r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? p.lexically_normal() : r;
}

bool is_within(const fs::path& inner, const fs::path& folder) {
  auto i = inner.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++i) {
    if (f->empty() && std::next(f) == folder.end()) break;  // a trailing separator
    if (i == inner.end() || *i != *f) return false;
  }
  return true;
}

// Most files an agreement may be split into, and how many folder entries the
// search for files that are not included looks at.
constexpr std::size_t max_included_files = 10000;
constexpr std::size_t max_folder_entries = 100000;

// The includes of `units` (the entry file first), read one file after another:
// each file once, within `root`, at most max_source_bytes in all.
class Includes {
public:
  Includes(const fs::path& root, std::vector<Diagnostic>& diags)
      : root_(real_path(root)), root_name_(root.string()), diags_(diags) {}

  void read(std::vector<std::unique_ptr<SourceUnit>>& units, std::size_t first_file_bytes) {
    total_bytes_ = first_file_bytes;
    for (const auto& u : units) seen_[real_path(u->name)] = u->name;
    for (std::size_t i = 0; i < units.size(); ++i) {
      // Copied: the units vector grows while its items are read.
      std::vector<const ast::Include*> includes;
      for (const auto& item : units[i]->file.items)
        if (auto inc = std::get_if<ast::Include>(&item)) includes.push_back(inc);
      for (const ast::Include* inc : includes)
        if (auto unit = read_one(*units[i], *inc)) units.push_back(std::move(unit));
    }
  }

  // The real paths of the files read, the entry file's included.
  std::set<fs::path> files() const {
    std::set<fs::path> out;
    for (const auto& [path, name] : seen_) out.insert(path);
    return out;
  }

private:
  fs::path root_;
  std::string root_name_;  // as the user named it, for messages
  std::vector<Diagnostic>& diags_;
  std::map<fs::path, std::string> seen_;  // real path -> name as first read
  std::size_t total_bytes_ = 0;

  std::unique_ptr<SourceUnit> read_one(const SourceUnit& from, const ast::Include& inc) {
    auto fail = [&](std::string message) {
      diags_.push_back(diagnostic_at(from, inc.path_span, "roo-include", std::move(message)));
      return nullptr;
    };
    fs::path written(inc.path);
    if (inc.path.empty() || written.is_absolute())
      return fail("an include names a file by its path relative to this file's folder, such as \"textiles.roo\"");
    if (written.extension() != ".roo") return fail(fmt::format("'{}' is not a .roo file", inc.path));
    std::string name = (fs::path(from.name).parent_path() / written).lexically_normal().string();
    fs::path real = real_path(name);
    if (!is_within(real, root_))
      return fail(fmt::format("'{}' is outside the agreement's folder ({}): an agreement includes only its own files",
                              inc.path, root_name_));
    if (auto it = seen_.find(real); it != seen_.end())
      return fail(fmt::format("'{}' is already part of the agreement (as {}): each file is read once", inc.path,
                              it->second));
    if (seen_.size() >= max_included_files)
      return fail(fmt::format("an agreement is made of at most {} files", max_included_files));
    // Past the limit already: not one more file is read.
    if (total_bytes_ > max_source_bytes)
      return fail(fmt::format("the agreement's files hold more than {} bytes in all", max_source_bytes));
    std::string why;
    auto text = read_file(name, max_source_bytes, why);
    if (!text) return fail(fmt::format("cannot read '{}': {}", inc.path, why));
    total_bytes_ += text->size();
    if (total_bytes_ > max_source_bytes)
      return fail(fmt::format("the agreement's files hold more than {} bytes in all", max_source_bytes));
    seen_[real] = name;
    return parse_unit(std::move(name), std::move(*text), false, diags_);
  }
};

// The .roo files in an agreement's folder that no file of it includes: a
// warning each, since their rules would be silently left out. Subfolders with
// a main.roo of their own are other agreements.
void warn_unreached(const fs::path& folder, const std::set<fs::path>& read, const std::string& entry_name,
                    std::vector<Diagnostic>& diags) {
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
  std::vector<std::string> unreached;
  for (std::size_t seen = 0; !ec && it != end && seen < max_folder_entries; it.increment(ec), ++seen) {
    std::error_code e2;
    if (it->is_directory(e2)) {
      if (fs::exists(it->path() / "main.roo", e2)) it.disable_recursion_pending();
      continue;
    }
    if (it->path().extension() != ".roo" || !it->is_regular_file(e2)) continue;
    if (!read.count(real_path(it->path()))) unreached.push_back(it->path().lexically_normal().string());
  }
  std::sort(unreached.begin(), unreached.end());
  for (const auto& file : unreached) {
    Diagnostic d;
    d.severity = Severity::warning;
    d.code = "roo-unreached";
    d.file = file;
    d.message = fmt::format("this file is in the agreement's folder but no file of the agreement includes it: its "
                            "rules are not used");
    d.notes.push_back(fmt::format("include it from {} (include \"{}\"), or move it out of the folder", entry_name,
                                  fs::path(file).lexically_relative(fs::path(entry_name).parent_path()).string()));
    diags.push_back(std::move(d));
  }
}

ProgramLoad check_units(std::vector<std::unique_ptr<SourceUnit>> units, std::string agreement_id,
                        std::vector<Diagnostic> diagnostics) {
  ProgramLoad result;
  result.diagnostics = std::move(diagnostics);
  // The stdlib is loaded once, first, when a file imports it.
  bool wants_std = false;
  for (const auto& unit : units)
    for (const auto& item : unit->file.items)
      if (auto imp = std::get_if<ast::Import>(&item); imp && imp->path == "std") wants_std = true;
  if (wants_std)
    units.insert(units.begin(), parse_unit("<stdlib>/std.roo", std::string(*stdlib_source("std")), true, result.diagnostics));
  if (has_errors(result.diagnostics)) {
    sort_by_place(result.diagnostics);
    return result;
  }
  auto checked = check_sources(std::move(units), std::move(agreement_id));
  result.program = std::move(checked.program);
  result.diagnostics.insert(result.diagnostics.end(), checked.diagnostics.begin(), checked.diagnostics.end());
  return result;
}

}  // namespace

ProgramLoad load_program(const std::string& path) {
  std::error_code ec;
  std::string file = path;
  std::string id;
  bool folder = fs::is_directory(path, ec);
  if (folder) {
    file = (fs::path(path) / "main.roo").string();
    id = fs::path(path).lexically_normal().filename().string();
    if (id.empty()) id = fs::path(path).lexically_normal().parent_path().filename().string();
  } else {
    id = fs::path(path).stem().string();
  }
  std::string why;
  auto text = read_file(file, max_source_bytes, why);
  if (!text) {
    ProgramLoad result;
    Diagnostic d;
    d.code = "roo-io";
    d.message = fmt::format("cannot read the rules: {}", why);
    d.file = file;
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  std::vector<Diagnostic> diagnostics;
  std::vector<std::unique_ptr<SourceUnit>> units;
  std::size_t bytes = text->size();
  units.push_back(parse_unit(file, std::move(*text), false, diagnostics));
  fs::path root = fs::path(file).parent_path();
  if (root.empty()) root = ".";
  Includes includes(root, diagnostics);
  includes.read(units, bytes);
  if (folder) warn_unreached(root, includes.files(), file, diagnostics);
  return check_units(std::move(units), std::move(id), std::move(diagnostics));
}

ProgramLoad load_source(std::string name, std::string text, std::string agreement_id) {
  std::vector<Diagnostic> diagnostics;
  std::vector<std::unique_ptr<SourceUnit>> units;
  units.push_back(parse_unit(std::move(name), std::move(text), false, diagnostics));
  // Rules in memory have no folder to include from.
  for (const auto& item : units.front()->file.items)
    if (auto inc = std::get_if<ast::Include>(&item))
      diagnostics.push_back(diagnostic_at(*units.front(), inc->path_span, "roo-include",
                                    "rules given as text cannot include files; load the agreement from its file"));
  return check_units(std::move(units), std::move(agreement_id), std::move(diagnostics));
}

}  // namespace roo
