// Renderers of determinations: JSON (docs/determination-format.md), text for
// people, Markdown for reports.
#pragma once

#include <string>

#include "interpreter/eval/determination.hpp"
#include "interpreter/eval/determine.hpp"

namespace roo {

// One JSON object on one line (no trailing newline). The explanation follows
// `explain`: full tree, only failing branches, or null.
std::string to_json(const Determination& d, Explain explain);
std::string to_text(const Determination& d, Explain explain);
std::string to_markdown(const Determination& d, Explain explain);

}  // namespace roo
