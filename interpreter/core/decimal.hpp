// Exact decimals (the class is public: include/roo/decimal.hpp) and the exact
// ratio operations the engine compares thresholds with.
#pragma once

#include <roo/decimal.hpp>

namespace roo {

// Exact comparison of the ratios a/b and c/d (b and d must be positive):
// returns -1, 0 or 1. Used for thresholds such as (AV - VNM) / AV >= 40 / 100.
int compare_ratio(const Decimal& a, const Decimal& b, const Decimal& c, const Decimal& d);

// The percentage 100 * num / den rounded half away from zero to `places`
// decimals, as text ("62.50"); "n/a" when den is zero.
std::string format_ratio_percent(const Decimal& num, const Decimal& den, int places = 2);

}  // namespace roo
