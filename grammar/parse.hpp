// The public entry of the grammar: source text in, syntax tree and syntax
// diagnostics out. No PEGTL type crosses this boundary.
#pragma once

#include <string_view>
#include <vector>

#include "interpreter/core/diagnostic.hpp"
#include "interpreter/lang/ast.hpp"

namespace roo {

struct ParseResult {
  ast::File file;  // every item that parsed; items with syntax errors are left out
  std::vector<Diagnostic> diagnostics;
};

// Largest .roo source accepted, and the deepest expression nesting.
inline constexpr std::size_t max_source_bytes = 64u << 20;
inline constexpr std::size_t max_expression_depth = 100;

// Parses a whole file. Every syntax error is reported (parsing resumes at the
// next item after an error), each with its line and column in `file_name`.
ParseResult parse(std::string_view source, std::string_view file_name);

}  // namespace roo
