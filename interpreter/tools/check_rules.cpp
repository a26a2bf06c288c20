// roo check: the diagnostics of rules, whether they hold an agreement or only
// definitions (a library such as the stdlib).
#include <roo/tools.hpp>

#include "interpreter/lang/program.hpp"

namespace roo {

std::vector<Diagnostic> check_rules(const std::string& path) { return load_program(path).diagnostics; }

}  // namespace roo
