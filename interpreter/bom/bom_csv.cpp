// CSV BOM reader (flat BOMs): an optional "# product: key=value ..." line, a
// header row of field names, then one material per row (RFC 4180 quoting).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>

#include "interpreter/bom/bom_fields.hpp"
#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/core/utf8.hpp"

namespace roo {

namespace {

using bom_fields::Field;
using bom_fields::Kind;
using bom_fields::Owner;
using bom_fields::Problem;

struct Cell {
  std::string text;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct Row {
  std::vector<Cell> cells;
  std::uint32_t line = 0;
  bool broken = false;  // already reported (unterminated quote)
};

class CsvBomReader {
 public:
  CsvBomReader(std::string_view src, std::string_view file, const ProductFields& overrides)
      : src_(src), file_(file), overrides_(overrides) {}

  BomReadResult read() {
    BomReadResult result;
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    if (auto bad = find_invalid_utf8(src_); bad != std::string_view::npos) {
      report_at_offset(Severity::error, "bom-utf8", "invalid UTF-8 byte sequence", bad, "");
      result.diagnostics = std::move(diags_);
      return result;
    }
    // A NUL byte is no character of a CSV cell (and would cut the cell short
    // in any C-string consumer downstream).
    if (auto nul = src_.find('\0'); nul != std::string_view::npos) {
      report_at_offset(Severity::error, "bom-csv", "the input contains a NUL byte", nul, "");
      result.diagnostics = std::move(diags_);
      return result;
    }
    Bom bom;
    read_comments(bom);
    for (const auto& [key, value] : overrides_) set_product_field(bom, key, value, Cell{value, 0, 0}, "command line");
    read_table(bom);
    if (!product_has_hs_ && !has_errors(diags_))
      report(Severity::error, "bom-required",
             "the product has no 'hs'; give it in a '# product: hs=...' line or on the command line (--hs)", 1, 1, 0,
             "product.hs");
    for (auto& placed : bom_fields::check_bom(bom)) {
      Diagnostic d;
      d.severity = placed.problem.warning ? Severity::warning : Severity::error;
      d.code = placed.problem.code;
      d.message = placed.problem.message;
      d.file = std::string(file_);
      d.line = placed.place.line;
      d.column = placed.place.column;
      d.pointer = placed.field.empty() ? placed.place.pointer : "column " + placed.field.substr(1);
      d.notes = placed.problem.notes;
      if (d.line > 0) set_source_line(d, lines_.line_text(d.line));
      diags_.push_back(std::move(d));
    }
    sort_by_place(diags_);
    if (!has_errors(diags_)) result.bom = std::move(bom);
    result.diagnostics = std::move(diags_);
    return result;
  }

 private:
  std::string_view src_;
  std::string_view file_;
  const ProductFields& overrides_;
  std::map<std::string, std::uint32_t> product_keys_;  // '# product:' keys -> the line that gave them
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  bool product_has_hs_ = false;
  std::vector<Diagnostic> diags_;

  LineIndex lines_{src_};  // a file with many defects must not take quadratic time


  void report(Severity severity, std::string code, std::string message, std::uint32_t line, std::uint32_t column,
              std::uint32_t length, std::string pointer, std::vector<std::string> notes = {}) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = std::string(file_);
    d.line = line;
    d.column = column;
    d.length = length;
    d.pointer = std::move(pointer);
    d.notes = std::move(notes);
    if (line > 0) set_source_line(d, lines_.line_text(line));
    diags_.push_back(std::move(d));
  }

  void report_at_offset(Severity severity, std::string code, std::string message, std::size_t offset,
                        std::string pointer) {
    auto at = locate(src_, offset);
    report(severity, std::move(code), std::move(message), at.line, at.column, 1, std::move(pointer));
  }

  void report(const Problem& p, const Cell& cell, const std::string& pointer) {
    report(p.warning ? Severity::warning : Severity::error, p.code, p.message, cell.line, cell.column,
           static_cast<std::uint32_t>(std::max<std::size_t>(1, cell.text.size())), pointer, p.notes);
  }

  bool at_end() const { return pos_ >= src_.size(); }

  void next_line() {
    std::size_t nl = src_.find('\n', pos_);
    pos_ = nl == std::string_view::npos ? src_.size() : nl + 1;
    ++line_;
    line_start_ = pos_;
  }

  std::uint32_t column() const { return static_cast<std::uint32_t>(pos_ - line_start_ + 1); }

  // Leading lines that start with '#': comments, and "# product:" lines.
  void read_comments(Bom& bom) {
    while (!at_end()) {
      std::size_t nl = src_.find('\n', pos_);
      std::string_view line = src_.substr(pos_, (nl == std::string_view::npos ? src_.size() : nl) - pos_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      std::size_t first = line.find_first_not_of(" \t");
      if (first == std::string_view::npos) {
        next_line();
        continue;
      }
      if (line[first] != '#') return;
      std::string_view body = line.substr(first + 1);
      std::size_t lead = body.find_first_not_of(" \t");
      if (lead != std::string_view::npos && body.substr(lead, 8) == "product:")
        read_product_line(bom, body.substr(lead + 8), static_cast<std::uint32_t>(first + 1 + lead + 8));
      next_line();
    }
  }

  // key=value pairs separated by spaces; a value may be double-quoted.
  void read_product_line(Bom& bom, std::string_view text, std::uint32_t offset_in_line) {
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i >= text.size()) break;
      std::size_t key_start = i;
      while (i < text.size() && text[i] != '=' && text[i] != ' ' && text[i] != '\t') ++i;
      std::string key(text.substr(key_start, i - key_start));
      auto col = static_cast<std::uint32_t>(offset_in_line + key_start + 1);
      if (i >= text.size() || text[i] != '=') {
        report(Severity::error, "bom-csv", fmt::format("expected key=value in the '# product:' line, found '{}'", key),
               line_, col, static_cast<std::uint32_t>(key.size()), "product");
        continue;
      }
      ++i;
      std::string value;
      auto value_col = static_cast<std::uint32_t>(offset_in_line + i + 1);
      if (i < text.size() && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          value += text[i++];
        }
        if (!closed)
          report(Severity::error, "bom-csv", fmt::format("unterminated quoted value for '{}'", key), line_, value_col,
                 1, "product." + key);
      } else {
        std::size_t v_start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        value = std::string(text.substr(v_start, i - v_start));
      }
      // A key given twice (on one line or two) is an error: the last one must
      // not silently win.
      auto [first, inserted] = product_keys_.emplace(key, line_);
      if (!inserted) {
        report(Severity::error, "bom-duplicate",
               fmt::format("'{}' is given twice in the '# product:' lines", key), line_, col,
               static_cast<std::uint32_t>(key.size()), "product." + key,
               {fmt::format("first given on line {}", first->second)});
        continue;
      }
      bool overridden =
          std::any_of(overrides_.begin(), overrides_.end(), [&](const auto& kv) { return kv.first == key; });
      if (!overridden) set_product_field(bom, key, value, Cell{value, line_, value_col}, "product." + key);
    }
  }

  void set_product_field(Bom& bom, const std::string& key, const std::string& value, const Cell& cell,
                         const std::string& pointer) {
    const Field* f = bom_fields::find_field(key, Owner::product);
    if (!f) f = bom_fields::find_field(key, Owner::top);
    if (!f || f->kind == Kind::materials || f->kind == Kind::attributes) {
      if (key.rfind("attributes.", 0) == 0 && key.size() > 11) {
        bom.product.attributes.push_back(Attribute{key.substr(11), value, Attribute::Kind::string});
        return;
      }
      std::vector<std::string> notes;
      auto names = bom_fields::field_names(Owner::product);
      for (auto n : bom_fields::field_names(Owner::top)) names.push_back(n);
      auto nearest = nearest_name(key, names);
      if (!nearest.empty()) notes.push_back(fmt::format("did you mean '{}'?", nearest));
      report(Severity::warning, "bom-unknown-field", fmt::format("unknown product field '{}' is ignored", key),
             cell.line, cell.column, 1, pointer, std::move(notes));
      return;
    }
    if (f->kind == Kind::hs) product_has_hs_ = true;
    if (f->kind == Kind::process_list) {
      bom.product.processes = split_list(value, cell, pointer, true);
      bom.product.processes_declared = true;
      return;
    }
    if (auto p = bom_fields::set_scalar(bom, bom.product, nullptr, &bom.product, *f, value, false)) {
      if (f->kind == Kind::hs && !p->warning) product_has_hs_ = true;  // reported; don't also say it is missing
      report(*p, cell, pointer);
    }
  }

  std::vector<std::string> split_list(std::string_view text, const Cell& cell, const std::string& pointer,
                                      bool processes) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= text.size()) {
      std::size_t semi = text.find(';', i);
      if (semi == std::string_view::npos) semi = text.size();
      std::string_view item = text.substr(i, semi - i);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      if (!item.empty()) {
        if (processes) {
          if (auto p = bom_fields::check_process(item)) report(*p, cell, pointer);
        }
        out.emplace_back(item);
      }
      i = semi + 1;
    }
    return out;
  }

  // One CSV record (may span lines inside quotes). Returns false at end of input.
  bool read_row(Row& row) {
    row.cells.clear();
    row.broken = false;
    // Skip blank lines.
    while (!at_end()) {
      std::size_t nl = src_.find('\n', pos_);
      std::string_view line = src_.substr(pos_, (nl == std::string_view::npos ? src_.size() : nl) - pos_);
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) break;
      next_line();
    }
    if (at_end()) return false;
    row.line = line_;
    while (true) {
      Cell cell{"", line_, column()};
      if (!at_end() && src_[pos_] == '"') {
        std::size_t open = pos_;
        ++pos_;
        bool closed = false;
        while (!at_end()) {
          char c = src_[pos_];
          if (c == '"') {
            if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '"') {
              cell.text += '"';
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line_;
            line_start_ = pos_ + 1;
          }
          cell.text += c;
          ++pos_;
        }
        if (!closed) {
          report_at_offset(Severity::error, "bom-csv", "unterminated quoted field (the file may be truncated)", open,
                           "");
          row.cells.push_back(std::move(cell));
          row.broken = true;
          return true;
        }
        if (!at_end() && src_[pos_] != ',' && src_[pos_] != '\n' && src_[pos_] != '\r') {
          report(Severity::error, "bom-csv",
                 "unexpected text after a closing quote; expected ',' or the end of the line", line_, column(), 1, "");
          while (!at_end() && src_[pos_] != ',' && src_[pos_] != '\n') ++pos_;
        }
      } else {
        while (!at_end() && src_[pos_] != ',' && src_[pos_] != '\n') cell.text += src_[pos_++];
        if (!cell.text.empty() && cell.text.back() == '\r') cell.text.pop_back();
      }
      row.cells.push_back(std::move(cell));
      if (at_end()) return true;
      if (src_[pos_] == '\r') ++pos_;
      if (at_end()) return true;
      if (src_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (src_[pos_] == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
        return true;
      }
    }
  }

  void read_table(Bom& bom) {
    Row header;
    if (!read_row(header)) {
      report(Severity::error, "bom-csv",
             "no header row; expected a line of column names such as id,description,hs,value,origin", line_, 1, 0, "");
      return;
    }
    struct Column {
      const Field* field = nullptr;  // null: attribute or unknown
      std::string attribute;         // for attributes.NAME columns
      std::string name;
    };
    std::vector<Column> columns;
    bool has_hs = false;
    std::unordered_set<std::string_view> seen;  // a hash set: a header may have many columns
    for (std::size_t c = 0; c < header.cells.size(); ++c) {
      Column col;
      col.name = header.cells[c].text;
      std::string ptr = "column " + col.name;
      if (!seen.insert(header.cells[c].text).second)
        report(Severity::error, "bom-csv", fmt::format("column '{}' appears twice in the header", col.name),
               header.cells[c].line, header.cells[c].column, static_cast<std::uint32_t>(col.name.size()), ptr);
      if (col.name.rfind("attributes.", 0) == 0 && col.name.size() > 11) {
        col.attribute = col.name.substr(11);
      } else {
        col.field = bom_fields::find_field(col.name, Owner::material);
        if (col.field && (col.field->kind == Kind::materials || col.field->kind == Kind::attributes))
          col.field = nullptr;
        if (!col.field) {
          std::vector<std::string> notes;
          auto nearest = nearest_name(col.name, bom_fields::field_names(Owner::material));
          if (!nearest.empty()) notes.push_back(fmt::format("did you mean '{}'?", nearest));
          report(Severity::warning, "bom-unknown-field", fmt::format("unknown column '{}' is ignored", col.name),
                 header.cells[c].line, header.cells[c].column,
                 static_cast<std::uint32_t>(std::max<std::size_t>(1, col.name.size())), ptr, std::move(notes));
        } else if (col.field->kind == Kind::hs) {
          has_hs = true;
        }
      }
      columns.push_back(std::move(col));
    }
    if (!has_hs) {
      report(Severity::error, "bom-required", "the header has no 'hs' column; every material needs an HS code",
             header.line, 1, 0, "");
      return;
    }
    Row row;
    while (read_row(row)) {
      if (row.broken) continue;
      if (row.cells.size() != columns.size()) {
        report(Severity::error, "bom-csv",
               fmt::format("this row has {} fields; the header has {} columns", row.cells.size(), columns.size()),
               row.line, 1, 0, "");
        continue;
      }
      Material m;
      m.place = SourcePlace{row.line, 1, fmt::format("line {}", row.line)};
      bool has_hs_value = false;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const Column& col = columns[c];
        const Cell& cell = row.cells[c];
        std::string ptr = "column " + col.name;
        if (cell.text.empty()) continue;  // absent
        if (!col.attribute.empty()) {
          m.attributes.push_back(Attribute{col.attribute, cell.text, Attribute::Kind::string});
          continue;
        }
        if (!col.field) continue;
        if (col.field->kind == Kind::process_list) {
          m.processes = split_list(cell.text, cell, ptr, true);
          m.processes_declared = true;
          continue;
        }
        if (col.field->kind == Kind::text_list) {
          m.originating_under = split_list(cell.text, cell, ptr, false);
          continue;
        }
        std::string text = cell.text;
        if (col.field->kind == Kind::boolean || col.field->kind == Kind::wholly_obtained) {
          std::string lower = text;
          std::transform(lower.begin(), lower.end(), lower.begin(),
                         [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
          if (lower == "true" || lower == "false") text = lower;
        }
        if (col.field->kind == Kind::hs) has_hs_value = true;
        if (auto p = bom_fields::set_scalar(bom, m, &m, nullptr, *col.field, text, false)) report(*p, cell, ptr);
      }
      if (!has_hs_value)
        report(Severity::error, "bom-required", "this material has no 'hs'; an HS code of 4 to 10 digits is required",
               row.line, 1, 0, "column hs");
      bom.materials.push_back(std::move(m));
    }
  }
};

}  // namespace

BomReadResult read_bom_csv(std::string_view text, std::string_view file, const ProductFields& overrides) {
  if (text.size() > max_bom_bytes) {
    BomReadResult r;
    Diagnostic d;
    d.code = "bom-size";
    d.message =
        fmt::format("the input is {} bytes; at most {} bytes are accepted for one BOM", text.size(), max_bom_bytes);
    d.file = std::string(file);
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  return CsvBomReader(text, file, overrides).read();
}

}  // namespace roo
