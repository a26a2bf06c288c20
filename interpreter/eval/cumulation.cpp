#include "interpreter/eval/cumulation.hpp"

#include <algorithm>

#include "interpreter/core/iso.hpp"

namespace roo::eval {

bool is_cumulation_partner(const AgreementSettings& a, const std::string& country) {
  for (const auto& c : a.cumulation)
    if (std::find(c.partners.begin(), c.partners.end(), country) != c.partners.end()) return true;
  return false;
}

bool originating_by_cumulation(const AgreementSettings& a, const std::string& origin, const std::string& produced_in) {
  if (origin.empty() || !is_cumulation_partner(a, origin)) return false;
  bool party = a.is_party(origin);  // groups expanded
  // A material from Northern Ireland (XI) in a product of Great Britain is the United Kingdom's own.
  if (!party || (produced_in.size() && origin != produced_in && !(produced_in == "GB" && origin == "XI")))
    return !party || origin != produced_in;
  return false;
}

}  // namespace roo::eval
