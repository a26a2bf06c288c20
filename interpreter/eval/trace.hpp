// What evaluation reports as it goes: typed events, in the order they happen.
// The expression evaluator reports what happens inside the criteria of one
// evaluation of a rule alternative; the product run (determine.cpp,
// tolerance.cpp, roll_up.cpp) reports the roll-up of sub-assemblies, the
// rules, their alternatives and the tolerance around them. One builder (TraceBuilder, trace_builder.hpp) makes of the stream
// everything a determination says about how its verdict was reached: the
// explanation tree, by_criterion, the headline figures and the messages on
// the roll-up, the tolerance and insufficient operations. The verdict itself is not taken from
// the trace: evaluation decides it, the trace only tells it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/eval/compiled.hpp"
#include "interpreter/eval/figures.hpp"

namespace roo::eval {

// Why the tolerance did not save an alternative.
enum class ToleranceShortfall : std::uint8_t {
  over_limit,       // the failing materials amount to more than the limit
  still_fails,      // within the limit, but the alternative fails with them disregarded
  still_undecided,  // within the limit, but with them disregarded it needs data the BOM lacks
};

class Tracer {
public:
  virtual ~Tracer() = default;

  // ---- inside one evaluation of an alternative (the expression evaluator) ----
  // A criterion is entered (nested ones too: a nested criterion's figures may
  // be its caller's); every event up to criterion_left happens inside it.
  virtual void criterion_entered(const Node& criterion) = 0;
  // A comparison of an amount or against a percentage, inside a criterion.
  virtual void comparison(const Comparison& c) = 0;
  // A material failed an `every` quantifier inside a criterion; `reason` is
  // empty unless the evaluator explains.
  virtual void material_failed(std::size_t material, std::string reason) = 0;
  // Data the evaluation needs and the BOM lacks, noticed for the first time
  // in this evaluation.
  virtual void data_missing(const MissingData& m) = 0;
  virtual void criterion_left(Tri verdict) = 0;

  // ---- the product run ----
  // A sub-assembly (`m`, shown as `label`) was decided by its own run, `sub`.
  virtual void rolled_up(const Material& m, std::string_view label, const Determination& sub) = 0;
  // A sub-assembly has no value, so it cannot be decided: it counts as non-originating.
  virtual void roll_up_without_value(std::string_view label) = 0;
  // The rules that apply (`text`: their wording, joined); what follows is about them.
  virtual void rules_entered(const std::vector<const CompiledRule*>& rules, const std::string& text) = 0;
  virtual void rule_entered(const CompiledRule& rule, std::size_t alternatives) = 0;
  // An alternative of the rule; its first evaluation follows.
  virtual void alternative_entered(std::uint32_t node) = 0;
  // The alternative failed on materials within the tolerance: it is
  // evaluated again with them disregarded.
  virtual void tolerance_retried() = 0;
  // The second evaluation is met: it replaces the first.
  virtual void tolerance_applied(const std::vector<std::size_t>& saved, const Decimal& used, const Decimal& limit) = 0;
  virtual void tolerance_short(ToleranceShortfall why, const Decimal& used, const Decimal& limit) = 0;
  // Data the tolerance (or the second evaluation) needed and the BOM lacks.
  virtual void tolerance_data_missing(const MissingData& m) = 0;
  virtual void alternative_left(Tri verdict) = 0;
  // `deciding`: the index of the alternative that decided the rule, or -1.
  virtual void rule_left(Tri verdict, int deciding) = 0;
  // Every rule that applies has been traced; what follows is about the product.
  virtual void rules_left() = 0;
  // Every operation declared is an insufficient operation: the verdict is no.
  virtual void insufficient_operations(const std::vector<std::string>& declared) = 0;
};

}  // namespace roo::eval
