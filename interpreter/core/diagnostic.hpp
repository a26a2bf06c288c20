// Diagnostics: every defect found in a rules file, a BOM or a command line,
// with its place. One shape for all of them, so every tool prints and emits
// them the same way:
//
//   FILE:LINE:COL: error[CODE]: message (at /materials/3/hs)
//      12 |     "hs": "85x1",
//         |           ^^^^^^
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roo {

enum class Severity : std::uint8_t { error, warning, note };

std::string_view severity_name(Severity s) noexcept;

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;                // stable, kebab-case: "bom-hs", "roo-syntax"
  std::string message;             // one line, lowercase start, no trailing period
  std::string file;                // as the user named it
  std::uint32_t line = 0;          // 1-based; 0 when unknown
  std::uint32_t column = 0;        // 1-based, in bytes; 0 when unknown
  std::uint32_t length = 0;        // bytes under the caret; 0 for a single caret
  std::string pointer;             // JSON pointer ("/materials/3/hs") or CSV column name
  std::string source_line;         // the text of the line, for the caret excerpt (may be empty)
  std::uint32_t source_start = 0;  // byte offset in the line where source_line starts (see set_source_line)
  std::vector<std::string> notes;  // extra lines ("did you mean ...", "first defined here ...")
};

// Sets d.source_line from the full text of line d.line. A long line is not
// copied whole: only the part format_diagnostic shows around d.column is kept
// (and d.source_start says where it begins), so the size of a diagnostic does
// not grow with the length of its line.
void set_source_line(Diagnostic& d, std::string_view line);

// "FILE:LINE:COL: error[CODE]: message (at POINTER)"
std::string format_diagnostic_header(const Diagnostic& d);
// The header, then the source excerpt with a caret line (when the source line
// is known), then each note. Long lines are shown as a window around the column.
std::string format_diagnostic(const Diagnostic& d);
// One JSON object on one line (for --message-format json).
std::string diagnostic_json(const Diagnostic& d);

// Orders diagnostics by line and column, keeping the order of equal places.
void sort_by_place(std::vector<Diagnostic>& diagnostics);

bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

// Line and column (1-based, bytes) of a byte offset, with the text of that line.
struct LineInfo {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::string_view text;
};
LineInfo locate(std::string_view source, std::size_t offset) noexcept;

// Where each line of a text starts, built on first use, so that many offsets
// are located in O(log lines) each: a large file with many diagnostics or
// references must not take quadratic time. The text must outlive the index.
class LineIndex {
public:
  explicit LineIndex(std::string_view text = {}) : text_(text) {}
  LineInfo locate(std::size_t offset);
  std::string_view line_text(std::uint32_t line);  // 1-based; empty past the end

private:
  void build();
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// Edit distance (with transpositions), for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word` when it is close enough to be a likely typo
// (distance at most max(1, word.size() / 3)); empty when none is.
std::string_view nearest_name(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace roo
