// The public API (include/roo/roo.hpp): agreements, determinations and their
// renderings, on top of the checker (lang/) and the evaluator (eval/).
#include <roo/roo.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "interpreter/core/iso.hpp"
#include "interpreter/core/json_text.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/eval/output.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

std::string_view version() noexcept { return ROO_VERSION; }

// Builds Agreements (their constructor is private: an Agreement always holds a
// checked program).
struct AgreementFactory {
  static LoadResult from(ProgramLoad&& loaded) {
    LoadResult out;
    out.diagnostics = std::move(loaded.diagnostics);
    // A library of definitions checks clean but decides nothing.
    if (loaded.program && !loaded.program->agreement_ast) {
      Diagnostic d;
      d.code = "roo-no-agreement";
      for (const auto& unit : loaded.program->units)
        if (!unit->is_stdlib) {
          d.file = unit->name;
          break;
        }
      d.line = 1;
      d.column = 1;
      d.message = "these rules hold no agreement (an 'agreement \"...\" { ... }' block); they cannot decide origin";
      out.diagnostics.push_back(std::move(d));
      return out;
    }
    if (loaded.program) out.agreement = Agreement(std::shared_ptr<const Program>(std::move(loaded.program)));
    return out;
  }
};

std::vector<std::string> agreement_paths(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec) || fs::exists(fs::path(path) / "main.roo", ec)) return {path};
  std::vector<std::string> found;
  for (fs::directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code e2;
    const fs::path& p = it->path();
    if (it->is_directory(e2) ? fs::exists(p / "main.roo", e2) : p.extension() == ".roo" && it->is_regular_file(e2))
      found.push_back(p.string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

LoadResult Agreement::load(const std::string& path) { return AgreementFactory::from(load_program(path)); }

LoadResult Agreement::load_text(std::string name, std::string text, std::string id) {
  if (id.empty()) id = std::filesystem::path(name).stem().string();
  return AgreementFactory::from(load_source(std::move(name), std::move(text), std::move(id)));
}

const std::string& Agreement::id() const noexcept { return program_->agreement.id; }
const std::string& Agreement::title() const noexcept {
  // A `title` setting, else the name the agreement block is given.
  if (program_->agreement.title.empty() && program_->agreement_ast) return program_->agreement_ast->title;
  return program_->agreement.title;
}
const std::string& Agreement::citation() const noexcept { return program_->agreement.citation; }
int Agreement::hs_edition() const noexcept { return program_->agreement.hs_edition; }
bool Agreement::non_preferential() const noexcept { return program_->agreement.non_preferential; }
const std::string& Agreement::rules_sha256() const noexcept { return program_->rules_sha256; }

std::vector<std::string> Agreement::parties() const { return program_->agreement.party_codes; }

bool Agreement::is_party(std::string_view code) const { return program_->agreement.is_party(code); }

Determination Agreement::determine(const Bom& bom, const DetermineOptions& options) const {
  return roo::determine(*program_, bom, options);
}

Determination Agreement::determine(const BomInput& input, const DetermineOptions& options) const {
  Determination d = input.bom ? roo::determine(*program_, *input.bom, options)
                              : error_determination(*program_, input.label(), input.diagnostics);
  if (input.bom)
    for (const auto& diag : input.diagnostics)
      d.messages.push_back(Message{diag.severity, diag.code,
                                   fmt::format("{}:{}:{}: {}{}", diag.file, diag.line, diag.column, diag.message,
                                               diag.pointer.empty() ? "" : " (at " + diag.pointer + ")")});
  d.line = input.line;
  return d;
}

std::optional<Format> format_from_name(std::string_view name) noexcept {
  if (name == "json") return Format::json;
  if (name == "text") return Format::text;
  if (name == "markdown") return Format::markdown;
  return std::nullopt;
}

std::optional<Explain> explain_from_name(std::string_view name) noexcept {
  if (name == "full") return Explain::full;
  if (name == "fails") return Explain::fails;
  if (name == "none") return Explain::none;
  return std::nullopt;
}

std::string render(const Determination& d, Format format, Explain explain) {
  switch (format) {
    case Format::json: return to_json(d, explain);
    case Format::markdown: return to_markdown(d, explain);
    case Format::text: break;
  }
  return to_text(d, explain);
}

std::string diagnostics_json(const std::vector<Diagnostic>& diagnostics) {
  std::string out = "[";
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    if (i) out += ',';
    out += diagnostic_json(diagnostics[i]);
  }
  out += ']';
  return out;
}

}  // namespace roo
