// Legal English for rules: what `roo rule` prints and what explanations quote.
// Criteria supply their own wording (the string in their definition); the
// renderer fills in the arguments and joins alternatives the way annexes do.
#pragma once

#include <string>
#include <vector>

#include "interpreter/lang/program.hpp"

namespace roo {

// "heading 73.02", "headings 72.08 through 72.17 and 72.19", "chapters 50 through 63".
std::string render_codes(const std::vector<ast::CodeItem>& items);

// The scope of a rule: "heading 73.02", "ex heading 17.04 (white chocolate)".
std::string render_scope(const ast::Scope& scope);

// The rule's body as a sentence: "A change from any other chapter, except from
// headings 72.08 through 72.17; or the value of all the non-originating
// materials used does not exceed 50% of the ex-works price".
std::string render_rule(const Program& program, const RuleEntry& rule);

// Any expression, as a phrase (no capital, no full stop).
std::string render_expr(const Program& program, const ast::Expr& expr);

// The citation of a rule: its own `cite`, or the agreement's citation and
// the chapter of its scope ("Annex ORIG-2, Chapter 87").
std::string rule_citation(const Program& program, const RuleEntry& rule);

}  // namespace roo
