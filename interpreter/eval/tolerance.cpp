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

// Marks the disregarded materials in the explanation of the first criterion that holds.
void mark_saved(ExplainNode& node, const std::vector<MaterialView>& mats, const std::vector<std::size_t>& saved,
                const Decimal& used, const Decimal& limit) {
  for (auto& child : node.children) {
    if (child.verdict != Tri::yes) continue;
    bool any = false;
    for (auto i : saved) {
      const Material& m = *mats[i].m;
      child.materials.push_back(
          material_note(mats[i].label, m, "fails the condition, but is disregarded under the tolerance", true));
      any = true;
    }
    if (any) child.saved_by = fmt::format("tolerance: {} used of a {} limit", money(used), money(limit));
    break;
  }
}

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
                                       ExplainNode* explain, std::vector<MissingData>& missing) {
  const ProductView& product = run.product;
  AlternativeResult r;
  r.wholly_obtained = contains_op(run.ctx.compiled, node, Op::product_wo);
  ev.ignore_ = Bits(mats.size());
  ev.collected_ = Bits(mats.size());
  ev.collect_ = tol.any && !r.wholly_obtained;
  ev.shift_only_ = run.ctx.agreement().tolerance_applies_to == "tariff_shift";
  ev.outcomes.clear();
  ev.missing.clear();
  ExplainNode first_pass;
  r.verdict = ev.condition(node, explain ? &first_pass : nullptr);
  r.outcomes = ev.outcomes;
  missing = ev.missing;
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
      r.tolerance_tried = true;
      r.tolerance_limit = *known_limit;
      r.tolerance_amount = used;
      std::erase_if(missing, [](const MissingData& m) { return m.purpose == "tolerance"; });
    } else if (!known) {
      r.verdict = Tri::unknown;
    } else {
      Decimal limit = (tol.percent * *base).shifted(-2);
      r.tolerance_limit = limit;
      r.tolerance_amount = used;
      r.tolerance_tried = true;
      if (used <= limit) {
        ev.ignore_ = ev.collected_;
        ev.outcomes.clear();
        ev.missing.clear();
        ExplainNode second;
        Tri again = ev.condition(node, explain ? &second : nullptr);
        if (again == Tri::yes) {
          r.verdict = Tri::yes;
          r.tolerance_used = true;
          r.saved = failing;
          r.outcomes = ev.outcomes;
          first_pass = std::move(second);
          // Mark the disregarded materials in the explanation.
          mark_saved(first_pass, mats, failing, used, limit);
        } else if (again == Tri::unknown) {
          // With the failures disregarded, the rest needs data the BOM lacks.
          r.verdict = Tri::unknown;
          for (const auto& m : ev.missing)
            if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
        }
        ev.ignore_ = Bits(mats.size());
      }
    }
  }
  if (explain) {
    for (auto& c : first_pass.children) explain->children.push_back(std::move(c));
  }
  return r;
}

}  // namespace roo::eval
