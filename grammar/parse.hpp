// The public entry of the grammar: source text in, syntax tree and syntax
// diagnostics out. No PEGTL type crosses this boundary.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "interpreter/core/diagnostic.hpp"
#include "interpreter/lang/ast.hpp"

namespace roo {

struct ParseResult {
  ast::File file;  // every item that parsed; items with syntax errors are left out
  std::vector<Diagnostic> diagnostics;
};

// Largest .roo source accepted (one file, or an agreement's files together),
// and the deepest expression nesting. Loaded rules take up to about 75 bytes
// per source byte (bench/README.md), so 8 MiB fits in 1 GB; it is 16 times the
// largest agreement encoded (CPTPP, 0.5 MB).
inline constexpr std::size_t max_source_bytes = 8u << 20;
inline constexpr std::size_t max_expression_depth = 100;
// The tallest expression tree: chains (a.x.y, A except B except C, 1 + 2 + 3)
// make trees as deep as they are long, and the checker, the evaluator and the
// renderers recurse on them.
inline constexpr std::size_t max_expression_height = 256;
// The most operands and codes one item (a rule, a definition, a setting) may have.
inline constexpr std::size_t max_item_units = 100000;
// Syntax errors reported for one file before the parse gives up.
inline constexpr std::size_t max_syntax_errors = 1000;

// Parses a whole file. Every syntax error is reported (parsing resumes at the
// next item after an error), each with its line and column in `file_name`.
ParseResult parse(std::string_view source, std::string_view file_name);

// The number of problems tao::pegtl::analyze finds in the grammar (rules that
// may loop without consuming input); 0 for a sound grammar. For the tests.
std::size_t grammar_issues();

}  // namespace roo
