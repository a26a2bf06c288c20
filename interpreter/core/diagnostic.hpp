// Diagnostics: the type and its renderings are public
// (include/roo/diagnostic.hpp); here are the helpers that build them.
#pragma once

#include <roo/diagnostic.hpp>

namespace roo {

// Sets d.source_line from the full text of line d.line. A long line is not
// copied whole: only the part format_diagnostic shows around d.column is kept
// (and d.source_start says where it begins), so the size of a diagnostic does
// not grow with the length of its line.
void set_source_line(Diagnostic& d, std::string_view line);

// Orders diagnostics by line and column, keeping the order of equal places.
void sort_by_place(std::vector<Diagnostic>& diagnostics);

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
// (distance at most max(1, word.size() / 3)); empty when none is. Public too
// (include/roo/tools.hpp declares it for roo's own tools).
ROO_API std::string_view nearest_name(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace roo
