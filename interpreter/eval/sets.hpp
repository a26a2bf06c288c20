// The sets provision (General Rule 3 sets): a set is originating when every
// item is, or when its non-originating items stay within a share of its value.
#pragma once

#include "interpreter/eval/product_run.hpp"

namespace roo::eval {

// Decides the run's product, a set, from its items (the run's materials,
// rolled up); no product-specific rule is evaluated.
void decide_set(const ProductRun& run, Determination& d, const RunMaterials& items);

}  // namespace roo::eval
