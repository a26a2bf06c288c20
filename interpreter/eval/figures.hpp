// Figures as a determination shows them (money, percentages, the figures of a
// criterion's comparison), and the outcomes of criteria they are made from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/bom/bom.hpp"
#include "interpreter/eval/compiled.hpp"
#include "interpreter/eval/determination.hpp"

namespace roo::eval {

// The comparison a criterion reports (value against limit, with the
// percentage and its base when the limit is one).
struct Comparison {
  bool has = false;
  CompareOp op = CompareOp::le;
  Decimal lhs, rhs, percent, base;
  bool has_percent = false;
  bool passed = false;  // the comparison (or the nested criterion it came from) held
};

// A top-level criterion of a rule alternative, as by_criterion and the
// headline figures need it.
struct CriterionOutcome {
  std::string name;
  Tri verdict;
  Comparison comparison;
  const Symbol* symbol;
  std::vector<std::string> failing;  // labels of the materials that failed it
};

// Money and weights: the exact value, with at least two decimals and no
// trailing zeros beyond them (500.0000 -> 500.00, 0.01500 -> 0.015).
std::string money(const Decimal& d);
Figure money_figure(std::string name, const Decimal& d);
// 100 * num / den, displayed as percent_text shows it.
Figure percent_figure(std::string name, const Decimal& num, const Decimal& den, const std::optional<Decimal>& limit);
// A percentage written in the rules (the limit of a criterion).
Figure stated_percent(std::string name, const Decimal& p);
// Percentages shown with two decimals, or more when two decimals would hide
// which side of the limit the exact value is on.
std::string percent_text(const Decimal& num, const Decimal& den, const std::optional<Decimal>& limit);
MaterialNote material_note(std::string_view label, const Material& m, std::string reason, bool saved);
// The figures of a comparison, named after what the criterion `reports`.
std::vector<Figure> comparison_figures(const Comparison& c, const std::string& reports);

// Sets the headline nom/rvc figures from an alternative's criteria; false when it has none.
bool set_headline_figures(Determination& d, const std::vector<CriterionOutcome>& outcomes);

}  // namespace roo::eval
