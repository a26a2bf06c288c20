// The one consumer of a product run's trace (trace.hpp): it builds
// by_criterion, the headline figures (nom_percent / rvc_percent,
// tolerance_used), the roo-tolerance and roo-insufficient notes, and, when the
// run explains, the explanation tree. Without an explanation it builds no
// tree and asks for no reasons, wording or source references.
#pragma once

#include <string>
#include <vector>

#include "interpreter/eval/product_run.hpp"
#include "interpreter/eval/trace.hpp"

namespace roo::eval {

class TraceBuilder final : public Tracer {
public:
  // `mats`: the run's materials (what material events index), filled as the
  // run goes; `d`: the determination the run decides.
  TraceBuilder(const ProductRun& run, const std::vector<MaterialView>& mats, Determination& d, bool explaining);

  bool explaining() const { return explaining_; }

  void criterion_entered(const Node& criterion) override;
  void comparison(const Comparison& c) override;
  void material_failed(std::size_t material, std::string reason) override;
  void data_missing(const MissingData& m) override;
  void criterion_left(Tri verdict) override;
  void rolled_up(const Material& m, std::string_view label, const Determination& sub) override;
  void roll_up_without_value(std::string_view label) override;
  void rules_entered(const std::vector<const CompiledRule*>& rules, const std::string& text) override;
  void rule_entered(const CompiledRule& rule, std::size_t alternatives) override;
  void alternative_entered(std::uint32_t node) override;
  void tolerance_retried() override;
  void tolerance_applied(const std::vector<std::size_t>& saved, const Decimal& used, const Decimal& limit) override;
  void tolerance_short(ToleranceShortfall why, const Decimal& used, const Decimal& limit) override;
  void tolerance_data_missing(const MissingData& m) override;
  void alternative_left(Tri verdict) override;
  void rule_left(Tri verdict, int deciding) override;
  void rules_left() override;
  void insufficient_operations(const std::vector<std::string>& declared) override;

  // The explanation, with the run's final verdict (only when explaining).
  ExplainNode explanation(Tri verdict);

private:
  struct Failure {
    std::size_t material;
    std::string reason;
  };
  // An open criterion. `own`: it keeps its own comparison (a top-level
  // criterion, or one that reports a figure); the others pass theirs to the
  // nearest enclosing one that does.
  struct Frame {
    const Node* node;
    bool own;
    Comparison comparison;
  };
  // One evaluation of an alternative: its top-level criteria.
  struct Pass {
    std::vector<CriterionOutcome> outcomes;
    std::vector<ExplainNode> criteria;  // their explanations, when explaining
  };
  struct Alternative {
    std::uint32_t node = no_node;
    Tri verdict = Tri::no;
    Pass pass;  // the evaluation that stands (the second, when the tolerance saved it)
    bool tolerance_used = false;
    bool tolerance_short = false;
    ToleranceShortfall shortfall = ToleranceShortfall::over_limit;
    Decimal tolerance_amount, tolerance_limit;
    std::vector<std::string> tolerance_missing;
  };

  const ProductRun& run_;
  const std::vector<MaterialView>& mats_;
  Determination& d_;
  const bool explaining_;
  std::size_t rules_ = 0;
  ExplainNode root_;
  // The rule being traced, its alternatives so far, and the open evaluation.
  const CompiledRule* rule_ = nullptr;
  std::size_t alternatives_ = 0;
  std::vector<Alternative> alts_;
  Pass first_, second_;
  Pass* pass_ = nullptr;
  std::vector<Frame> frames_;
  // Of the open top-level criterion.
  std::vector<Failure> failures_;
  std::vector<std::string> missing_;

  ExplainNode criterion_node(const Node& nd, Tri verdict, const Comparison& c) const;
  void mark_saved(std::vector<ExplainNode>& criteria, const std::vector<std::size_t>& saved, const Decimal& used,
                  const Decimal& limit) const;
  ExplainNode rule_node(Tri verdict);
};

}  // namespace roo::eval
