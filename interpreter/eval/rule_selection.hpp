// Rule selection: which rules of the agreement apply to a run's product (the
// most specific scope in force on the date, for the destination; 'ex' rules
// by their condition), what to do when an 'ex' condition cannot be decided,
// and rule_of (a code created after the agreement's HS edition takes the
// rules of the codes it was carved out of).
#pragma once

#include <vector>

#include "interpreter/eval/expression.hpp"
#include "interpreter/eval/product_run.hpp"

namespace roo::eval {

// The rules that apply to the run's product. When 'ex' conditions cannot be
// decided, `undetermined` is set and `possible` gets each set of rules that
// may be the one that applies, if there are few.
std::vector<const CompiledRule*> select_rules(const ProductRun& run, Determination& d, ExpressionEvaluator& ev,
                                              bool& undetermined, std::vector<std::vector<const CompiledRule*>>& possible);

// An 'ex' condition could not be decided, but the product may still be:
// when every selection it leaves open gives the same verdict, that is the
// verdict (with a note naming what was not known). False when they differ.
bool decide_across(const ProductRun& run, Determination& d, const std::vector<std::vector<const CompiledRule*>>& possible,
                   const std::vector<MissingData>& unknown);

// `rule_of`: the product is determined as each code the rule names; when the
// readings disagree, the result is undetermined.
void follow_rule_of(const ProductRun& run, Determination& d, const CompiledRule& via);

// The codes of the agreement's edition that a code created after it stands
// for: those of the narrowest rule_of scope that covers it; null when none does.
const std::vector<HsCode>* followed_codes(const CompiledProgram& cp, const HsCode& code);

}  // namespace roo::eval
