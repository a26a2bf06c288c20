// Non-preferential origin (`kind non_preferential`): the result is a country,
// where the rule was met or, failing that, the one the residual rule names.
#pragma once

#include <vector>

#include "interpreter/eval/product_run.hpp"

namespace roo::eval {

// Sets d's status and country_of_origin from the rule's verdict `overall`.
void country_of_origin(const ProductRun& run, Determination& d, Tri overall, const std::vector<MaterialView>& mats);

}  // namespace roo::eval
