// Tests for the strict JSON reader (interpreter/json/json.hpp).
#include "interpreter/json/json.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace {

namespace json = roo::json;
using json::Type;

json::Value ok(std::string_view text) {
  auto r = json::parse(text);
  INFO("text: ", std::string(text));
  if (r.error) INFO("error: ", r.error->message, " at ", r.error->offset);
  REQUIRE(r.value.has_value());
  CHECK_FALSE(r.error.has_value());
  return *r.value;
}

json::SyntaxError bad(std::string_view text) {
  auto r = json::parse(text);
  INFO("text: ", std::string(text));
  REQUIRE(r.error.has_value());
  CHECK_FALSE(r.value.has_value());
  return *r.error;
}

// The code and offset of the error for `text`.
void check_error(std::string_view text, std::string_view code, std::uint32_t offset) {
  auto e = bad(text);
  INFO("text: ", std::string(text), " message: ", e.message);
  CHECK(e.code == code);
  CHECK(e.offset == offset);
  CHECK_FALSE(e.message.empty());
}

}  // namespace

TEST_CASE("json: literals") {
  auto t = ok("true");
  CHECK(t.type == Type::boolean);
  CHECK(t.boolean);
  CHECK(t.offset == 0);
  CHECK(t.end == 4);
  auto f = ok("false");
  CHECK(f.is(Type::boolean));
  CHECK_FALSE(f.boolean);
  CHECK(f.end == 5);
  auto n = ok("null");
  CHECK(n.is(Type::null_value));
  CHECK(n.end == 4);

  check_error("tru", "bom-json", 0);
  check_error("True", "bom-json", 0);
  check_error("nul", "bom-json", 0);
  check_error("falsey", "bom-json", 5);  // trailing garbage after a complete literal
  check_error("NaN", "bom-json", 0);
  check_error("Infinity", "bom-json", 0);
}

TEST_CASE("json: type names") {
  CHECK(json::type_name(Type::null_value) == "null");
  CHECK(json::type_name(Type::boolean) == "a boolean");
  CHECK(json::type_name(Type::number) == "a number");
  CHECK(json::type_name(Type::string) == "a string");
  CHECK(json::type_name(Type::array) == "an array");
  CHECK(json::type_name(Type::object) == "an object");
}

TEST_CASE("json: number text is kept exactly") {
  for (std::string_view text : {"0", "-0", "1040.00", "-0.5", "1e3", "1E3", "1e+3", "1e-3", "2.5E-2", "0.0", "-0.000e-0",
                                "12345678901234567890123", "123456789012345678901234567890.12345678901234567890",
                                "1e999999999", "-12345678901234567890123e-45"}) {
    auto v = ok(text);
    INFO("text: ", std::string(text));
    CHECK(v.type == Type::number);
    CHECK(v.text == text);
    CHECK(v.offset == 0);
    CHECK(v.end == text.size());
  }
  // Whitespace around a number is not part of it.
  auto v = ok(" \t\r\n 1040.00 \n");
  CHECK(v.text == "1040.00");
  CHECK(v.offset == 5);
  CHECK(v.end == 12);
}

TEST_CASE("json: malformed numbers are rejected at the right place") {
  check_error("-", "bom-json", 1);
  check_error("-a", "bom-json", 1);
  check_error("01", "bom-json", 1);
  check_error("-01", "bom-json", 2);
  check_error("00", "bom-json", 1);
  check_error("1.", "bom-json", 2);
  check_error("1.e3", "bom-json", 2);
  check_error(".5", "bom-json", 0);
  check_error("+1", "bom-json", 0);
  check_error("1e", "bom-json", 2);
  check_error("1e+", "bom-json", 3);
  check_error("1E-x", "bom-json", 3);
  check_error("0x10", "bom-json", 1);
  check_error("1,000", "bom-json", 1);
  check_error("[1.]", "bom-json", 3);
  check_error("[01]", "bom-json", 2);
  // A number glued to a following token.
  check_error("12a", "bom-json", 2);
  check_error("-", "bom-json", 1);
  CHECK(bad("01").message == "a JSON number must not have leading zeros");
  CHECK(bad("1.").message == "expected a digit after the decimal point");
  CHECK(bad("1e").message == "expected a digit in the exponent");
  CHECK(bad("-").message == "expected a digit in the number");
}

TEST_CASE("json: strings and escapes") {
  auto s = ok(R"("hello")");
  CHECK(s.is(Type::string));
  CHECK(s.text == "hello");
  CHECK(s.offset == 0);
  CHECK(s.end == 7);
  CHECK(ok(R"("")").text.empty());
  CHECK(ok(R"("a\"b\\c\/d\be\ff\ng\rh\ti")").text == "a\"b\\c/d\be\ff\ng\rh\ti");
  CHECK(ok(R"("\u0041\u00e9\u20AC")").text == "A\xC3\xA9\xE2\x82\xAC");
  CHECK(ok(R"("\u0000")").text == std::string(1, '\0'));
  CHECK(ok(R"("\u007f\u0080\u07FF\u0800\uFFFF")").text == "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF");
  // A surrogate pair is one code point (U+1F600), in four UTF-8 bytes.
  CHECK(ok(R"("\uD83D\uDE00")").text == "\xF0\x9F\x98\x80");
  CHECK(ok(R"("x\ud800\udc00y")").text == "x\xF0\x90\x80\x80y");
  CHECK(ok(R"("\uDBFF\uDFFF")").text == "\xF4\x8F\xBF\xBF");
  // Raw UTF-8 passes through unchanged.
  CHECK(ok("\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"").text == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  // DEL is not a control character for JSON.
  CHECK(ok("\"a\x7F\"").text == "a\x7F");
}

TEST_CASE("json: invalid escapes") {
  check_error(R"("\x41")", "bom-json", 1);
  check_error(R"("\a")", "bom-json", 1);
  check_error(R"("\U0041")", "bom-json", 1);
  check_error(R"("\u12G4")", "bom-json", 5);
  check_error(R"("\u12")", "bom-json", 3);  // fewer than four characters left
  check_error(R"("\u12)", "bom-json", 3);   // end of input inside the escape
  check_error(R"("\u12"    )", "bom-json", 5);  // '"' is not a hex digit
  check_error(R"("abc\)", "bom-json", 4);
  // A high surrogate must be followed by a low one.
  check_error(R"("\uD83D")", "bom-json", 1);
  check_error(R"("\uD83Dx")", "bom-json", 1);
  check_error(R"("\uD83D\n")", "bom-json", 1);
  check_error(R"("\uD83D\u0041")", "bom-json", 7);
  check_error(R"("\uD83D\uD83D")", "bom-json", 7);
  check_error(R"("\uD83D\uDE0")", "bom-json", 12);
  // A low surrogate alone.
  check_error(R"("\uDE00")", "bom-json", 1);
  check_error(R"("ab\uDFFF\uD800")", "bom-json", 3);
  CHECK(bad(R"("\uDE00")").message == "a low surrogate \\u escape without a high surrogate");
}

TEST_CASE("json: control characters must be escaped") {
  check_error("\"a\tb\"", "bom-json", 2);
  check_error("\"a\nb\"", "bom-json", 2);
  check_error(std::string_view("\"\0\"", 3), "bom-json", 1);
  check_error("\"ab\x1F\"", "bom-json", 3);
  CHECK(bad("\"a\tb\"").message == "control character U+0009 in a string; it must be escaped");
  // Outside strings, only space, tab, CR and LF are whitespace.
  check_error("\f1", "bom-json", 0);
  check_error("[1,\v2]", "bom-json", 3);
  check_error(std::string_view("1\0", 2), "bom-json", 1);
}

TEST_CASE("json: invalid UTF-8 in a string is bom-utf8 at its first byte") {
  check_error("\"ab\xFF\"", "bom-utf8", 3);
  check_error("\"\x80\"", "bom-utf8", 1);
  check_error("\"caf\xC3\"", "bom-utf8", 4);             // truncated 2-byte sequence
  check_error("\"\xE2\x82\"", "bom-utf8", 1);            // truncated 3-byte sequence
  check_error("\"\xC0\xAF\"", "bom-utf8", 1);            // overlong '/'
  check_error("\"\xE0\x80\xAF\"", "bom-utf8", 1);        // overlong, 3 bytes
  check_error("\"\xED\xA0\x80\"", "bom-utf8", 1);        // encoded surrogate
  check_error("\"\xF4\x90\x80\x80\"", "bom-utf8", 1);    // above U+10FFFF
  check_error("\"\xF5\x80\x80\x80\"", "bom-utf8", 1);    //
  check_error("{\"k\xFE\": 1}", "bom-utf8", 3);          // in a member name
  check_error("[\"ok\", \"\xC3\xA9\xFF\"]", "bom-utf8", 10);
  CHECK(bad("\"ab\xFF\"").message == "invalid UTF-8 byte sequence");
  // Outside a string a non-ASCII byte is a syntax error.
  auto e = bad("[\xC3\xA9]");
  CHECK(e.code == "bom-json");
  CHECK(e.offset == 1);
  CHECK(e.message == "unexpected non-ASCII character; expected a JSON value");
}

TEST_CASE("json: unterminated strings are reported at the opening quote") {
  check_error("\"abc", "bom-json", 0);
  check_error("[1, \"abc", "bom-json", 4);
  check_error("{\"key", "bom-json", 1);
  CHECK(bad("\"abc").message == "unterminated string (the file may be truncated)");
}

TEST_CASE("json: arrays with offsets") {
  //                    0123456789012345678
  auto a = ok(R"([1, "x", [true], {}])");
  REQUIRE(a.is(Type::array));
  CHECK(a.offset == 0);
  CHECK(a.end == 20);
  REQUIRE(a.items.size() == 4);
  CHECK(a.items[0].text == "1");
  CHECK(a.items[0].offset == 1);
  CHECK(a.items[0].end == 2);
  CHECK(a.items[1].text == "x");
  CHECK(a.items[1].offset == 4);
  CHECK(a.items[1].end == 7);
  CHECK(a.items[2].is(Type::array));
  CHECK(a.items[2].offset == 9);
  CHECK(a.items[2].end == 15);
  REQUIRE(a.items[2].items.size() == 1);
  CHECK(a.items[2].items[0].offset == 10);
  CHECK(a.items[2].items[0].end == 14);
  CHECK(a.items[3].is(Type::object));
  CHECK(a.items[3].offset == 17);
  CHECK(a.items[3].end == 19);
  CHECK(a.keys.empty());

  auto empty = ok(" [ \n ] ");
  CHECK(empty.is(Type::array));
  CHECK(empty.items.empty());
  CHECK(empty.offset == 1);
  CHECK(empty.end == 6);
}

TEST_CASE("json: objects with key offsets") {
  //                    0         1         2
  //                    0123456789012345678901234567
  auto o = ok(R"({"a": [1, "x"], "b" :null})");
  REQUIRE(o.is(Type::object));
  CHECK(o.offset == 0);
  CHECK(o.end == 26);
  REQUIRE(o.keys.size() == 2);
  REQUIRE(o.items.size() == 2);
  REQUIRE(o.key_offsets.size() == 2);
  CHECK(o.keys[0] == "a");
  CHECK(o.key_offsets[0] == 1);
  CHECK(o.items[0].offset == 6);
  CHECK(o.items[0].end == 14);
  CHECK(o.keys[1] == "b");
  CHECK(o.key_offsets[1] == 16);
  CHECK(o.items[1].is(Type::null_value));
  CHECK(o.items[1].offset == 21);
  CHECK(o.items[1].end == 25);

  REQUIRE(o.find("a") != nullptr);
  CHECK(o.find("a") == &o.items[0]);
  CHECK(o.find("b") == &o.items[1]);
  CHECK(o.find("c") == nullptr);
  CHECK(o.find("") == nullptr);

  // Escaped member names are decoded; duplicates are kept and find() gives the first.
  auto d = ok(R"({"k\u00e9y": 1, "k": 2, "k": 3, "": 4})");
  REQUIRE(d.keys.size() == 4);
  CHECK(d.keys[0] == "k\xC3\xA9y");
  CHECK(d.find("k\xC3\xA9y")->text == "1");
  CHECK(d.find("k")->text == "2");
  CHECK(d.find("")->text == "4");
  CHECK(d.key_offsets[1] == 16);
  CHECK(d.key_offsets[2] == 24);

  auto empty = ok("{ }");
  CHECK(empty.is(Type::object));
  CHECK(empty.keys.empty());
  CHECK(empty.end == 3);
}

TEST_CASE("json: structural errors") {
  check_error("[1,]", "bom-json", 3);
  check_error("[1 2]", "bom-json", 3);
  check_error("[,1]", "bom-json", 1);
  check_error("[1", "bom-json", 2);
  check_error("[", "bom-json", 1);
  check_error("{\"a\":1,}", "bom-json", 7);
  check_error("{\"a\" 1}", "bom-json", 5);
  check_error("{\"a\":}", "bom-json", 5);
  check_error("{\"a\":1 \"b\":2}", "bom-json", 7);
  check_error("{a:1}", "bom-json", 1);
  check_error("{'a':1}", "bom-json", 1);
  check_error("{\"a\"", "bom-json", 4);
  check_error("{\"a\":", "bom-json", 5);
  check_error("{\"a\":1", "bom-json", 6);
  check_error("{", "bom-json", 1);
  check_error("]", "bom-json", 0);
  check_error("}", "bom-json", 0);
  CHECK(bad("[1 2]").message == "unexpected '2'; expected ',' or ']' after an array element");
  CHECK(bad("{\"a\":1 \"b\":2}").message == "unexpected '\"'; expected ',' or '}' after an object member");
  CHECK(bad("{\"a\":1").message == "unexpected end of input; expected ',' or '}' (the file may be truncated)");
}

TEST_CASE("json: trailing garbage after the value") {
  check_error("{}x", "bom-json", 2);
  check_error("1 2", "bom-json", 2);
  check_error("[] []", "bom-json", 3);
  check_error("\"a\"\"b\"", "bom-json", 3);
  check_error("null\n\x01", "bom-json", 5);
  CHECK(bad("{}x").message == "unexpected 'x' after the end of the JSON value");
  CHECK(bad("null\n\x01").message == "unexpected control character U+0001 after the end of the JSON value");
  // Trailing whitespace is fine.
  CHECK(ok("{} \r\n\t ").end == 2);
}

TEST_CASE("json: empty input") {
  check_error("", "bom-json", 0);
  check_error("   \n\t", "bom-json", 5);
  check_error("\xEF\xBB\xBF", "bom-json", 3);
  CHECK(bad("").message == "the input is empty; expected a JSON value");
}

TEST_CASE("json: a UTF-8 byte order mark at the start is skipped") {
  auto v = ok("\xEF\xBB\xBF{\"a\": 1}");
  REQUIRE(v.is(Type::object));
  CHECK(v.offset == 3);
  CHECK(v.key_offsets[0] == 4);
  CHECK(v.find("a")->text == "1");
  CHECK(ok("\xEF\xBB\xBF 7").offset == 4);
  // Only at the start, and only the whole mark.
  check_error(" \xEF\xBB\xBF{}", "bom-json", 1);
  check_error("\xEF\xBB{}", "bom-json", 0);
}

TEST_CASE("json: nesting depth is limited") {
  auto nest = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  // The outermost value is at depth 0: max_depth levels are accepted.
  auto v = ok(nest(json::max_depth));
  CHECK(v.is(Type::array));
  check_error(nest(json::max_depth + 1), "bom-depth", json::max_depth);
  CHECK(bad(nest(json::max_depth + 1)).message == "JSON nesting is deeper than 128 levels");

  // Far deeper input fails cleanly instead of exhausting the stack.
  check_error(std::string(100000, '['), "bom-depth", json::max_depth);
  check_error(nest(100000), "bom-depth", json::max_depth);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  check_error(objects, "bom-depth", 5 * json::max_depth);
  std::string mixed;
  for (int i = 0; i < 50000; ++i) mixed += "[{\"k\":";
  auto e = bad(mixed);
  CHECK(e.code == "bom-depth");
}

TEST_CASE("json: deep but allowed nesting keeps offsets") {
  std::string text = "[[[\"deep\"]]]";
  auto v = ok(text);
  const json::Value* p = &v;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(p->items.size() == 1);
    p = &p->items[0];
  }
  CHECK(p->text == "deep");
  CHECK(p->offset == 3);
  CHECK(p->end == 9);
}
