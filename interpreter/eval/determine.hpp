// The engine's public entry for determinations: load an agreement once
// (load_program in interpreter/lang/program.hpp), then determine any number
// of BOMs against it. A Program is immutable and may be shared by threads;
// determine() keeps all its state on the stack.
#pragma once

#include <optional>
#include <string>

#include "interpreter/bom/bom.hpp"
#include "interpreter/eval/determination.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

// Decides whether the BOM's product is originating under the program's
// agreement. Never throws for bad data: missing data gives an undetermined
// result naming it; contradictory data gives an error result.
Determination determine(const Program& program, const Bom& bom, const DetermineOptions& options);

// A result for an input that could not be read: status error, with the
// diagnostics as messages.
Determination error_determination(const Program& program, std::string product,
                                  const std::vector<Diagnostic>& diagnostics);

// Builds the evaluation form of a checked program (called by check_sources).
std::shared_ptr<const CompiledProgram> compile_program(const Program& program);

}  // namespace roo
