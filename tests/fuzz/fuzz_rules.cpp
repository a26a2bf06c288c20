// libFuzzer target: the roo grammar and checker. The bytes are parsed as a
// rules file; when they parse without errors they are checked with the
// embedded stdlib (as load_program does for a file that imports std), and
// every rule of a checked program is rendered in legal English. Diagnostics
// are formatted (text and JSON) on the way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_common.hpp"
#include "grammar/parse.hpp"
#include "interpreter/lang/program.hpp"
#include "interpreter/lang/render.hpp"

namespace {

// Every diagnostic is located in the file it names (the fuzzed one or the stdlib).
void check_located(const std::vector<roo::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity != roo::Severity::error) continue;
    if (d.file.empty() || d.line == 0 || d.column == 0) std::abort();
    if (d.message.empty() || d.code.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  auto parsed = roo::parse(text, "fuzz.roo");
  const auto& diagnostics = parsed.diagnostics;
  roo_fuzz::exercise(diagnostics);
  check_located(diagnostics);
  // A parse that fails says why.
  if (diagnostics.empty() != !roo::has_errors(diagnostics)) std::abort();
  if (roo::has_errors(diagnostics)) return 0;

  auto checked = roo::load_source("fuzz.roo", text, "fuzz");
  roo_fuzz::exercise(checked.diagnostics);
  check_located(checked.diagnostics);
  // A program exactly when there is no error.
  if ((checked.program != nullptr) == roo::has_errors(checked.diagnostics)) std::abort();
  if (!checked.program) return 0;

  const roo::Program& program = *checked.program;
  std::size_t total = 0;
  for (const auto& entry : program.rules) {
    total += roo::render_rule(program, entry).size();
    total += roo::render_scope(entry.rule->scope).size();
    total += roo::render_expr(program, entry.rule->body).size();
    total += roo::rule_citation(program, entry).size();
  }
  (void)total;
  return 0;
}
