#include "interpreter/eval/roll_up.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "interpreter/eval/cumulation.hpp"
#include "interpreter/eval/rule_selection.hpp"

namespace roo::eval {

namespace {

// Origin of a material under this agreement, before roll-up. Returns false
// (with an error message) on contradictory declarations.
bool declared_origin(const AgreementSettings& a, Determination& d, const Material& m, std::string_view label,
                     std::optional<bool>& out) {
  if (!m.originating_under.empty()) {
    bool listed = std::find(m.originating_under.begin(), m.originating_under.end(), a.id) != m.originating_under.end();
    if (m.originating && *m.originating != listed) {
      message(d, Severity::error, "roo-origin-conflict",
              fmt::format("material {} says originating: {} but originating_under {} {}", label,
                          *m.originating ? "true" : "false", listed ? "lists" : "does not list", a.id));
      return false;
    }
    out = listed;
    return true;
  }
  out = m.originating;
  return true;
}

}  // namespace

bool build_materials(EvaluationContext& ctx, Determination& d, Tracer& trace, const std::vector<Material>& list,
                     int depth, RunMaterials& out) {
  const AgreementSettings& a = ctx.agreement();
  const Bom& bom = ctx.bom;
  out.views.reserve(out.views.size() + list.size());
  for (const auto& m : list) {
    if (m.role == MaterialRole::packing || m.role == MaterialRole::neutral) continue;
    std::string_view label = !m.id.empty() ? std::string_view(m.id) : std::string_view(m.place.pointer);
    std::optional<bool> originating;
    if (!declared_origin(a, d, m, label, originating)) return false;
    bool has_sub = !m.materials.empty() && (m.self_produced || (!m.produced_in.empty() && is_cumulation_partner(a, m.produced_in)));
    if (!originating && has_sub) {
      // Roll-up: decide the intermediate's origin by the rule for its own code, its value as the base.
      Determination sub;
      sub.agreement = d.agreement;
      ProductView sub_product{&m, m.hs, &bom.product.bases, m.value};
      if (!m.value) {
        trace.roll_up_without_value(label);
        originating = ctx.optimistic;
        out.uncertain = true;
      } else {
        evaluate_product(ProductRun{ctx, m.materials, sub_product, depth + 1}, sub);
        originating = sub.status == Status::originating || (ctx.optimistic && sub.status == Status::undetermined);
        if (sub.status == Status::undetermined) out.uncertain = true;
        trace.rolled_up(m, label, sub);
        if (!m.self_produced) out.used_cumulation = true;  // a partner's production (full cumulation)
        if (sub.status == Status::error) return false;
        // Full cumulation: production in a partner counts whether or not it was sufficient,
        // so a partner's intermediate that does not qualify is looked through to its inputs.
        bool look_through = !m.self_produced || (a.roll_up == "look_through" && !m.intermediate.value_or(false));
        if (!*originating && look_through) {
          if (!build_materials(ctx, d, trace, m.materials, depth + 1, out)) return false;
          continue;
        }
      }
    }
    MaterialView v;
    v.m = &m;
    v.label = label;
    if (ctx.later_edition && ctx.compiled.has_rule_of) v.reads = followed_codes(ctx.compiled, m.hs);
    v.originating = originating.value_or(false);
    // Non-preferential rules ask whether a material comes from the country of production.
    if (a.non_preferential) v.originating = !m.origin.empty() && m.origin == bom.product.produced_in;
    if (v.originating) v.cumulated = originating_by_cumulation(a, m.origin, bom.product.produced_in);
    if (v.cumulated) out.used_cumulation = true;
    out.views.push_back(std::move(v));
  }
  return true;
}

}  // namespace roo::eval
