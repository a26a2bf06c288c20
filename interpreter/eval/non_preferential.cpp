#include "interpreter/eval/non_preferential.hpp"

#include <map>

#include <fmt/format.h>

#include "interpreter/eval/figures.hpp"

namespace roo::eval {

// Non-preferential origin: the country where the last substantial
// transformation (the rule) took place; failing that, the residual rule.
void country_of_origin(const ProductRun& run, Determination& d, Tri overall, const std::vector<MaterialView>& mats) {
  const ProductView& product = run.product;
  if (overall == Tri::unknown) return;  // undetermined, with the missing data already named
  if (overall == Tri::yes) {
    if (product.item->produced_in.empty()) {
      d.status = Status::undetermined;
      report_missing(d, MissingData{"produced_in", "", "the product's 'produced_in', the country where the rule was met", {}, {}},
                     "residual rule", "", "missing the product's 'produced_in', the country where the rule was met");
      return;
    }
    d.status = Status::originating;
    d.country_of_origin = product.item->produced_in;
    message(d, Severity::note, "roo-country",
            fmt::format("the rule is met by the production in {}, which is therefore the country of origin", product.item->produced_in));
    return;
  }
  if (run.ctx.agreement().residual != "major_portion_of_value") {
    d.status = Status::undetermined;
    message(d, Severity::error, "roo-no-residual", "the rule is not met and the rules define no residual rule to fall back on");
    return;
  }
  // The country from which the materials of the greatest total value come.
  std::map<std::string, Decimal> by_country;
  for (const auto& v : mats) {
    if (!v.m->value || v.m->origin.empty() || v.m->origin == "unknown") {
      d.status = Status::undetermined;
      report_missing(d,
                     MissingData{v.m->value ? "origin" : "value", std::string(v.label),
                                 fmt::format("the {} of material {}", v.m->value ? "origin" : "value", v.label), {}, {}},
                     "residual rule", "",
                     fmt::format("missing the {} of material {}, needed by the residual rule (major portion of value)",
                                 v.m->value ? "origin" : "value", v.label));
      return;
    }
    by_country[v.m->origin] += *v.m->value;
  }
  const std::pair<const std::string, Decimal>* best = nullptr;
  bool tie = false;
  for (const auto& entry : by_country) {
    if (!best || entry.second > best->second) {
      best = &entry;
      tie = false;
    } else if (entry.second == best->second) {
      tie = true;
    }
  }
  if (!best || tie) {
    d.status = Status::undetermined;
    message(d, Severity::error, "roo-residual-tie",
            best ? "two countries supply materials of the same greatest value: the residual rule does not decide"
                 : "no materials: the residual rule does not decide");
    return;
  }
  d.status = Status::originating;
  d.country_of_origin = best->first;
  std::vector<std::string> shares;
  for (const auto& [country, value] : by_country) shares.push_back(fmt::format("{} {}", country, money(value)));
  message(d, Severity::note, "roo-country",
          fmt::format("the rule is not met; under the residual rule the origin is {}, the country of the major portion of the "
                      "materials by value ({})", best->first, fmt::join(shares, ", ")));
}

}  // namespace roo::eval
