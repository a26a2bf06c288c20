// Diagnostics: every defect found in a rules file, a BOM or a command line,
// with its place. One shape for all of them, so every tool prints and emits
// them the same way:
//
//   FILE:LINE:COL: error[CODE]: message (at /materials/3/hs)
//      12 |     "hs": "85x1",
//         |           ^^^^^^
#pragma once

#include <roo/config.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roo {

enum class Severity : std::uint8_t { error, warning, note };

ROO_API std::string_view severity_name(Severity s) noexcept;

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;                // stable, kebab-case: "bom-hs", "roo-syntax"
  std::string message;             // one line, lowercase start, no trailing period
  std::string file;                // as the user named it
  std::uint64_t line = 0;          // 1-based; 0 when unknown (64 bits: JSON Lines streams have no end)
  std::uint32_t column = 0;        // 1-based, in bytes; 0 when unknown
  std::uint32_t length = 0;        // bytes under the caret; 0 for a single caret
  std::string pointer;             // JSON pointer ("/materials/3/hs") or CSV column name
  std::string source_line;         // the text of the line, for the caret excerpt (may be empty)
  std::uint32_t source_start = 0;  // byte offset in the line where source_line starts (see set_source_line)
  std::vector<std::string> notes;  // extra lines ("did you mean ...", "first defined here ...")
};

// "FILE:LINE:COL: error[CODE]: message (at POINTER)"
ROO_API std::string format_diagnostic_header(const Diagnostic& d);
// The header, then the source excerpt with a caret line (when the source line
// is known), then each note. Long lines are shown as a window around the column.
ROO_API std::string format_diagnostic(const Diagnostic& d);
// One JSON object on one line (for --message-format json).
ROO_API std::string diagnostic_json(const Diagnostic& d);

ROO_API bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

}  // namespace roo
