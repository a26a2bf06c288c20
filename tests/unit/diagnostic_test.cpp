// Tests for diagnostics (interpreter/core/diagnostic.hpp): formatting, JSON
// output, locating offsets and "did you mean" hints.
#include "interpreter/core/diagnostic.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "interpreter/json/json.hpp"

namespace {

using roo::Diagnostic;
using roo::Severity;

Diagnostic make(std::string file, std::uint32_t line, std::uint32_t column, std::string pointer = "") {
  Diagnostic d;
  d.code = "bom-hs";
  d.message = "HS code '85x1' contains 'x'";
  d.file = std::move(file);
  d.line = line;
  d.column = column;
  d.pointer = std::move(pointer);
  return d;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// In a formatted diagnostic, the byte of the excerpt line above the first caret.
char char_above_caret(const std::string& formatted) {
  auto lines = lines_of(formatted);
  REQUIRE(lines.size() >= 3);
  std::size_t caret = lines[2].find('^');
  REQUIRE(caret != std::string::npos);
  REQUIRE(caret < lines[1].size());
  return lines[1][caret];
}

}  // namespace

TEST_CASE("diagnostic: severity names") {
  CHECK(roo::severity_name(Severity::error) == "error");
  CHECK(roo::severity_name(Severity::warning) == "warning");
  CHECK(roo::severity_name(Severity::note) == "note");
}

TEST_CASE("diagnostic: header text") {
  auto d = make("a.bom.json", 12, 11, "/materials/3/hs");
  CHECK(roo::format_diagnostic_header(d) ==
        "a.bom.json:12:11: error[bom-hs]: HS code '85x1' contains 'x' (at /materials/3/hs)");
  d.severity = Severity::warning;
  d.pointer.clear();
  CHECK(roo::format_diagnostic_header(d) == "a.bom.json:12:11: warning[bom-hs]: HS code '85x1' contains 'x'");
  d.column = 0;
  d.severity = Severity::note;
  CHECK(roo::format_diagnostic_header(d) == "a.bom.json:12: note[bom-hs]: HS code '85x1' contains 'x'");
  d.line = 0;
  d.column = 5;  // a column without a line is not shown
  CHECK(roo::format_diagnostic_header(d) == "a.bom.json: note[bom-hs]: HS code '85x1' contains 'x'");
  d.file.clear();
  d.pointer = "column value";
  CHECK(roo::format_diagnostic_header(d) == "<input>: note[bom-hs]: HS code '85x1' contains 'x' (at column value)");
}

TEST_CASE("diagnostic: full text with excerpt, caret and notes") {
  auto d = make("a.bom.json", 12, 11, "/hs");
  d.source_line = "    \"hs\": \"85x1\",";
  d.length = 6;
  d.notes = {"did you mean '8501'?", "see docs/bom-format.md"};
  CHECK(roo::format_diagnostic(d) ==
        "a.bom.json:12:11: error[bom-hs]: HS code '85x1' contains 'x' (at /hs)\n"
        "   12 |     \"hs\": \"85x1\",\n"
        "      |           ^^^^^^\n"
        "  = note: did you mean '8501'?\n"
        "  = note: see docs/bom-format.md\n");
  CHECK(char_above_caret(roo::format_diagnostic(d)) == '"');

  // Length 0 is a single caret; the gutter widens for long line numbers.
  auto e = make("f", 123456, 1);
  e.source_line = "abc";
  CHECK(roo::format_diagnostic(e) ==
        "f:123456:1: error[bom-hs]: HS code '85x1' contains 'x'\n"
        "123456 | abc\n"
        "       | ^\n");

  // Without a source line (or a line number) there is no excerpt.
  auto f = make("f", 3, 2);
  f.notes = {"n"};
  CHECK(roo::format_diagnostic(f) == "f:3:2: error[bom-hs]: HS code '85x1' contains 'x'\n  = note: n\n");
  f.source_line = "xyz";
  f.line = 0;
  CHECK(roo::format_diagnostic(f) == "f: error[bom-hs]: HS code '85x1' contains 'x'\n  = note: n\n");
}

TEST_CASE("diagnostic: the caret is under the right column") {
  for (std::uint32_t col = 1; col <= 20; ++col) {
    auto d = make("f", 1, col);
    d.source_line = "abcdefghijklmnopqrst";
    INFO("column ", col);
    CHECK(char_above_caret(roo::format_diagnostic(d)) == static_cast<char>('a' + col - 1));
  }
  // Tabs and control characters print as one space each, so the caret stays aligned.
  auto d = make("f", 2, 4);
  d.source_line = "\t\x01\tX";
  auto lines = lines_of(roo::format_diagnostic(d));
  CHECK(lines[1] == "    2 |    X");
  CHECK(lines[2] == "      |    ^");
  // Past the end of the line: a caret just after it.
  auto e = make("f", 1, 50);
  e.source_line = "abc";
  CHECK(lines_of(roo::format_diagnostic(e))[2] == "      |    ^");
  // A length running past the end of the line is cut at the end.
  auto g = make("f", 1, 3);
  g.source_line = "abcdef";
  g.length = 40;
  CHECK(lines_of(roo::format_diagnostic(g))[2] == "      |   ^^^^");
}

TEST_CASE("diagnostic: long lines are windowed around the column") {
  std::string line;
  for (int i = 0; i < 300; ++i) line += static_cast<char>('a' + i % 26);
  for (std::uint32_t col : {1u, 10u, 49u, 50u, 51u, 52u, 100u, 150u, 249u, 250u, 251u, 290u, 299u, 300u}) {
    auto d = make("f", 7, col);
    d.source_line = line;
    d.source_line[col - 1] = 'X';
    d.length = 1;
    auto text = roo::format_diagnostic(d);
    INFO("column ", col, "\n", text);
    CHECK(char_above_caret(text) == 'X');
    auto lines = lines_of(text);
    // A window of at most 100 bytes plus the "..." marks.
    CHECK(lines[1].size() <= 8 + 3 + 100 + 3);
    bool cut_left = col - 1 > 50;
    CHECK((lines[1].compare(8, 3, "...") == 0) == cut_left);
    CHECK((lines[1].substr(lines[1].size() - 3) == "...") == (std::max<std::uint32_t>(col - 1, 50) - 50 + 100 < 300));
  }
  // A line of exactly 100 bytes is shown whole.
  auto d = make("f", 1, 100);
  d.source_line = std::string(99, 'a') + "X";
  auto lines = lines_of(roo::format_diagnostic(d));
  CHECK(lines[1] == "    1 | " + d.source_line);
  CHECK(char_above_caret(roo::format_diagnostic(d)) == 'X');
}

TEST_CASE("diagnostic: windowing does not cut a UTF-8 sequence") {
  // "é" is two bytes: the window start and end are moved off continuation bytes.
  std::string line;
  for (int i = 0; i < 150; ++i) line += "\xC3\xA9";
  line += "X";
  for (int i = 0; i < 150; ++i) line += "\xC3\xA9";
  auto d = make("f", 1, 301);
  d.source_line = line;
  auto text = roo::format_diagnostic(d);
  CHECK(char_above_caret(text) == 'X');
  auto excerpt = lines_of(text)[1].substr(8);
  REQUIRE(excerpt.size() > 6);
  CHECK(excerpt.substr(0, 3) == "...");
  CHECK(excerpt.substr(excerpt.size() - 3) == "...");
  // Between the marks, only whole "é" and the X.
  std::string inner = excerpt.substr(3, excerpt.size() - 6);
  CHECK(static_cast<unsigned char>(inner.front()) == 0xC3);
  CHECK(static_cast<unsigned char>(inner.back()) == 0xA9);
  // Odd offset start: column 2 is in the middle of the first "é".
  auto e = make("f", 1, 252);
  e.source_line = line;
  auto excerpt2 = lines_of(roo::format_diagnostic(e))[1].substr(8);
  CHECK(static_cast<unsigned char>(excerpt2[3]) == 0xC3);
}

TEST_CASE("diagnostic: JSON form") {
  auto d = make("a.bom.json", 12, 11, "/materials/3/hs");
  d.notes = {"did you mean '8501'?"};
  CHECK(roo::diagnostic_json(d) ==
        R"({"severity":"error","code":"bom-hs","message":"HS code '85x1' contains 'x'","file":"a.bom.json",)"
        R"("line":12,"column":11,"pointer":"/materials/3/hs","notes":["did you mean '8501'?"]})");

  Diagnostic w;
  w.severity = Severity::warning;
  w.code = "c";
  CHECK(roo::diagnostic_json(w) ==
        R"({"severity":"warning","code":"c","message":"","file":"","line":0,"column":0,"pointer":null,"notes":[]})");

  // Strings are escaped; the result is one line of valid JSON.
  Diagnostic x;
  x.code = "bom-json";
  x.message = "quote \" backslash \\ newline \n tab \t cr \r bell \x07 del \x7F bad \xFF end";
  x.file = "C:\\dir\\\"odd\".json";
  x.pointer = "/a~1b/\xC3\xA9";
  x.notes = {"one", "two\nlines"};
  x.line = 4294967295u;
  x.column = 1;
  std::string j = roo::diagnostic_json(x);
  CHECK(j.find('\n') == std::string::npos);
  CHECK(j.find("\"message\":\"quote \\\" backslash \\\\ newline \\n tab \\t cr \\r bell \\u0007 del \\u007f bad "
               "\xEF\xBF\xBD end\"") != std::string::npos);
  auto parsed = roo::json::parse(j);
  REQUIRE(parsed.value.has_value());
  const auto& v = *parsed.value;
  REQUIRE(v.is(roo::json::Type::object));
  CHECK(v.keys == std::vector<std::string>{"severity", "code", "message", "file", "line", "column", "pointer", "notes"});
  CHECK(v.find("severity")->text == "error");
  CHECK(v.find("message")->text == "quote \" backslash \\ newline \n tab \t cr \r bell \x07 del \x7F bad \xEF\xBF\xBD end");
  CHECK(v.find("file")->text == "C:\\dir\\\"odd\".json");
  CHECK(v.find("line")->text == "4294967295");
  CHECK(v.find("pointer")->text == "/a~1b/\xC3\xA9");
  REQUIRE(v.find("notes")->items.size() == 2);
  CHECK(v.find("notes")->items[1].text == "two\nlines");
}

TEST_CASE("diagnostic: locate") {
  std::string_view src = "ab\ncd\r\nef";
  auto at = [&](std::size_t offset) { return roo::locate(src, offset); };
  CHECK(at(0).line == 1);
  CHECK(at(0).column == 1);
  CHECK(at(0).text == "ab");
  CHECK(at(1).column == 2);
  CHECK(at(2).line == 1);  // the newline belongs to its line
  CHECK(at(2).column == 3);
  CHECK(at(3).line == 2);
  CHECK(at(3).column == 1);
  CHECK(at(3).text == "cd");  // no '\r'
  CHECK(at(5).line == 2);
  CHECK(at(5).column == 3);
  CHECK(at(7).line == 3);
  CHECK(at(7).column == 1);
  CHECK(at(7).text == "ef");
  CHECK(at(9).line == 3);
  CHECK(at(9).column == 3);
  // Past the end: clamped to the end.
  CHECK(at(1000).line == 3);
  CHECK(at(1000).column == 3);

  auto empty = roo::locate("", 5);
  CHECK(empty.line == 1);
  CHECK(empty.column == 1);
  CHECK(empty.text.empty());
  auto trailing = roo::locate("x\n", 2);
  CHECK(trailing.line == 2);
  CHECK(trailing.column == 1);
  CHECK(trailing.text.empty());
  auto utf8 = roo::locate("\xC3\xA9x", 2);  // columns are bytes
  CHECK(utf8.column == 3);
}

TEST_CASE("diagnostic: edit distance and nearest name") {
  CHECK(roo::edit_distance("", "") == 0);
  CHECK(roo::edit_distance("abc", "") == 3);
  CHECK(roo::edit_distance("", "abc") == 3);
  CHECK(roo::edit_distance("kitten", "sitting") == 3);
  CHECK(roo::edit_distance("origin", "orign") == 1);
  CHECK(roo::edit_distance("ab", "ba") == 1);  // a transposition is one step
  CHECK(roo::edit_distance("CHT", "CTH") == 1);
  CHECK(roo::edit_distance("abc", "ca") == 3);

  std::vector<std::string_view> names = {"origin", "originating", "description", "assembly", "hs"};
  CHECK(roo::nearest_name("orign", names) == "origin");
  CHECK(roo::nearest_name("origin", names) == "origin");
  CHECK(roo::nearest_name("desciption", names) == "description");
  CHECK(roo::nearest_name("asembly", names) == "assembly");
  CHECK(roo::nearest_name("colour", names).empty());
  CHECK(roo::nearest_name("hx", names) == "hs");  // short words allow one edit
  CHECK(roo::nearest_name("xy", names).empty());
  CHECK(roo::nearest_name("anything", {}).empty());
  // The limit is max(1, size / 3): 8 letters allow 2 edits, 10 letters 3.
  CHECK(roo::nearest_name("orgnatng", names).empty());  // 3 edits from "originating"
  CHECK(roo::nearest_name("orgnatingg", names) == "originating");
  // A very long word is compared cheaply (its length alone rules every name out).
  CHECK(roo::nearest_name(std::string(1000000, 'a'), names).empty());
  CHECK(roo::nearest_name(std::string(1000000, 'a'), {std::string_view("a")}).empty());
  // Ties go to the first candidate.
  CHECK(roo::nearest_name("ab", std::vector<std::string_view>{"aa", "bb"}) == "aa");
}

TEST_CASE("diagnostic: sorting by place and error detection") {
  std::vector<Diagnostic> ds;
  auto add = [&](std::uint32_t line, std::uint32_t col, std::string code, Severity s = Severity::warning) {
    Diagnostic d;
    d.line = line;
    d.column = col;
    d.code = std::move(code);
    d.severity = s;
    ds.push_back(d);
  };
  add(3, 1, "a");
  add(1, 5, "b");
  add(1, 2, "c");
  add(3, 1, "d");
  add(0, 0, "e");
  CHECK_FALSE(roo::has_errors(ds));
  roo::sort_by_place(ds);
  std::string order;
  for (const auto& d : ds) order += d.code;
  CHECK(order == "ecbad");  // stable for equal places
  add(9, 9, "f", Severity::error);
  CHECK(roo::has_errors(ds));
  CHECK_FALSE(roo::has_errors({}));
}

TEST_CASE("diagnostic: set_source_line keeps a short line whole") {
  auto d = make("f", 1, 3);
  roo::set_source_line(d, "abcdef");
  CHECK(d.source_line == "abcdef");
  CHECK(d.source_start == 0);
  std::string line(400, 'x');
  roo::set_source_line(d, line);
  CHECK(d.source_line == line);
  CHECK(d.source_start == 0);
}

TEST_CASE("diagnostic: set_source_line keeps a window of a long line, formatted the same") {
  // ASCII and two-byte UTF-8 lines, with the column everywhere and past the end.
  std::string ascii;
  for (int i = 0; i < 1000; ++i) ascii += static_cast<char>('a' + i % 26);
  std::string utf8;
  for (int i = 0; i < 500; ++i) utf8 += (i % 7 == 0) ? std::string("z") : std::string("\xC3\xA9");
  for (const std::string* line : {&ascii, &utf8}) {
    for (std::uint32_t col = 1; col <= line->size() + 3; ++col) {
      for (std::uint32_t length : {0u, 1u, 7u, 300u}) {
        auto full = make("f", 9, col);
        full.length = length;
        full.notes = {"n"};
        full.source_line = *line;
        auto kept = full;
        roo::set_source_line(kept, *line);
        INFO("column ", col, " length ", length);
        CHECK(kept.source_line.size() <= 105);
        CHECK(roo::format_diagnostic(kept) == roo::format_diagnostic(full));
      }
    }
  }
}
