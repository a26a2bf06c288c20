// The data evaluation shares, cut in two: what stays the same for the whole
// determination of one BOM (EvaluationContext), and one product's run
// (ProductRun: the product itself, a sub-assembly being rolled up, one
// reading of a rule_of, one possible 'ex' selection). Each provision is a
// unit of its own that takes a ProductRun (rule_selection, roll_up,
// cumulation, tolerance, sets, non_preferential); evaluate_product is the run
// that ties them together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/bom/bom.hpp"
#include "interpreter/eval/compiled.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/lang/program.hpp"

namespace roo::eval {

// A material as evaluation sees it: its origin decided (roll-up, cumulation)
// and, for a code newer than the rules, the codes it is read as.
struct MaterialView {
  const Material* m = nullptr;
  std::string_view label;  // id, or JSON pointer / CSV line (of the Material, which outlives the view)
  // A code created after the agreement's edition (a rule_of scope): the codes
  // of that edition it stands for, which tariff-shift and code tests read.
  const std::vector<HsCode>* reads = nullptr;
  bool originating = false;
  bool cumulated = false;  // originating thanks to a partner (cumulation)
};

// The product a run decides: the BOM's product, or a sub-assembly (a
// Material) rolled up, or one reading of a rule_of under another code.
struct ProductView {
  const Item* item = nullptr;
  HsCode hs;
  const std::array<std::optional<Decimal>, all_value_bases.size()>* bases = nullptr;
  std::optional<Decimal> price_override;  // roll-up: a sub-assembly's value is its base
  bool reading = false;  // one reading of a rule_of: its code's own rules apply, not another rule_of
};

// What every run of one determination shares.
struct EvaluationContext {
  const Program& program;
  const CompiledProgram& compiled;
  const DetermineOptions& options;
  const Bom& bom;
  Date date;
  std::string destination;
  // The product's work budget (DetermineOptions::max_steps), shared by every
  // evaluator of one determination; at zero every test answers unknown and the
  // determination becomes an error (bom-too-complex).
  std::uint64_t steps_left = 0;
  // The BOM's codes are in a later HS edition than the rules: `rule_of`
  // entries (codes created since the agreement's edition) apply.
  bool later_edition = false;
  // Re-evaluating with sub-assemblies of undetermined origin counted as
  // originating (the best case), to see whether the verdict depends on them.
  bool optimistic = false;

  const AgreementSettings& agreement() const { return program.agreement; }
};

// One product's run: what evaluate_product is given.
struct ProductRun {
  EvaluationContext& ctx;
  const std::vector<Material>& materials;  // before roll-up
  ProductView product;
  int depth = 0;  // 0: the BOM's product; sub-assemblies below it
  // Evaluate these rules instead of selecting them (one reading of a
  // selection that unknown 'ex' conditions left open).
  const std::vector<const CompiledRule*>* forced = nullptr;

  // Explanations are for the product itself, and not for the optimistic re-run.
  bool explains() const { return ctx.options.explain != Explain::none && depth == 0 && !ctx.optimistic; }
  ProductRun with(const std::vector<Material>& list, ProductView as, int at_depth,
                  const std::vector<const CompiledRule*>* rules = nullptr) const {
    return ProductRun{ctx, list, std::move(as), at_depth, rules};
  }
};

// The materials of a run after roll-up and cumulation.
struct RunMaterials {
  std::vector<MaterialView> views;
  bool used_cumulation = false;
  // A sub-assembly's origin could not be determined (it then counts as
  // non-originating, or as originating in the optimistic re-run).
  bool uncertain = false;
};

// Decides the run's product into `d`; re-entered by roll-up, rule_of
// readings, undecided 'ex' selections and the optimistic re-run.
void evaluate_product(const ProductRun& run, Determination& d);

// ---- what a determination says besides its verdict ----

void message(Determination& d, Severity s, std::string code, std::string text);
// Missing data that leaves the result undetermined: a roo-missing message in
// words, and the structured entry (what for, and which rule asked).
void report_missing(Determination& d, MissingData m, std::string_view purpose, std::string_view needed_by,
                    std::string text);
std::vector<std::string> texts(const std::vector<MissingData>& missing);

}  // namespace roo::eval
