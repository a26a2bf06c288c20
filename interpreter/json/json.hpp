// A small, strict JSON reader (RFC 8259) that keeps what a BOM reader needs
// and general-purpose libraries drop: the exact text of every number (figures
// are never read through a double) and the byte offset of every value and key,
// so each defect can be reported at its line and column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roo::json {

enum class Type : std::uint8_t { null_value, boolean, number, string, array, object };

std::string_view type_name(Type t) noexcept;  // "null", "a boolean", "a number", ...

struct Value {
  Type type = Type::null_value;
  bool boolean = false;
  std::uint32_t offset = 0;                // byte offset of the value's first character
  std::uint32_t end = 0;                   // byte offset one past its last character
  std::string text;                        // number: its exact text; string: the decoded string
  std::vector<Value> items;                // array elements, or object member values
  std::vector<std::string> keys;           // object member names, parallel to items
  std::vector<std::uint32_t> key_offsets;  // offsets of the member names

  bool is(Type t) const noexcept { return type == t; }
  // The first member called `key`, or null.
  const Value* find(std::string_view key) const noexcept;
};

// Nesting deeper than this is rejected: no input can exhaust the stack.
inline constexpr int max_depth = 128;

struct SyntaxError {
  std::uint32_t offset = 0;
  std::string code;     // "bom-json", "bom-utf8", "bom-depth"
  std::string message;  // "expected ',' or '}' after an object member"
};

struct ParseResult {
  std::optional<Value> value;
  std::optional<SyntaxError> error;
};

// Parses exactly one JSON value surrounded by optional whitespace. A UTF-8 byte
// order mark at the start is skipped.
ParseResult parse(std::string_view text);

}  // namespace roo::json
