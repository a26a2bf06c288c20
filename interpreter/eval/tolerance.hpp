// The tolerance provision: a rule alternative that fails only on
// non-originating materials whose total stays within a share of the product's
// price (or weight) is met, those materials disregarded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "interpreter/eval/expression.hpp"
#include "interpreter/eval/product_run.hpp"

namespace roo::eval {

// The tolerance that applies to a product (none: `any` is false).
struct ApplicableTolerance {
  bool any = false;
  Decimal percent;
  std::string base;  // "weight" or a value base
};

ApplicableTolerance tolerance_for(const Program& p, const HsCode& code);

// One alternative of a rule, decided.
struct AlternativeResult {
  Tri verdict = Tri::no;
  bool tolerance_used = false;
  bool wholly_obtained = false;  // the alternative is that the product is wholly obtained
};

// One alternative of a rule, with the tolerance applied when it fails only
// on materials whose total stays within the limit. What happens is told to
// `trace`; the data it lacked goes into `missing`.
AlternativeResult evaluate_alternative(const ProductRun& run, ExpressionEvaluator& ev, std::uint32_t node,
                                       const ApplicableTolerance& tol, const std::vector<MaterialView>& mats,
                                       Tracer& trace, std::vector<MissingData>& missing);

}  // namespace roo::eval
