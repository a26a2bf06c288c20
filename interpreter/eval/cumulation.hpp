// Cumulation: materials originating in a partner of the agreement's
// cumulation provisions count as originating here, and a partner's
// production counts as the product's own (full cumulation, in roll_up).
#pragma once

#include <string>

#include "interpreter/lang/program.hpp"

namespace roo::eval {

// Whether `country` is a partner of one of the agreement's cumulation provisions.
bool is_cumulation_partner(const AgreementSettings& a, const std::string& country);

// Whether an originating material from `origin` is originating thanks to
// cumulation: it comes from a partner that is not a party, or from a party
// other than the country of production (`produced_in`, may be empty).
bool originating_by_cumulation(const AgreementSettings& a, const std::string& origin, const std::string& produced_in);

}  // namespace roo::eval
