// The evaluation form of a checked program: every rule body compiled to a flat
// array of nodes, with criteria inlined (parameters replaced by their
// arguments), names resolved, literals parsed (percentages as Decimals, code
// lists as HsSets). Evaluation then walks integer-indexed nodes and never
// looks a name up or parses text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "interpreter/core/decimal.hpp"
#include "interpreter/core/hs.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

inline constexpr std::uint32_t no_node = UINT32_MAX;

enum class Op : std::uint8_t {
  // conditions
  const_bool,     // aux: 0/1
  not_,           // a
  and_,           // list
  or_,            // list
  compare,        // aux: CompareOp; a, b numbers
  in_codes,       // a: a code (product or material hs); b: codes
  in_materials,   // a: material; b: set
  in_processes,   // a: process; b: processes
  quantifier,     // aux: 0 every, 1 some, 2 no; slot; a: set; b: body
  criterion,      // a: body; symbol: the criterion; expr: the call (for wording and source)
  performed,      // a: process
  changes,        // a: material; aux: level digits (2, 4, 6, 8)
  product_wo,     // the product is wholly obtained
  material_flag,  // aux: 0 originating, 1 wholly obtained; a: material
  product_is,     // text: attribute name
  material_is,    // a: material; text: attribute name
  // numbers (exact decimals; percentages are their number: 50% is 50)
  const_num,      // decimal
  base_value,     // aux: ValueBasis
  product_weight,
  product_number,   // text
  material_value,   // a
  material_weight,  // a
  material_number,  // a; text
  aggregate,        // aux: Aggregate; a: set
  total,            // a: set; text
  add,
  sub,
  mul,
  percent_of,       // a: percent; b: number
  performed_count,  // a: processes
  // material sets
  set_all,
  set_non_originating,
  set_originating,
  set_empty,
  set_of,         // a: set; b: codes
  set_of_codes,   // a: codes — the materials classified there
  set_union,
  set_diff,
  set_where,      // a: set; slot; b: condition
  // codes
  const_codes,    // codes
  product_codes,  // aux: digits (0: its own code, 2, 4, 6)
  material_hs,    // a
  // others
  var,            // slot: a material
  const_process,  // text
  const_processes,  // list of const_process nodes
  const_level,    // aux: digits
  const_text,     // text
  product_attr,   // text
  material_attr,  // a; text
};

enum class CompareOp : std::uint8_t { le, lt, ge, gt, eq, ne };
enum class Aggregate : std::uint8_t { value, vnm, vom, weight, count };

// A node is small (56 bytes): an agreement's rules compile to tens of nodes
// a rule, and numbers and names live in tables of the program, by index.
struct Node {
  Op op = Op::const_bool;
  std::uint8_t aux = 0;
  std::uint16_t slot = 0;
  std::uint32_t a = no_node;
  std::uint32_t b = no_node;
  std::uint32_t list = 0;    // index into lists (and/or, process lists)
  std::uint32_t number = 0;  // const_num: index into numbers
  std::uint32_t codes = 0;   // index into code_sets
  std::uint32_t text = 0;    // attribute and process names: index into texts (0: "")
  bool in_tariff_shift = false;       // a quantifier inside a tariff-shift criterion
  const ast::Expr* expr = nullptr;    // where it was written
  const SourceUnit* unit = nullptr;   // the file of expr
  const Symbol* symbol = nullptr;     // criterion
};

struct CompiledRule {
  const RuleEntry* entry = nullptr;
  std::uint32_t body = no_node;
  std::uint32_t condition = no_node;  // `where` of an ex rule
  std::string scope_text;
  std::string text;      // legal wording
  std::string source;    // file:line:col
  std::string citation;
};

struct CompiledProgram {
  std::vector<Node> nodes;
  std::vector<Decimal> numbers;
  std::vector<std::string> texts = {std::string()};  // each name once
  const Decimal& number(const Node& n) const { return numbers[n.number]; }
  const std::string& text(const Node& n) const { return texts[n.text]; }
  std::vector<std::vector<std::uint32_t>> lists;
  std::vector<HsSet> code_sets;
  std::vector<CompiledRule> rules;
  std::uint32_t insufficient = no_node;  // a process list, or no_node
  std::uint16_t slots = 0;
  bool has_rule_of = false;  // some rule is a rule_of (codes created since the agreement's edition)
  // Rules whose scope meets each chapter (1..97), in rule order.
  std::array<std::vector<std::uint32_t>, 100> by_chapter;
  // The rule_of rules among them: every material of a BOM in a later HS
  // edition is looked up here, and most chapters have none.
  std::array<std::vector<std::uint32_t>, 100> rule_of_by_chapter;
};

}  // namespace roo
