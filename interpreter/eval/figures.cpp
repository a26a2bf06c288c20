#include "interpreter/eval/figures.hpp"

namespace roo::eval {

std::string money(const Decimal& d) {
  std::string text = d.scale() >= 2 ? d.to_string() : d.format(2);
  std::size_t point = text.find('.');
  if (point != std::string::npos)
    while (text.size() > point + 3 && text.back() == '0') text.pop_back();
  return text;
}

Figure money_figure(std::string name, const Decimal& d) { return Figure{std::move(name), money(d), d, Decimal::from_int(1)}; }

Figure percent_figure(std::string name, const Decimal& num, const Decimal& den, const std::optional<Decimal>& limit) {
  return Figure{std::move(name), percent_text(num, den, limit), num.shifted(2), den};
}

Figure stated_percent(std::string name, const Decimal& p) { return Figure{std::move(name), p.format(2), p, Decimal::from_int(1)}; }

MaterialNote material_note(std::string_view label, const Material& m, std::string reason, bool saved) {
  return MaterialNote{std::string(label), m.hs.dotted(), m.value ? money(*m.value) : std::string(), m.value,
                      std::move(reason), saved};
}

std::string percent_text(const Decimal& num, const Decimal& den, const std::optional<Decimal>& limit) {
  if (den.is_zero()) return "n/a";
  for (int places = 2; places <= 8; ++places) {
    auto shown = Decimal::divide(num.shifted(2), den, places);
    if (!shown) return "n/a";
    if (!limit) return shown->format(places);
    int exact = compare_ratio(num.shifted(2), den, *limit, Decimal::from_int(1));
    int display = shown->compare(*limit);
    if (exact == display || places == 8) return shown->format(places);
  }
  return "n/a";
}

std::vector<Figure> comparison_figures(const Comparison& c, const std::string& reports) {
  std::vector<Figure> out;
  bool at_most = c.op == CompareOp::le || c.op == CompareOp::lt;
  if (c.has_percent && !c.base.is_zero()) {
    std::string name = reports == "rvc" ? "rvc_percent" : reports == "nom" ? "nom_percent" : "percent";
    out.push_back(percent_figure(name, c.lhs, c.base, c.percent));
    out.push_back(stated_percent("limit_percent", c.percent));
    out.push_back(money_figure("base", c.base));
  }
  out.push_back(money_figure("value", c.lhs));
  out.push_back(money_figure("limit", c.rhs));
  out.push_back(money_figure("headroom", at_most ? c.rhs - c.lhs : c.lhs - c.rhs));
  return out;
}

bool set_headline_figures(Determination& d, const std::vector<CriterionOutcome>& outcomes) {
  bool any = false, nom_passed = false, rvc_passed = false, nom_set = false, rvc_set = false;
  for (const auto& t : outcomes) {
    const Comparison& c = t.comparison;
    if (!c.has || !c.has_percent || c.base.is_zero()) continue;
    const std::string& reports = t.symbol->criterion->reports;
    Figure pct = percent_figure(reports == "rvc" ? "rvc_percent" : "nom_percent", c.lhs, c.base, c.percent);
    bool passed = c.passed;
    // The figure of a method that was met wins over one that was not.
    if (reports == "rvc" && (!rvc_set || (passed && !rvc_passed))) {
      d.figures.rvc_percent = pct;
      rvc_set = any = true;
      rvc_passed = passed;
    } else if (reports == "nom" && (!nom_set || (passed && !nom_passed))) {
      d.figures.nom_percent = pct;
      nom_set = any = true;
      nom_passed = passed;
    }
  }
  return any;
}

}  // namespace roo::eval
