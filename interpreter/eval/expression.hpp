// The evaluator of compiled rule expressions (conditions, numbers, material
// sets, codes) against one product run's materials, and the explanation of
// the criteria it meets on the way.
//
// Conditions are three-valued (Tri): a condition that needs data the BOM does
// not give is `unknown`, and the determination is then undetermined, naming
// the data. Material sets carry a "maybe" part for materials whose membership
// is unknown for the same reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/eval/compiled.hpp"
#include "interpreter/eval/figures.hpp"
#include "interpreter/eval/material_set.hpp"
#include "interpreter/eval/product_run.hpp"
#include "interpreter/eval/trace.hpp"

namespace roo::eval {

class ExpressionEvaluator {
public:
  ExpressionEvaluator(const Program& p, const CompiledProgram& cp, const std::vector<MaterialView>& mats,
                      const ProductView& product, bool trace, std::uint64_t& steps_left);

  // Missing data noticed during evaluation (deduplicated, in order).
  std::vector<MissingData> missing;
  // Tolerance: materials to disregard in `every` quantifiers, and the ones that failed.
  Bits ignore_;
  Bits collected_;
  bool collect_ = false;
  bool shift_only_ = false;  // tolerance may cure only tariff-shift failures
  // Evaluates a condition, telling `tracer` (when not null) what happens in
  // its criteria.
  Tri condition(std::uint32_t id, Tracer* tracer);

private:
  struct Num {
    bool known = false;
    Decimal value;
  };

  const Program& p_;
  const CompiledProgram& cp_;
  const std::vector<MaterialView>& mats_;
  const ProductView& product_;
  std::vector<std::size_t> slots_;
  Bits all_, non_, orig_;
  bool trace_;  // the tracer is told why each material fails
  std::uint64_t& steps_left_;  // EvaluationContext::steps_left
  Tracer* tracer_ = nullptr;
  int criterion_depth_ = 0;
  Decimal last_percent_, last_base_;
  bool has_last_percent_ = false;

  const Node& n(std::uint32_t id) const { return cp_.nodes[id]; }
  const Material& mat(std::uint32_t id) const { return *mats_[slots_[n(id).slot]].m; }
  std::size_t mat_index(std::uint32_t id) const { return slots_[n(id).slot]; }
  static Tri tri(bool b) { return b ? Tri::yes : Tri::no; }
  std::string label(std::size_t i) const;

  void need(std::string field, std::string_view material, std::string text);
  std::string_view who_id(std::string_view who) const;
  Tri attribute_flag(const Item& item, const std::string& name, const std::string& who);
  Num attribute_number(const Item& item, const std::string& name, const std::string& who);
  template <typename Test>
  Tri readings(std::size_t i, Test&& test);
  bool out_of_steps();

  // conditions
  Tri eval_bool(std::uint32_t id);
  Tri compare(const Node& nd);
  bool money_node(std::uint32_t id) const;
  std::string failure_reason(std::uint32_t body, std::size_t i);
  Tri quantifier(const Node& nd);
  Tri criterion(std::uint32_t id);
  // numbers
  Num eval_num(std::uint32_t id);
  Num aggregate(const Node& nd);
  // sets and codes
  Tri member_of(std::uint32_t id, std::size_t i);
  MaterialSet eval_set(std::uint32_t id);
  HsCode code_of(std::uint32_t id) const;
  bool codes_contain(std::uint32_t id, const HsCode& code) const;
};

}  // namespace roo::eval
