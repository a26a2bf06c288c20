#include "interpreter/core/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "interpreter/core/json_text.hpp"

namespace roo {

std::string_view severity_name(Severity s) noexcept {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

std::string format_diagnostic_header(const Diagnostic& d) {
  std::string out = d.file.empty() ? std::string("<input>") : d.file;
  if (d.line > 0) {
    out += fmt::format(":{}", d.line);
    if (d.column > 0) out += fmt::format(":{}", d.column);
  }
  out += fmt::format(": {}[{}]: {}", severity_name(d.severity), d.code, d.message);
  if (!d.pointer.empty()) out += fmt::format(" (at {})", d.pointer);
  return out;
}

namespace {

// Source lines can be very long (a JSON Lines record): show a window of at
// most this many bytes around the column.
constexpr std::size_t excerpt_width = 100;

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) out += (c == '\t' || c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
  return out;
}

bool is_continuation(std::string_view text, std::size_t i) {
  return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
}

// Lines up to this long are kept whole in a diagnostic.
constexpr std::size_t kept_line_width = 4 * excerpt_width;

}  // namespace

void set_source_line(Diagnostic& d, std::string_view line) {
  d.source_start = 0;
  if (line.size() <= kept_line_width) {
    d.source_line = std::string(line);
    return;
  }
  // The window format_diagnostic shows (same arithmetic), plus one byte after
  // it when the line goes on, so the excerpt still ends with "...".
  std::size_t col = d.column > 0 ? std::min<std::size_t>(d.column - 1, line.size()) : 0;
  std::size_t start = col > excerpt_width / 2 ? col - excerpt_width / 2 : 0;
  while (start > 0 && is_continuation(line, start)) --start;
  std::size_t end = std::min(line.size(), start + excerpt_width);
  while (end < line.size() && is_continuation(line, end)) ++end;
  if (end < line.size()) ++end;
  d.source_line = std::string(line.substr(start, end - start));
  d.source_start = static_cast<std::uint32_t>(start);
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = format_diagnostic_header(d);
  out += '\n';
  if (!d.source_line.empty() && d.line > 0 && d.column > 0) {
    std::string_view text = d.source_line;
    std::size_t col = d.column - 1 >= d.source_start ? d.column - 1 - d.source_start : 0;
    col = std::min(col, text.size());
    std::size_t start = 0;
    std::string prefix, suffix;
    if (d.source_start > 0) prefix = "...";
    if (text.size() > excerpt_width) {
      start = col > excerpt_width / 2 ? col - excerpt_width / 2 : 0;
      // Do not cut a UTF-8 sequence in half.
      while (start > 0 && start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
      std::size_t end = std::min(text.size(), start + excerpt_width);
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
      if (start > 0) prefix = "...";
      if (end < text.size()) suffix = "...";
      text = text.substr(start, end - start);
    }
    std::string gutter = fmt::format("{:>5} | ", d.line);
    out += gutter + prefix + printable(text) + suffix + '\n';
    std::size_t caret_col = prefix.size() + (col - start);
    std::size_t len = std::max<std::uint32_t>(d.length, 1);
    len = std::min(
        len, std::max<std::size_t>(1, text.size() + prefix.size() - std::min(caret_col, text.size() + prefix.size())));
    out += std::string(gutter.size() - 2, ' ') + "| " + std::string(caret_col, ' ') + std::string(len, '^') + '\n';
  }
  for (const auto& n : d.notes) out += "  = note: " + n + '\n';
  return out;
}

std::string diagnostic_json(const Diagnostic& d) {
  std::string out = "{\"severity\":";
  append_json_string(out, severity_name(d.severity));
  out += ",\"code\":";
  append_json_string(out, d.code);
  out += ",\"message\":";
  append_json_string(out, d.message);
  out += ",\"file\":";
  append_json_string(out, d.file);
  out += fmt::format(",\"line\":{},\"column\":{}", d.line, d.column);
  out += ",\"pointer\":";
  if (d.pointer.empty())
    out += "null";
  else
    append_json_string(out, d.pointer);
  out += ",\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, d.notes[i]);
  }
  out += "]}";
  return out;
}

void sort_by_place(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

LineInfo locate(std::string_view source, std::size_t offset) noexcept {
  offset = std::min(offset, source.size());
  LineInfo info;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++info.line;
      line_start = i + 1;
    }
  }
  std::size_t line_end = source.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = source.size();
  if (line_end > line_start && source[line_end - 1] == '\r') --line_end;
  info.column = static_cast<std::uint32_t>(offset - line_start + 1);
  info.text = source.substr(line_start, line_end - line_start);
  return info;
}

void LineIndex::build() {
  if (!starts_.empty()) return;
  starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') starts_.push_back(i + 1);
}

LineInfo LineIndex::locate(std::size_t offset) {
  build();
  offset = std::min(offset, text_.size());
  auto next = std::upper_bound(starts_.begin(), starts_.end(), offset);
  std::size_t start = *(next - 1);
  LineInfo info;
  info.line = static_cast<std::uint32_t>(next - starts_.begin());
  info.column = static_cast<std::uint32_t>(offset - start + 1);
  info.text = line_text(info.line);
  return info;
}

std::string_view LineIndex::line_text(std::uint32_t line) {
  build();
  if (line == 0 || line > starts_.size()) return {};
  std::size_t start = starts_[line - 1];
  std::size_t end = line < starts_.size() ? starts_[line] - 1 : text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return text_.substr(start, end - start);
}

// Optimal string alignment distance: insertions, deletions, substitutions and
// transpositions of neighbours each cost 1 ("CHT" is one step from "CTH").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], prev2[j - 2] + 1);
    }
    prev2.swap(prev);
    prev.swap(row);
  }
  return prev[b.size()];
}

std::string_view nearest_name(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string_view best;
  std::size_t best_distance = limit + 1;
  for (auto c : candidates) {
    // The distance is at least the difference in length: skip hopeless
    // candidates without the quadratic computation (a name may be megabytes long).
    std::size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap >= best_distance) continue;
    std::size_t dist = edit_distance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

}  // namespace roo
