// The result of evaluating a BOM against an agreement: public
// (include/roo/determination.hpp). Renderers (text, JSON, Markdown) live in
// output.hpp.
#pragma once

#include <roo/determination.hpp>

#include "interpreter/core/decimal.hpp"
#include "interpreter/core/diagnostic.hpp"
