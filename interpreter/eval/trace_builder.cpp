#include "interpreter/eval/trace_builder.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "interpreter/lang/render.hpp"

namespace roo::eval {

TraceBuilder::TraceBuilder(const ProductRun& run, const std::vector<MaterialView>& mats, Determination& d,
                           bool explaining)
    : run_(run), mats_(mats), d_(d), explaining_(explaining) {}

// ---- roll-up ----

void TraceBuilder::roll_up_without_value(std::string_view label) {
  message(d_, Severity::warning, "roo-roll-up",
          fmt::format("material {} is self-produced but has no value: its origin could not be determined and it counts as non-originating", label));
}

void TraceBuilder::rolled_up(const Material& m, std::string_view label, const Determination& sub) {
  std::string verdict = sub.status == Status::originating       ? "originating"
                        : sub.status == Status::not_originating ? "not originating"
                                                                : std::string(status_name(sub.status));
  bool partner = !m.self_produced;
  message(d_, Severity::note, "roo-roll-up",
          fmt::format("{} {} ({}){} is {} {}{}", partner ? "material" : "self-produced material", label, m.hs.dotted(),
                      partner ? fmt::format(", produced in {} (full cumulation),", m.produced_in) : "", verdict,
                      sub.rule ? "under " + sub.rule->scope : std::string("(no rule could be chosen for it)"),
                      sub.status == Status::originating ? " and counts as originating"
                      : partner ? "; the partner's production counts, so its own materials are looked through"
                                : ""));
  // What the sub-assembly's determination said, as this product's warnings
  // (whether it matters for this product is this product's verdict to say).
  for (const auto& msg : sub.messages) {
    if (msg.severity == Severity::note) continue;
    Message copy{Severity::warning, msg.code,
                 fmt::format("in the roll-up of material {} ({}): {}", label, m.hs.dotted(), msg.message)};
    bool seen = std::any_of(d_.messages.begin(), d_.messages.end(),
                            [&](const Message& x) { return x.code == copy.code && x.message == copy.message; });
    if (!seen) d_.messages.push_back(std::move(copy));
  }
}

// ---- rules ----

void TraceBuilder::rules_entered(const std::vector<const CompiledRule*>& rules, const std::string& text) {
  rules_ = rules.size();
  if (!explaining_) return;
  root_.label = rules.size() > 1 ? "all of" : "rule";
  root_.text = text;
  root_.source = rules.front()->source;
}

// ---- inside an evaluation ----

void TraceBuilder::criterion_entered(const Node& criterion) {
  bool top = frames_.empty();
  if (top) {
    failures_.clear();
    missing_.clear();
  }
  frames_.push_back(Frame{&criterion, top || !criterion.symbol->criterion->reports.empty(), {}});
}

void TraceBuilder::comparison(const Comparison& c) {
  // The first comparison of the innermost criterion that keeps its own.
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
    if (!it->own) continue;
    if (!it->comparison.has) it->comparison = c;
    return;
  }
}

void TraceBuilder::material_failed(std::size_t material, std::string reason) {
  if (!frames_.empty()) failures_.push_back(Failure{material, std::move(reason)});
}

void TraceBuilder::data_missing(const MissingData& m) {
  if (explaining_ && !frames_.empty()) missing_.push_back(m.text);
}

void TraceBuilder::criterion_left(Tri verdict) {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  if (!frames_.empty()) {
    // The enclosing criterion shows the figures of the first nested method,
    // or of the first one that held when an earlier one did not.
    if (!f.own || !f.comparison.has) return;
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      if (!it->own) continue;
      if (!it->comparison.has || (verdict == Tri::yes && !it->comparison.passed)) {
        it->comparison = f.comparison;
        it->comparison.passed = verdict == Tri::yes;
      }
      return;
    }
    return;
  }
  if (!pass_) return;
  const Node& nd = *f.node;
  std::vector<std::string> failing;
  for (const auto& x : failures_)
    if (failing.empty() || failing.back() != mats_[x.material].label) failing.emplace_back(mats_[x.material].label);
  if (explaining_) pass_->criteria.push_back(criterion_node(nd, verdict, f.comparison));
  pass_->outcomes.push_back(CriterionOutcome{nd.symbol->name, verdict, f.comparison, nd.symbol, std::move(failing)});
}

ExplainNode TraceBuilder::criterion_node(const Node& nd, Tri verdict, const Comparison& c) const {
  const Program& p = run_.ctx.program;
  ExplainNode node;
  node.label = nd.symbol->name;
  node.text = nd.expr ? render_expr(p, *nd.expr) : nd.symbol->name;
  node.source = nd.expr ? format_ref(SourceRef{nd.unit, nd.expr->span}) : std::string();
  node.verdict = verdict;
  for (const auto& f : failures_) node.materials.push_back(material_note(mats_[f.material].label, *mats_[f.material].m, f.reason, false));
  if (c.has) node.figures = comparison_figures(c, nd.symbol->criterion->reports);
  node.missing = missing_;
  return node;
}

void TraceBuilder::rule_entered(const CompiledRule& rule, std::size_t alternatives) {
  rule_ = &rule;
  alternatives_ = alternatives;
  alts_.clear();
  alts_.reserve(alternatives);
}

// ---- alternatives and the tolerance ----

void TraceBuilder::alternative_entered(std::uint32_t node) {
  alts_.emplace_back();
  alts_.back().node = node;
  first_ = Pass{};
  pass_ = &first_;
}

void TraceBuilder::tolerance_retried() {
  second_ = Pass{};
  pass_ = &second_;
}

void TraceBuilder::tolerance_applied(const std::vector<std::size_t>& saved, const Decimal& used, const Decimal& limit) {
  first_ = std::move(second_);
  pass_ = &first_;
  if (explaining_) mark_saved(first_.criteria, saved, used, limit);
  Alternative& a = alts_.back();
  a.tolerance_used = true;
  a.tolerance_amount = used;
  a.tolerance_limit = limit;
}

// The disregarded materials are shown under the first criterion that holds.
void TraceBuilder::mark_saved(std::vector<ExplainNode>& criteria, const std::vector<std::size_t>& saved,
                              const Decimal& used, const Decimal& limit) const {
  for (auto& child : criteria) {
    if (child.verdict != Tri::yes) continue;
    for (auto i : saved)
      child.materials.push_back(
          material_note(mats_[i].label, *mats_[i].m, "fails the condition, but is disregarded under the tolerance", true));
    if (!saved.empty()) child.saved_by = fmt::format("tolerance: {} used of a {} limit", money(used), money(limit));
    break;
  }
}

void TraceBuilder::tolerance_short(ToleranceShortfall why, const Decimal& used, const Decimal& limit) {
  // A second evaluation that did not hold is not the alternative's: the first stands.
  pass_ = &first_;
  Alternative& a = alts_.back();
  a.tolerance_short = true;
  a.shortfall = why;
  a.tolerance_amount = used;
  a.tolerance_limit = limit;
}

void TraceBuilder::tolerance_data_missing(const MissingData& m) {
  if (explaining_) alts_.back().tolerance_missing.push_back(m.text);
}

void TraceBuilder::alternative_left(Tri verdict) {
  Alternative& a = alts_.back();
  a.verdict = verdict;
  a.pass = std::move(first_);
  pass_ = nullptr;
  for (const auto& t : a.pass.outcomes) {
    CriterionFigures cf;
    cf.criterion = t.name;
    cf.passed = t.verdict;
    if (t.comparison.has) cf.figures = comparison_figures(t.comparison, t.symbol->criterion->reports);
    cf.failing_materials = t.failing;
    if (a.tolerance_used) cf.figures.push_back(money_figure("tolerance_used", a.tolerance_amount));
    d_.figures.by_criterion.push_back(std::move(cf));
  }
}

void TraceBuilder::rule_left(Tri verdict, int deciding) {
  if (deciding >= 0) {
    const Alternative& a = alts_[static_cast<std::size_t>(deciding)];
    if (a.tolerance_used) d_.figures.tolerance_used = money_figure("tolerance_used", a.tolerance_amount);
    set_headline_figures(d_, a.pass.outcomes);
  } else {
    // The alternative closest to passing: the first with figures.
    for (const auto& a : alts_)
      if (set_headline_figures(d_, a.pass.outcomes)) break;
    // Say when the tolerance was tried and was not enough, and why.
    for (std::size_t k = 0; k < alts_.size(); ++k) {
      const Alternative& a = alts_[k];
      if (!a.tolerance_short) continue;
      std::string which = alts_.size() > 1 ? fmt::format("alternative {}", k + 1) : std::string("the rule");
      std::string amounts = fmt::format("the non-originating materials that fail it amount to {}, {} the limit of {}",
                                        money(a.tolerance_amount),
                                        a.shortfall == ToleranceShortfall::over_limit ? "over" : "within",
                                        money(a.tolerance_limit));
      message(d_, Severity::note, "roo-tolerance",
              a.shortfall == ToleranceShortfall::over_limit ? fmt::format("the tolerance cannot save {}: {}", which, amounts)
              : a.shortfall == ToleranceShortfall::still_fails
                  ? fmt::format("the tolerance cannot save {}: {}, but with them disregarded it is still not met", which, amounts)
                  : fmt::format("the tolerance cannot save {}: {}, but with them disregarded it needs data the BOM does not give",
                                which, amounts));
    }
  }
  if (explaining_) root_.children.push_back(rule_node(verdict));
}

ExplainNode TraceBuilder::rule_node(Tri verdict) {
  const CompiledProgram& cp = run_.ctx.compiled;
  ExplainNode any_of;
  any_of.label = alternatives_ > 1 ? "any of" : "rule";
  any_of.text = rule_->text;
  any_of.source = rule_->source;
  for (auto& a : alts_) {
    ExplainNode alt_node;
    alt_node.children = std::move(a.pass.criteria);
    const Node& nd = cp.nodes[a.node];
    // Where what the tolerance lacked is shown: the alternative's own node,
    // or the rule's when the alternative has none.
    ExplainNode* own = nullptr;
    if (alt_node.children.size() == 1 && alternatives_ > 1 && nd.op == Op::criterion) {
      // The criterion stands for the alternative (and says its own verdict).
      any_of.children.push_back(std::move(alt_node.children.front()));
    } else {
      alt_node.label = alt_node.children.size() > 1 ? "all of" : "condition";
      alt_node.verdict = a.verdict;
      alt_node.text = render_expr(run_.ctx.program, *nd.expr);
      alt_node.source = format_ref(SourceRef{nd.unit, nd.expr->span});
      if (alternatives_ > 1 || alt_node.children.empty()) {
        any_of.children.push_back(std::move(alt_node));
        own = &any_of.children.back();
      } else {
        for (auto& c : alt_node.children) any_of.children.push_back(std::move(c));
      }
    }
    if (a.tolerance_used && !any_of.children.empty() && any_of.children.back().saved_by.empty())
      any_of.children.back().saved_by =
          fmt::format("tolerance: {} used of a {} limit", money(a.tolerance_amount), money(a.tolerance_limit));
    auto& missing = own ? own->missing : any_of.missing;
    missing.insert(missing.end(), a.tolerance_missing.begin(), a.tolerance_missing.end());
  }
  any_of.verdict = verdict;
  return any_of;
}

void TraceBuilder::rules_left() {
  if (explaining_ && rules_ == 1 && root_.children.size() == 1) {
    ExplainNode only = std::move(root_.children.front());
    root_ = std::move(only);
  }
}

void TraceBuilder::insufficient_operations(const std::vector<std::string>& declared) {
  std::string ops = declared.empty() ? std::string("none") : fmt::format("{}", fmt::join(declared, ", "));
  message(d_, Severity::note, "roo-insufficient",
          fmt::format("the operations carried out ({}) are all insufficient operations: they do not confer origin", ops));
  if (!explaining_) return;
  ExplainNode ins;
  ins.label = "insufficient operations";
  ins.text = fmt::format("production goes beyond insufficient operations (the operations declared are only: {})", ops);
  ins.verdict = Tri::no;
  root_.children.push_back(std::move(ins));
}

ExplainNode TraceBuilder::explanation(Tri verdict) {
  root_.verdict = verdict;
  return std::move(root_);
}

}  // namespace roo::eval
