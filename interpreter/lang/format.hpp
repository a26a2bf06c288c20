// `roo fmt`: the canonical layout of a roo file (the rules are listed at the
// top of format.cpp).
#pragma once

#include <string>
#include <string_view>

#include "interpreter/lang/ast.hpp"

namespace roo {

// The canonical text of `file`, which was parsed from `source` without syntax
// errors. The source supplies what the tree does not keep: the comments (by
// their spans), the blank lines between items, and whether a code list after
// `of`, `except` or `in` was written in brackets. Formatting the result again
// gives the same text, and parsing it gives the same tree apart from spans.
std::string format_source(const ast::File& file, std::string_view source);

// Whether two syntax trees are the same apart from spans and comments (what
// `roo fmt` promises to keep).
bool same_syntax(const ast::File& a, const ast::File& b);

}  // namespace roo
