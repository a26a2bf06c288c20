// The determination of a BOM: one EvaluationContext for the whole BOM, and
// evaluate_product, the run that ties the units together for one product
// (the BOM's product, a sub-assembly, a reading): roll-up and cumulation
// (roll_up.cpp), rule selection (rule_selection.cpp), each alternative of the
// rule with the tolerance (tolerance.cpp, over the expression evaluator of
// expression.cpp), the insufficient-operations check, the figures, and sets
// and non-preferential origin (sets.cpp, non_preferential.cpp). What happens
// is told to a trace (trace.hpp), from which TraceBuilder makes by_criterion,
// the headline figures, their notes and the explanation.
#include <algorithm>

#include <fmt/format.h>

#include "interpreter/eval/expression.hpp"
#include "interpreter/eval/figures.hpp"
#include "interpreter/eval/non_preferential.hpp"
#include "interpreter/eval/product_run.hpp"
#include "interpreter/eval/roll_up.hpp"
#include "interpreter/eval/rule_selection.hpp"
#include "interpreter/eval/sets.hpp"
#include "interpreter/eval/tolerance.hpp"
#include "interpreter/eval/trace_builder.hpp"

namespace roo {

std::string_view status_name(Status s) noexcept {
  switch (s) {
    case Status::originating: return "originating";
    case Status::not_originating: return "not_originating";
    case Status::undetermined: return "undetermined";
    case Status::error: return "error";
  }
  return "error";
}

namespace eval {

void message(Determination& d, Severity s, std::string code, std::string text) {
  d.messages.push_back(Message{s, std::move(code), std::move(text)});
}

void report_missing(Determination& d, MissingData m, std::string_view purpose, std::string_view needed_by,
                    std::string text) {
  message(d, Severity::error, "roo-missing", std::move(text));
  if (m.purpose != "tolerance") m.purpose = std::string(purpose);
  m.needed_by = std::string(needed_by);
  if (std::find(d.missing.begin(), d.missing.end(), m) == d.missing.end()) d.missing.push_back(std::move(m));
}

std::vector<std::string> texts(const std::vector<MissingData>& missing) {
  std::vector<std::string> out;
  for (const auto& m : missing) out.push_back(m.text);
  return out;
}

namespace {

// The alternatives of a rule body: the operands of a top-level `or`.
std::vector<std::uint32_t> alternatives(const CompiledProgram& cp, std::uint32_t body) {
  const Node& nd = cp.nodes[body];
  if (nd.op == Op::or_) return cp.lists[nd.list];
  return {body};
}

}  // namespace

void evaluate_product(const ProductRun& run, Determination& d) {
  EvaluationContext& ctx = run.ctx;
  const Program& p = ctx.program;
  const CompiledProgram& cp = ctx.compiled;
  const Bom& bom = ctx.bom;
  const ProductView& product = run.product;
  const int depth = run.depth;
  const bool explain = run.explains();
  RunMaterials materials;
  const std::vector<MaterialView>& mats = materials.views;
  // What happens from here is told to the trace, from which the builder makes
  // the roll-up notes, the figures of the criteria, their notes and (when
  // explaining) the explanation.
  TraceBuilder trace(run, mats, d, explain);
  if (!build_materials(ctx, d, trace, run.materials, depth, materials)) {
    d.status = Status::error;
    return;
  }
  if (depth == 0 && bom.product.is_set) {
    if (p.agreement.sets_percent && !p.agreement.non_preferential) {
      decide_set(run, d, materials);
      return;
    }
    message(d, Severity::note, "roo-set",
            "the product is a set, but the agreement has no sets provision: the rule for the set's code applies");
  }
  ExpressionEvaluator ev(p, cp, mats, product, explain, ctx.steps_left);
  bool undetermined = false;
  std::vector<std::vector<const CompiledRule*>> possible;
  auto rules = run.forced ? *run.forced : select_rules(run, d, ev, undetermined, possible);
  // Only for the product itself: tried at every level of nested sub-assemblies,
  // the readings would multiply.
  if (undetermined && depth == 0 && !possible.empty() &&
      decide_across(run, d, possible, ev.missing))
    return;
  if (rules.empty()) {
    d.status = Status::undetermined;
    if (undetermined) {
      for (const auto& m : ev.missing)
        report_missing(d, m, "choice of 'ex' rule", "", fmt::format("missing {}, needed to choose between the 'ex' rules", m.text));
    } else {
      message(d, Severity::error, "roo-no-rule",
              fmt::format("no rule of {} applies to HS {} on {}", p.agreement.id, product.hs.dotted(), ctx.date.to_string()));
    }
    return;
  }
  for (const CompiledRule* r : rules) {
    if (!r->entry->follows.empty()) {
      follow_rule_of(run, d, *r);
      return;
    }
  }
  // all_rules_apply: an 'ex' rule that may apply could not be checked.
  std::vector<MissingData> selection_missing;
  if (undetermined) selection_missing = ev.missing;
  const CompiledRule& rule = *rules.front();
  d.rule = Determination::RuleRef{rule.scope_text, rule.text, rule.source, rule.citation};
  for (std::size_t k = 1; k < rules.size(); ++k) {
    d.rule->scope += "; " + rules[k]->scope_text;
    d.rule->text += "; and " + rules[k]->text;
  }
  ApplicableTolerance tol = tolerance_for(p, product.hs);

  // Overall figures.
  Decimal vnm, vom;
  bool values_known = true;
  for (const auto& v : mats) {
    if (v.m->role == MaterialRole::packing || v.m->role == MaterialRole::neutral) continue;
    if (!v.m->value) {
      values_known = false;
      continue;
    }
    // Split without copies: this loop runs over every material of every product.
    if (v.originating) {
      vom += *v.m->value;
    } else if (v.m->originating_value) {
      vom += *v.m->originating_value;
      vnm += *v.m->value - *v.m->originating_value;
    } else {
      vnm += *v.m->value;
    }
  }
  std::optional<Decimal> basis_value = product.price_override;
  if (!basis_value) {
    if (auto b = value_basis_from_name(p.agreement.basis)) basis_value = (*product.bases)[static_cast<std::size_t>(*b)];
  }
  if (values_known) {
    d.figures.vnm = money_figure("vnm", vnm);
    d.figures.vom = money_figure("vom", vom);
  }
  if (basis_value) d.figures.basis_value = money_figure("basis_value", *basis_value);
  if (values_known && basis_value && !basis_value->is_zero())
    d.figures.nom_percent = percent_figure("nom_percent", vnm, *basis_value, std::nullopt);
  if (tol.any) {
    std::optional<Decimal> tol_base = tol.base == "weight" ? product.item->weight_kg
                                      : tol.base == p.agreement.basis ? basis_value
                                                                       : std::optional<Decimal>();
    if (!tol_base && tol.base != "weight") {
      if (auto b = value_basis_from_name(tol.base)) tol_base = (*product.bases)[static_cast<std::size_t>(*b)];
    }
    if (tol_base) d.figures.tolerance_limit = money_figure("tolerance_limit", (tol.percent * *tol_base).shifted(-2));
  }

  trace.rules_entered(rules, d.rule->text);
  Tri overall = Tri::yes;
  bool tolerance_used = false;
  bool wholly_obtained = false;
  std::vector<MissingData> all_missing;
  for (const CompiledRule* r : rules) {
    auto alts = alternatives(cp, r->body);
    trace.rule_entered(*r, alts.size());
    std::vector<AlternativeResult> results;
    results.reserve(alts.size());
    for (auto alt : alts) {
      std::vector<MissingData> missing;
      results.push_back(evaluate_alternative(run, ev, alt, tol, mats, trace, missing));
      for (const auto& m : missing)
        if (std::find(all_missing.begin(), all_missing.end(), m) == all_missing.end()) all_missing.push_back(m);
    }
    // The deciding alternative: the first that holds without the tolerance, else the first with it.
    int decided = -1;
    for (std::size_t k = 0; k < results.size() && decided < 0; ++k)
      if (results[k].verdict == Tri::yes && !results[k].tolerance_used) decided = static_cast<int>(k);
    for (std::size_t k = 0; k < results.size() && decided < 0; ++k)
      if (results[k].verdict == Tri::yes) decided = static_cast<int>(k);
    Tri rule_verdict = Tri::no;
    if (decided >= 0) {
      rule_verdict = Tri::yes;
      tolerance_used |= results[static_cast<std::size_t>(decided)].tolerance_used;
      wholly_obtained |= results[static_cast<std::size_t>(decided)].wholly_obtained;
    } else if (std::any_of(results.begin(), results.end(), [](const AlternativeResult& a) { return a.verdict == Tri::unknown; })) {
      rule_verdict = Tri::unknown;
    }
    trace.rule_left(rule_verdict, decided);
    if (rule_verdict == Tri::no) overall = Tri::no;
    else if (rule_verdict == Tri::unknown && overall == Tri::yes) overall = Tri::unknown;
  }
  if (undetermined && overall == Tri::yes) overall = Tri::unknown;
  trace.rules_left();

  // Insufficient operations defeat any rule, except for wholly obtained
  // products; a sub-assembly's too, when its processes are declared (the
  // warning that the check could not be made is for the product only).
  if (overall == Tri::yes && !wholly_obtained && cp.insufficient != no_node) {
    if (!product.item->processes_declared) {
      if (depth == 0)
        message(d, Severity::warning, "roo-no-processes", "no processes declared: the insufficient-operations check was not made");
    } else {
      const auto& list = cp.lists[cp.nodes[cp.insufficient].list];
      bool beyond = std::any_of(product.item->processes.begin(), product.item->processes.end(), [&](const std::string& p) {
        return std::none_of(list.begin(), list.end(), [&](std::uint32_t c) { return cp.text(cp.nodes[c]) == p; });
      });
      if (!beyond) {
        overall = Tri::no;
        trace.insufficient_operations(product.item->processes);
      }
    }
  }
  if (overall == Tri::unknown) {
    for (const auto& m : all_missing)
      report_missing(d, m, "rule", rule.source, fmt::format("missing {}, needed by the rule at {}", m.text, rule.source));
    for (const auto& m : selection_missing)
      report_missing(d, m, "choice of 'ex' rule", "",
                     fmt::format("missing {}, needed to choose between the 'ex' rules", m.text));
    if (all_missing.empty() && selection_missing.empty())
      message(d, Severity::error, "roo-missing", "the rule could not be decided with the data given");
  } else if (!all_missing.empty() && overall == Tri::yes) {
    // A decision was reached by another alternative; the missing data did not matter.
  }
  d.status = overall == Tri::yes ? Status::originating : overall == Tri::no ? Status::not_originating : Status::undetermined;
  // A sub-assembly of undetermined origin counted as non-originating: the
  // product fails, but would it pass were the sub-assembly originating? Then
  // the verdict depends on the missing data, and is undetermined.
  if (d.status == Status::not_originating && materials.uncertain && !ctx.optimistic && !p.agreement.non_preferential) {
    Determination best;
    best.agreement = d.agreement;
    ctx.optimistic = true;
    evaluate_product(run, best);
    ctx.optimistic = false;
    if (best.status != Status::not_originating) {
      overall = Tri::unknown;
      d.status = Status::undetermined;
      report_missing(d, MissingData{"originating", "", "the origin of a self-produced material", {}, {}}, "roll-up", "",
                     "the origin of a self-produced material could not be determined, and the verdict depends on it");
    }
  }
  if (p.agreement.non_preferential && depth == 0) {
    country_of_origin(run, d, overall, mats);
    if (explain) d.explanation = trace.explanation(overall);
    return;
  }
  if (d.status == Status::originating) {
    bool all_originating = std::none_of(mats.begin(), mats.end(), [](const MaterialView& v) { return !v.originating; });
    std::string way = wholly_obtained ? "wholly_obtained"
                      : tolerance_used ? "tolerance"
                      : materials.used_cumulation ? "cumulation"
                      : all_originating && !mats.empty() ? "originating_materials"
                                                        : "psr";
    auto it = p.agreement.origin_criteria.find(way);
    if (it == p.agreement.origin_criteria.end() && (way == "tolerance" || way == "cumulation" || way == "originating_materials"))
      it = p.agreement.origin_criteria.find("psr");
    if (it != p.agreement.origin_criteria.end()) d.origin_criterion = it->second;
  }
  if (explain) d.explanation = trace.explanation(overall);
}

}  // namespace eval

Determination determine(const Program& program, const Bom& bom, const DetermineOptions& options) {
  using namespace eval;
  const AgreementSettings& a = program.agreement;
  Determination d;
  d.agreement = a.id;
  d.product = bom.product.id;
  d.engine_version = ROO_VERSION;
  d.rules_sha256 = program.rules_sha256;
  d.figures.basis = a.basis;
  Date date = options.date ? *options.date : bom.date ? *bom.date : Date::today();
  d.date = date.to_string();
  EvaluationContext ctx{program, *program.compiled, options, bom, date,
                        !options.destination.empty() ? options.destination : bom.product.destination};
  ctx.steps_left = options.max_steps;
  ctx.later_edition = bom.hs_edition > a.hs_edition;
  if (bom.hs_edition != a.hs_edition)
    message(d, Severity::warning, "roo-hs-edition",
            fmt::format("the BOM's codes are in HS {}, the agreement's rules in HS {}; codes were matched as given{}",
                        bom.hs_edition, a.hs_edition,
                        ctx.compiled.has_rule_of && ctx.later_edition
                            ? fmt::format(", except that a code created since HS {} is read as the codes its rule_of names",
                                          a.hs_edition)
                            : ""));
  // Origin under a preferential agreement is origin in one of its parties
  // (TCA Art. ORIG.3, CPTPP Art. 3.2, EU-Japan Art. 3.2): a product made
  // elsewhere does not originate under it, whatever its materials.
  const std::string& made_in = bom.product.produced_in;
  if (!a.non_preferential && !a.party_codes.empty() && !made_in.empty() && !a.is_party(made_in)) {
    d.status = Status::not_originating;
    message(d, Severity::warning, "roo-not-a-party",
            fmt::format("the product is produced in {}, which is not a party of {} ({}): it cannot originate under it",
                        made_in, a.id, fmt::join(a.party_codes, ", ")));
    return d;
  }
  ProductView product{&bom.product, bom.product.hs, &bom.product.bases, std::nullopt};
  evaluate_product(ProductRun{ctx, bom.materials, product, 0}, d);
  if (ctx.steps_left == 0) {
    // Out of budget: whatever was decided is not trusted.
    Diagnostic too_complex;
    too_complex.code = "bom-too-complex";
    too_complex.message = fmt::format(
        "the product took more than {} evaluation steps (materials times rule size); it was not decided. "
        "Raise the limit (--max-steps) if the BOM is meant to be this large",
        options.max_steps);
    too_complex.file = bom.product.id;
    Determination e = error_determination(program, d.product, {too_complex});
    e.date = d.date;
    return e;
  }
  return d;
}

Determination error_determination(const Program& program, std::string product, const std::vector<Diagnostic>& diagnostics) {
  Determination d;
  d.agreement = program.agreement.id;
  d.product = std::move(product);
  d.status = Status::error;
  d.engine_version = ROO_VERSION;
  d.rules_sha256 = program.rules_sha256;
  d.figures.basis = program.agreement.basis;
  for (const auto& diag : diagnostics) {
    if (diag.severity != Severity::error) continue;
    d.messages.push_back(Message{Severity::error, diag.code, format_diagnostic_header(diag)});
  }
  return d;
}

}  // namespace roo
