#include "interpreter/json/json.hpp"

#include <fmt/format.h>

#include "interpreter/core/utf8.hpp"

namespace roo::json {

std::string_view type_name(Type t) noexcept {
  switch (t) {
    case Type::null_value:
      return "null";
    case Type::boolean:
      return "a boolean";
    case Type::number:
      return "a number";
    case Type::string:
      return "a string";
    case Type::array:
      return "an array";
    case Type::object:
      return "an object";
  }
  return "a value";
}

const Value* Value::find(std::string_view key) const noexcept {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

namespace {

struct Failure {
  SyntaxError error;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Value parse_document() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    skip_ws();
    if (pos_ >= s_.size()) fail(pos_, "bom-json", "the input is empty; expected a JSON value");
    Value v = parse_value(0);
    skip_ws();
    if (pos_ < s_.size())
      fail(pos_, "bom-json", fmt::format("unexpected {} after the end of the JSON value", describe(pos_)));
    return v;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;

  [[noreturn]] void fail(std::size_t at, std::string code, std::string message) {
    throw Failure{SyntaxError{static_cast<std::uint32_t>(at), std::move(code), std::move(message)}};
  }

  std::string describe(std::size_t at) const {
    if (at >= s_.size()) return "end of input";
    auto c = static_cast<unsigned char>(s_[at]);
    if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", static_cast<char>(c));
    if (c < 0x80) return fmt::format("control character U+{:04X}", c);
    return "non-ASCII character";
  }

  void skip_ws() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        ++pos_;
      else
        break;
    }
  }

  void expect_literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word)
      fail(pos_, "bom-json", fmt::format("unexpected {}; expected a JSON value", describe(pos_)));
    pos_ += word.size();
  }

  Value parse_value(int depth) {
    if (depth >= max_depth) fail(pos_, "bom-depth", fmt::format("JSON nesting is deeper than {} levels", max_depth));
    if (pos_ >= s_.size())
      fail(pos_, "bom-json", "unexpected end of input; expected a JSON value (the file may be truncated)");
    Value v;
    v.offset = static_cast<std::uint32_t>(pos_);
    char c = s_[pos_];
    switch (c) {
      case '{':
        parse_object(v, depth);
        break;
      case '[':
        parse_array(v, depth);
        break;
      case '"':
        v.type = Type::string;
        v.text = parse_string();
        break;
      case 't':
        expect_literal("true");
        v.type = Type::boolean;
        v.boolean = true;
        break;
      case 'f':
        expect_literal("false");
        v.type = Type::boolean;
        break;
      case 'n':
        expect_literal("null");
        break;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          v.type = Type::number;
          v.text = std::string(parse_number());
        } else {
          fail(pos_, "bom-json", fmt::format("unexpected {}; expected a JSON value", describe(pos_)));
        }
    }
    v.end = static_cast<std::uint32_t>(pos_);
    return v;
  }

  void parse_object(Value& v, int depth) {
    v.type = Type::object;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return;
    }
    // Room for a typical BOM item's members at once, rather than growing 1, 2, 4, 8.
    v.key_offsets.reserve(8);
    v.keys.reserve(8);
    v.items.reserve(8);
    while (true) {
      skip_ws();
      if (pos_ >= s_.size())
        fail(pos_, "bom-json", "unexpected end of input inside an object (the file may be truncated)");
      if (s_[pos_] != '"')
        fail(pos_, "bom-json", fmt::format("unexpected {}; expected a member name in double quotes", describe(pos_)));
      v.key_offsets.push_back(static_cast<std::uint32_t>(pos_));
      v.keys.push_back(parse_string());
      skip_ws();
      if (pos_ >= s_.size()) fail(pos_, "bom-json", "unexpected end of input; expected ':' after the member name");
      if (s_[pos_] != ':')
        fail(pos_, "bom-json", fmt::format("unexpected {}; expected ':' after the member name", describe(pos_)));
      ++pos_;
      skip_ws();
      v.items.push_back(parse_value(depth + 1));
      skip_ws();
      if (pos_ >= s_.size())
        fail(pos_, "bom-json", "unexpected end of input; expected ',' or '}' (the file may be truncated)");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return;
      }
      fail(pos_, "bom-json", fmt::format("unexpected {}; expected ',' or '}}' after an object member", describe(pos_)));
    }
  }

  void parse_array(Value& v, int depth) {
    v.type = Type::array;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return;
    }
    v.items.reserve(4);
    while (true) {
      skip_ws();
      v.items.push_back(parse_value(depth + 1));
      skip_ws();
      if (pos_ >= s_.size())
        fail(pos_, "bom-json", "unexpected end of input; expected ',' or ']' (the file may be truncated)");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return;
      }
      fail(pos_, "bom-json", fmt::format("unexpected {}; expected ',' or ']' after an array element", describe(pos_)));
    }
  }

  std::string_view parse_number() {
    std::size_t start = pos_;
    auto digit = [&](std::size_t i) { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; };
    if (s_[pos_] == '-') ++pos_;
    if (!digit(pos_)) fail(pos_, "bom-json", "expected a digit in the number");
    if (s_[pos_] == '0') {
      ++pos_;
      if (digit(pos_)) fail(pos_, "bom-json", "a JSON number must not have leading zeros");
    } else {
      while (digit(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digit(pos_)) fail(pos_, "bom-json", "expected a digit after the decimal point");
      while (digit(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digit(pos_)) fail(pos_, "bom-json", "expected a digit in the exponent");
      while (digit(pos_)) ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  unsigned read_hex4(std::size_t at) {
    if (at + 4 > s_.size()) fail(at, "bom-json", "unexpected end of input in a \\u escape");
    unsigned v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      int h = hex_value(s_[at + i]);
      if (h < 0) fail(at + i, "bom-json", "expected four hexadecimal digits after \\u");
      v = v * 16 + static_cast<unsigned>(h);
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string parse_string() {
    std::size_t open = pos_;
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      // Copy the run of plain bytes in one go.
      std::size_t run = pos_;
      while (run < s_.size()) {
        auto c = static_cast<unsigned char>(s_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out.append(s_.substr(pos_, run - pos_));
      pos_ = run;
      if (pos_ >= s_.size()) fail(open, "bom-json", "unterminated string (the file may be truncated)");
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20)
        fail(pos_, "bom-json", fmt::format("control character U+{:04X} in a string; it must be escaped", c));
      if (c >= 0x80) {
        std::size_t n = utf8_sequence_length(s_.substr(pos_));
        if (n == 0) fail(pos_, "bom-utf8", "invalid UTF-8 byte sequence");
        out.append(s_.substr(pos_, n));
        pos_ += n;
        continue;
      }
      // Backslash escape.
      if (pos_ + 1 >= s_.size()) fail(pos_, "bom-json", "unterminated escape sequence (the file may be truncated)");
      char e = s_[pos_ + 1];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = read_hex4(pos_ + 2);
          std::size_t consumed = 6;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_ + 6, 2) != "\\u")
              fail(pos_, "bom-json", "a high surrogate \\u escape must be followed by a low surrogate");
            unsigned lo = read_hex4(pos_ + 8);
            if (lo < 0xDC00 || lo > 0xDFFF) fail(pos_ + 6, "bom-json", "expected a low surrogate \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            consumed = 12;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(pos_, "bom-json", "a low surrogate \\u escape without a high surrogate");
          }
          append_utf8(out, cp);
          pos_ += consumed;
          continue;
        }
        default:
          fail(pos_, "bom-json",
               fmt::format("invalid escape '\\{}' in a string",
                           (e >= 0x20 && e < 0x7f) ? std::string(1, e) : std::string("?")));
      }
      pos_ += 2;
    }
  }
};

}  // namespace

ParseResult parse(std::string_view text) {
  ParseResult result;
  if (text.size() > UINT32_MAX) {
    result.error = SyntaxError{0, "bom-json", "the input is larger than 4 GiB"};
    return result;
  }
  try {
    result.value = Parser(text).parse_document();
  } catch (const Failure& f) {
    result.error = f.error;
  }
  return result;
}

}  // namespace roo::json
