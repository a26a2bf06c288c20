// Roll-up: a self-produced sub-assembly (or a partner's, under full
// cumulation) is decided by the rule for its own code, its value as the
// base, and then counts as originating or not; a failing one may be looked
// through to its own materials. This builds a run's materials as evaluation
// sees them.
#pragma once

#include <vector>

#include "interpreter/eval/product_run.hpp"
#include "interpreter/eval/trace.hpp"

namespace roo::eval {

// Appends the evaluation view of `list` to `out`: roll-up of sub-assemblies
// first (depth first, each at `depth` + 1, told to `trace`), then origin under
// cumulation. False (with an error message in `d`) on contradictory
// declarations or a sub-assembly whose determination is an error.
bool build_materials(EvaluationContext& ctx, Determination& d, Tracer& trace, const std::vector<Material>& list,
                     int depth, RunMaterials& out);

}  // namespace roo::eval
