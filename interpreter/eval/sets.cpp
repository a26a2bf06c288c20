#include "interpreter/eval/sets.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "interpreter/eval/figures.hpp"

namespace roo::eval {

namespace {

std::string base_words(const std::string& base) {
  if (base == "ex_works") return "ex-works price";
  if (base == "transaction_value") return "value";
  std::string words = base;
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

}  // namespace

// The sets provision (GRI 3 sets; TCA Art. ORIG.12, CPTPP Art. 3.17.3): a
// set is originating when every item in it is, or when the value of its
// non-originating items does not exceed the agreement's share of its value.
// The items are the product's materials, self-produced ones rolled up first.
void decide_set(const ProductRun& run, Determination& d, const RunMaterials& materials) {
  const AgreementSettings& a = run.ctx.agreement();
  const Bom& bom = run.ctx.bom;
  const std::vector<MaterialView>& items = materials.views;
  const bool explain = run.explains();
  std::string percent = a.sets_percent->to_string();
  std::string text = fmt::format("A set is originating when all its items are originating, or when the value of its "
                                 "non-originating items does not exceed {}% of the {} of the set",
                                 percent, base_words(a.sets_base));
  // No citation: the agreement's (that of its annex of rules) is not the
  // provision's; the source line points at the setting, which says which it is.
  d.rule = Determination::RuleRef{"set (General Rule 3)", text, a.sets_source, ""};
  d.figures.basis = a.sets_base;
  std::optional<Decimal> base;
  if (auto b = value_basis_from_name(a.sets_base)) base = bom.product.bases[static_cast<std::size_t>(*b)];
  if (base) d.figures.basis_value = money_figure("basis_value", *base);

  Decimal vnm, vom;
  std::vector<MissingData> missing;
  std::vector<const MaterialView*> non_originating;
  for (const auto& v : items) {
    if (!v.originating) non_originating.push_back(&v);
    if (!v.m->value) {
      if (!v.originating)
        missing.push_back(MissingData{"value", std::string(v.label), fmt::format("the value of item {} of the set", v.label), {}, {}});
      continue;
    }
    (v.originating ? vom : vnm) += *v.m->value;
  }
  if (missing.empty()) {
    d.figures.vnm = money_figure("vnm", vnm);
    d.figures.vom = money_figure("vom", vom);
    if (base && !base->is_zero()) d.figures.nom_percent = percent_figure("nom_percent", vnm, *base, std::nullopt);
  }
  ExplainNode root;
  root.label = "sets";
  root.text = text;
  root.source = a.sets_source;
  CriterionFigures cf;
  cf.criterion = "sets";
  Tri verdict;
  if (items.empty()) {
    verdict = Tri::unknown;
    missing.push_back(MissingData{"materials", "", "the items of the set (the product's materials)", {}, {}});
  } else if (non_originating.empty()) {
    verdict = Tri::yes;
    message(d, Severity::note, "roo-set", "every item of the set is originating");
  } else if (!base || !missing.empty()) {
    verdict = Tri::unknown;
    if (!base)
      missing.push_back(MissingData{a.sets_base, "", fmt::format("the product's '{}', the base of the sets provision", a.sets_base), {}, {}});
  } else {
    Decimal limit = (*a.sets_percent * *base).shifted(-2);
    verdict = vnm <= limit ? Tri::yes : Tri::no;
    cf.figures = {money_figure("value", vnm), money_figure("limit", limit),
                  money_figure("headroom", limit - vnm), stated_percent("limit_percent", *a.sets_percent)};
    root.figures = cf.figures;
    message(d, Severity::note, "roo-set",
            fmt::format("the non-originating items of the set are worth {}, {} the limit of {} ({}% of the {})",
                        money(vnm), verdict == Tri::yes ? "within" : "over", money(limit),
                        percent, base_words(a.sets_base)));
  }
  // An item whose roll-up was undetermined counted as non-originating: a
  // failing set may then be originating after all.
  if (verdict == Tri::no && materials.uncertain) {
    verdict = Tri::unknown;
    missing.push_back(MissingData{"originating", "", "the origin of a self-produced item of the set, on which the verdict depends", {}, {}});
  }
  // What keeps a set that fails (or may fail) from being originating.
  if (verdict != Tri::yes) {
    for (const MaterialView* v : non_originating) {
      cf.failing_materials.emplace_back(v->label);
      if (explain)
        root.materials.push_back(material_note(v->label, *v->m, "a non-originating item of the set", false));
    }
  }
  cf.passed = verdict;
  d.figures.by_criterion.push_back(std::move(cf));
  root.verdict = verdict;
  root.missing = texts(missing);
  for (const auto& m : missing) report_missing(d, m, "sets", a.sets_source, fmt::format("missing {}", m.text));
  d.status = verdict == Tri::yes ? Status::originating : verdict == Tri::no ? Status::not_originating : Status::undetermined;
  if (d.status == Status::originating) {
    auto it = a.origin_criteria.find(non_originating.empty() && !materials.used_cumulation ? "originating_materials" : "psr");
    if (it == a.origin_criteria.end()) it = a.origin_criteria.find("psr");
    if (it != a.origin_criteria.end()) d.origin_criterion = it->second;
  }
  if (explain) d.explanation = std::move(root);
}

}  // namespace roo::eval
