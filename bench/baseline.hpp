// The ceiling for the benchmark: a hand-written C++ loop that decides the
// generated workload directly, with no interpreter. It reads the generated
// rules.roo into a table by heading (shift level, exception range, MaxNOM
// limit) and applies the same semantics as the roo rules it stands for:
//
//   - the rule of the product's heading (no rule: undetermined);
//   - the shift alternative (CC / CTH / CTSH): every non-originating material
//     changes at that level and is not of an excepted heading;
//   - the 10% tolerance of the ex-works price: when the shift fails only on
//     materials whose total value is within 10% of the ex-works price, it holds;
//   - the MaxNOM alternative: VNM <= limit% of the ex-works price;
//   - the deciding alternative: the first that holds without the tolerance,
//     else the one that holds with it;
//   - the insufficient operations of std.minimal_operations defeat a met rule.
//
// It works on the same in-memory BOMs as roo (roo::Bom), with exact Decimal
// arithmetic, so the comparison measures the evaluator alone.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "bench/workload.hpp"
#include "interpreter/bom/bom.hpp"
#include "interpreter/core/decimal.hpp"

namespace roo::bench {

struct BaselineRule {
  bool present = false;
  Shift shift = Shift::none;
  int exc_lo = 0, exc_hi = 0;  // headings; 0 when none
  int maxnom = 0;              // percent; 0 when none
};

struct BaselineRules {
  std::vector<BaselineRule> by_heading = std::vector<BaselineRule>(10000);
  std::size_t count = 0;
  int tolerance_percent = 0;
};

// Parses the generated rules.roo (only the forms bench_generate writes).
// Returns nullopt with `error` set when a line is not understood.
std::optional<BaselineRules> parse_baseline_rules(const std::string& text, std::string& error);

enum class BaselineStatus : std::uint8_t { originating, not_originating, undetermined };

struct BaselineVerdict {
  BaselineStatus status = BaselineStatus::undetermined;
  bool tolerance_used = false;
  Decimal tolerance_amount;  // when tolerance_used
  Decimal vnm;
};

BaselineVerdict baseline_determine(const BaselineRules& rules, const Bom& bom);

}  // namespace roo::bench
