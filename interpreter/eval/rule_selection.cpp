#include "interpreter/eval/rule_selection.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "interpreter/core/iso.hpp"

namespace roo::eval {

// The codes of the agreement's edition that a code created after it stands
// for: those of the narrowest rule_of scope that covers it; null when none does.
const std::vector<HsCode>* followed_codes(const CompiledProgram& cp, const HsCode& code) {
  int chapter = code.chapter_number();
  if (chapter < 0 || chapter >= 100) return nullptr;
  const std::vector<HsCode>* best = nullptr;
  std::uint64_t best_width = UINT64_MAX;
  for (auto index : cp.rule_of_by_chapter[chapter]) {
    const RuleEntry& e = *cp.rules[index].entry;
    for (const auto& item : e.items)
      if (item.interval.low <= code.low10() && code.high10() <= item.interval.high && item.width < best_width) {
        best = &e.follows;
        best_width = item.width;
      }
  }
  return best;
}

// The selections an undecided 'ex' condition leaves open at one level:
// `sure` hold, `maybe` may hold, `plain` are the residual rules. With
// all_rules_apply, every 'ex' rule that holds applies (the residual rules
// when none does); otherwise the first that holds does. Empty when there
// are too many to try, or when the residual case would fall to a wider level.
namespace {

std::vector<std::vector<const CompiledRule*>> possible_selections(bool all_rules_apply,
                                                                 const std::vector<const CompiledRule*>& sure,
                                                                 const std::vector<const CompiledRule*>& maybe,
                                                                 const std::vector<const CompiledRule*>& plain) {
  constexpr std::size_t max_unknown = 4;
  std::vector<std::vector<const CompiledRule*>> out;
  if (maybe.size() > max_unknown) return {};
  if (all_rules_apply) {
    for (std::size_t subset = 0; subset < (std::size_t{1} << maybe.size()); ++subset) {
      std::vector<const CompiledRule*> rules = sure;
      for (std::size_t k = 0; k < maybe.size(); ++k)
        if (subset & (std::size_t{1} << k)) rules.push_back(maybe[k]);
      if (rules.empty()) rules = plain;
      if (rules.empty()) return {};
      out.push_back(std::move(rules));
    }
    return out;
  }
  if (!sure.empty()) return {};  // the first that holds is chosen already
  for (const CompiledRule* r : maybe) out.push_back({r});
  if (plain.empty()) return {};
  out.push_back({plain.front()});
  return out;
}

// Rules that apply to the product on the date for the destination: the
// most specific scope wins; ex rules by their condition.
// When 'ex' conditions cannot be decided (`undetermined`), `possible` gets
// each set of rules that may be the one that applies, if there are few.
}  // namespace

std::vector<const CompiledRule*> select_rules(const ProductRun& run, Determination& d, ExpressionEvaluator& ev,
                                              bool& undetermined, std::vector<std::vector<const CompiledRule*>>& possible) {
  const CompiledProgram& cp = run.ctx.compiled;
  const HsCode& code = run.product.hs;
  const Date& date = run.ctx.date;
  const std::string& destination = run.ctx.destination;
  const bool all_rules_apply = run.ctx.agreement().all_rules_apply;
  std::vector<const CompiledRule*> in_force;
  std::vector<const CompiledRule*> expired;
  int chapter = code.chapter_number();
  struct Cand {
    const CompiledRule* rule;
    std::uint64_t width;
  };
  std::vector<Cand> cands;
  if (chapter >= 0 && chapter < 100) {
    for (auto index : cp.by_chapter[chapter]) {
      const CompiledRule& r = cp.rules[index];
      std::uint64_t best = UINT64_MAX;
      for (const auto& item : r.entry->items)
        if (item.interval.low <= code.low10() && code.high10() <= item.interval.high) best = std::min(best, item.width);
      if (best == UINT64_MAX) continue;
      const RuleEntry& e = *r.entry;
      // A reading of a rule_of takes the rules written for its code, never
      // another rule_of (the checker forbids chains; this makes them harmless).
      if (!e.follows.empty() && (!run.ctx.later_edition || run.product.reading)) continue;
      if ((e.valid_from && date < *e.valid_from) || (e.valid_until && *e.valid_until < date)) {
        expired.push_back(&r);
        continue;
      }
      if (!e.rule->to.empty()) {
        if (destination.empty()) {
          message(d, Severity::warning, "roo-destination",
                  fmt::format("the rule at {} applies to imports into {} only; no destination was given", r.source,
                              fmt::join(e.rule->to, ", ")));
          continue;
        }
        // The countries the rule is for, groups expanded at check time.
        if (std::find(e.to_countries.begin(), e.to_countries.end(), destination) == e.to_countries.end()) continue;
      }
      cands.push_back({&r, best});
    }
  }
  if (cands.empty()) {
    for (const auto* r : expired)
      message(d, Severity::warning, "roo-rule-expired",
              fmt::format("the rule at {} covers this code but is not in force on {}", r->source, date.to_string()));
    return {};
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.width < b.width; });
  // The narrowest level that has a rule applying to this product. With
  // all_rules_apply (CPTPP), every 'ex' rule of that level whose condition
  // holds must be met; the residual rule ("any other product") applies only
  // when none does. An 'ex' rule whose condition cannot be decided sets
  // `undetermined`: the caller cannot say the product is originating.
  std::size_t i = 0;
  while (i < cands.size()) {
    std::uint64_t width = cands[i].width;
    std::vector<const CompiledRule*> ex, plain, maybe;
    bool unknown = false;
    for (; i < cands.size() && cands[i].width == width; ++i) {
      const CompiledRule* r = cands[i].rule;
      if (r->condition == no_node) {
        plain.push_back(r);
        continue;
      }
      Tri t = ev.condition(r->condition, nullptr);
      if (t == Tri::yes) ex.push_back(r);
      if (t == Tri::unknown) {
        unknown = true;
        maybe.push_back(r);
      }
    }
    if (unknown) possible = possible_selections(all_rules_apply, ex, maybe, plain);
    if (!ex.empty() && all_rules_apply) {
      undetermined = unknown;
      return ex;
    }
    if (!ex.empty()) {
      if (ex.size() > 1)
        message(d, Severity::warning, "roo-ex-overlap",
                fmt::format("several 'ex' rules apply to this product ({} and {}); the first is used", ex[0]->source,
                            ex[1]->source));
      return {ex.front()};
    }
    if (unknown) {
      undetermined = true;
      return {};
    }
    if (!plain.empty()) {
      if (all_rules_apply) return plain;
      return {plain.front()};
    }
  }
  return {};
}

// An 'ex' condition could not be decided, but the product may still be:
// when every selection it leaves open gives the same verdict, that is the
// verdict (with a note naming what was not known). False when they differ.
bool decide_across(const ProductRun& run, Determination& d, const std::vector<std::vector<const CompiledRule*>>& possible,
                   const std::vector<MissingData>& unknown) {
  std::vector<Determination> outs;
  outs.reserve(possible.size());
  for (const auto& rules : possible) {
    outs.push_back(d);
    evaluate_product(run.with(run.materials, run.product, run.depth, &rules), outs.back());
    const Status s = outs.back().status;
    if (s == Status::undetermined || s == Status::error || s != outs.front().status) return false;
  }
  d = std::move(outs.front());
  message(d, Severity::note, "roo-ex-unknown",
          fmt::format("which 'ex' rule applies is not known (missing {}), but each rule that may apply gives the same "
                      "verdict; the first is shown",
                      fmt::join(texts(unknown), "; ")));
  return true;
}

// `rule_of`: the product's code was created after the agreement's edition,
// and takes the rules of the codes it was carved out of. The product is
// determined as each of them; when they disagree, its classification in
// the agreement's edition decides, and the result is undetermined.
void follow_rule_of(const ProductRun& run, Determination& d, const CompiledRule& via) {
  const AgreementSettings& a = run.ctx.agreement();
  const ProductView& product = run.product;
  const auto& codes = via.entry->follows;
  if (codes.size() > 1 && run.depth > 0) {
    // A sub-assembly is read once: readings of readings would multiply.
    d.status = Status::undetermined;
    d.rule = Determination::RuleRef{via.scope_text, via.text, via.source, via.citation};
    message(d, Severity::error, "roo-rule-of",
            fmt::format("HS {} takes the rules of several HS {} codes; give the BOM's codes in HS {} to decide this "
                        "sub-assembly",
                        product.hs.dotted(), a.hs_edition, a.hs_edition));
    return;
  }
  std::vector<Determination> outs;
  outs.reserve(codes.size());
  for (const HsCode& code : codes) {
    outs.push_back(d);
    ProductView as = product;
    as.hs = code;
    as.reading = true;
    evaluate_product(run.with(run.materials, as, run.depth), outs.back());
  }
  std::vector<std::string> names;
  for (const HsCode& code : codes) names.push_back(code.dotted());
  std::string which = fmt::format("{}", fmt::join(names, ", "));
  bool agree = std::all_of(outs.begin(), outs.end(), [&](const Determination& o) { return o.status == outs.front().status; });
  if (agree) {
    d = std::move(outs.front());
    message(d, Severity::note, "roo-rule-of",
            fmt::format("HS {} was created after HS {}, the edition of the rules; it takes the rule of {} (the rule at {}){}",
                        product.hs.dotted(), a.hs_edition, which, via.source,
                        codes.size() > 1 ? ", and each of those rules gives the same verdict" : ""));
    return;
  }
  d.status = Status::undetermined;
  d.rule = Determination::RuleRef{via.scope_text, via.text, via.source, via.citation};
  // The value figures do not depend on the reading; the criteria's do, and
  // are in the explanation, reading by reading.
  d.figures = outs.front().figures;
  d.figures.by_criterion.clear();
  d.figures.tolerance_used.reset();
  d.figures.rvc_percent.reset();
  ExplainNode root;
  root.label = "rule_of";
  root.text = via.text;
  root.source = via.source;
  root.verdict = Tri::unknown;
  std::vector<std::string> verdicts;
  for (std::size_t k = 0; k < outs.size(); ++k) {
    std::string status(status_name(outs[k].status));
    std::replace(status.begin(), status.end(), '_', ' ');
    verdicts.push_back(fmt::format("as {} it is {}", names[k], status));
    if (outs[k].explanation) {
      root.children.push_back(std::move(*outs[k].explanation));
      root.children.back().text = fmt::format("as {}: {}", names[k], root.children.back().text);
    }
  }
  message(d, Severity::error, "roo-rule-of",
          fmt::format("HS {} takes the rules of {} (HS {}), which give different verdicts ({}): the verdict depends on the "
                      "product's classification in HS {}; give the BOM's codes in that edition (hs_edition {})",
                      product.hs.dotted(), which, a.hs_edition, fmt::join(verdicts, "; "),
                      a.hs_edition, a.hs_edition));
  // What an undetermined reading lacked still matters: with it, the readings may agree.
  for (std::size_t k = 0; k < outs.size(); ++k)
    for (const auto& m : outs[k].messages)
      if (m.code == "roo-missing") message(d, Severity::error, m.code, fmt::format("as {}: {}", names[k], m.message));
  for (const auto& out : outs)
    for (const auto& m : out.missing)
      if (std::find(d.missing.begin(), d.missing.end(), m) == d.missing.end()) d.missing.push_back(m);
  if (run.explains()) d.explanation = std::move(root);
}

}  // namespace roo::eval
