#include "interpreter/eval/tolerance.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace roo::eval {

ApplicableTolerance tolerance_for(const Program& p, const HsCode& code) {
  const Tolerance* fallback = nullptr;
  for (const auto& t : p.agreement.tolerances) {
    if (t.chapters.empty()) {
      if (!fallback) fallback = &t;
      continue;
    }
    if (t.chapters.contains(code)) return t.none ? ApplicableTolerance{} : ApplicableTolerance{true, t.percent, t.base};
  }
  if (fallback && !fallback->none) return ApplicableTolerance{true, fallback->percent, fallback->base};
  return {};
}

namespace {

// Whether the condition contains `op` outside quantifiers and comparisons.
bool contains_op(const CompiledProgram& cp, std::uint32_t id, Op op) {
  const Node& nd = cp.nodes[id];
  if (nd.op == op) return true;
  if (nd.op == Op::and_ || nd.op == Op::or_) {
    for (auto c : cp.lists[nd.list])
      if (contains_op(cp, c, op)) return true;
    return false;
  }
  if (nd.op == Op::criterion || nd.op == Op::not_) return contains_op(cp, nd.a, op);
  return false;
}

}  // namespace

AlternativeResult evaluate_alternative(const ProductRun& run, ExpressionEvaluator& ev, std::uint32_t node,
                                       const ApplicableTolerance& tol, const std::vector<MaterialView>& mats,
                                       Tracer& trace, std::vector<MissingData>& missing) {
  const ProductView& product = run.product;
  AlternativeResult r;
  r.wholly_obtained = contains_op(run.ctx.compiled, node, Op::product_wo);
  ev.ignore_ = Bits(mats.size());
  ev.collected_ = Bits(mats.size());
  ev.collect_ = tol.any && !r.wholly_obtained;
  ev.shift_only_ = run.ctx.agreement().tolerance_applies_to == "tariff_shift";
  ev.missing.clear();
  trace.alternative_entered(node);
  r.verdict = ev.condition(node, &trace);
  missing = ev.missing;
  const std::size_t rule_missing = missing.size();  // what follows is the tolerance's
  ev.collect_ = false;
  if (r.verdict == Tri::no && tol.any && !r.wholly_obtained && ev.collected_.any()) {
    // The failing materials' share, by value or by weight.
    Decimal used;
    bool known = true;
    std::vector<std::size_t> failing;
    ev.collected_.each([&](std::size_t i) { failing.push_back(i); });
    for (auto i : failing) {
      const Material& m = *mats[i].m;
      const auto& amount = tol.base == "weight" ? m.weight_kg : m.value;
      if (!amount) {
        known = false;
        missing.push_back(MissingData{tol.base == "weight" ? "weight_kg" : "value", std::string(mats[i].label),
                                      fmt::format("the {} of material {} (for the tolerance)",
                                                  tol.base == "weight" ? "weight" : "value", mats[i].label),
                                      {}, "tolerance"});
      } else {
        used += *amount;
      }
    }
    std::optional<Decimal> base;
    if (tol.base == "weight") base = product.item->weight_kg;
    else if (product.price_override) base = product.price_override;
    else if (auto b = value_basis_from_name(tol.base)) base = (*product.bases)[static_cast<std::size_t>(*b)];
    if (!base) {
      known = false;
      missing.push_back(MissingData{tol.base == "weight" ? "weight_kg" : tol.base, "",
                                    tol.base == "weight" ? "the product's weight (for the tolerance)"
                                                         : fmt::format("the product's '{}' (for the tolerance)", tol.base),
                                    {}, "tolerance"});
    }
    std::optional<Decimal> known_limit;
    if (base) known_limit = (tol.percent * *base).shifted(-2);
    if (!known && known_limit && used > *known_limit) {
      // The failing materials whose amounts are known already exceed the limit.
      trace.tolerance_short(ToleranceShortfall::over_limit, used, *known_limit);
      std::erase_if(missing, [](const MissingData& m) { return m.purpose == "tolerance"; });
    } else if (!known) {
      r.verdict = Tri::unknown;
    } else {
      Decimal limit = (tol.percent * *base).shifted(-2);
      if (used > limit) {
        trace.tolerance_short(ToleranceShortfall::over_limit, used, limit);
      } else {
        ev.ignore_ = ev.collected_;
        ev.missing.clear();
        trace.tolerance_retried();
        Tri again = ev.condition(node, &trace);
        if (again == Tri::yes) {
          r.verdict = Tri::yes;
          r.tolerance_used = true;
          trace.tolerance_applied(failing, used, limit);
        } else if (again == Tri::unknown) {
          // With the failures disregarded, the rest needs data the BOM lacks.
          r.verdict = Tri::unknown;
          for (const auto& m : ev.missing)
            if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
          trace.tolerance_short(ToleranceShortfall::still_undecided, used, limit);
        } else {
          trace.tolerance_short(ToleranceShortfall::still_fails, used, limit);
        }
        ev.ignore_ = Bits(mats.size());
      }
    }
  }
  for (std::size_t k = rule_missing; k < missing.size(); ++k) trace.tolerance_data_missing(missing[k]);
  trace.alternative_left(r.verdict);
  return r;
}

}  // namespace roo::eval
