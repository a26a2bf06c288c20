// The bill of materials, as described by docs/bom-format.md (roo-bom/1).
//
// Every optional field of the format is optional here too: a missing figure is
// std::nullopt, never a zero, so a rule that needs it can say so.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "interpreter/core/date.hpp"
#include "interpreter/core/decimal.hpp"
#include "interpreter/core/hs.hpp"

namespace roo {

// The value bases a product may declare; the agreement says which one each
// criterion uses.
enum class ValueBasis : std::uint8_t { ex_works, fob, transaction_value, adjusted_value, net_cost, total_cost };
inline constexpr std::array<ValueBasis, 6> all_value_bases = {ValueBasis::ex_works,          ValueBasis::fob,
                                                              ValueBasis::transaction_value, ValueBasis::adjusted_value,
                                                              ValueBasis::net_cost,          ValueBasis::total_cost};
std::string_view value_basis_name(ValueBasis b) noexcept;  // "ex_works", ...
std::optional<ValueBasis> value_basis_from_name(std::string_view name) noexcept;

enum class MaterialRole : std::uint8_t { material, accessory, packaging, packing, neutral };
std::string_view material_role_name(MaterialRole r) noexcept;
std::optional<MaterialRole> material_role_from_name(std::string_view name) noexcept;

// A free fact a rule may ask about. The text is kept as written; `kind` says
// whether it was a JSON string, number or boolean.
struct Attribute {
  enum class Kind : std::uint8_t { string, number, boolean };
  std::string name;
  std::string text;
  Kind kind = Kind::string;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// Where an item came from in its file, for explanations and diagnostics.
struct SourcePlace {
  std::uint64_t line = 0;
  std::uint32_t column = 0;
  std::string pointer;  // "/materials/2" (JSON) or "line 7" (CSV)
  friend bool operator==(const SourcePlace&, const SourcePlace&) = default;
};

// Fields shared by the product and the materials. Members are in the order
// evaluation reads them, so that the ones every product reads of every
// material share a few cache lines (batches keep many BOMs in memory).
struct Item {
  HsCode hs;
  std::string id;
  std::string produced_in;  // product: country of last production; material: partner producer
  // Absent: not declared. "" when declared `true` without a category.
  std::optional<std::string> wholly_obtained;
  std::optional<Decimal> weight_kg;
  std::vector<Attribute> attributes;
  std::vector<std::string> processes;
  bool processes_declared = false;  // the field was given (possibly as an empty list)
  std::optional<Decimal> quantity;
  std::string description;
  std::string unit;
  SourcePlace place;

  const Attribute* attribute(std::string_view name) const noexcept;
  friend bool operator==(const Item&, const Item&) = default;
};

struct Material : Item {
  MaterialRole role = MaterialRole::material;
  std::optional<bool> originating;
  bool self_produced = false;
  std::optional<bool> intermediate;
  std::optional<Decimal> value;
  std::optional<Decimal> originating_value;
  std::string origin;  // ISO 3166-1 alpha-2, "EU", "XI", "unknown", or "" when absent
  std::vector<Material> materials;  // sub-BOM of a self-produced (or partner-produced) material
  std::vector<std::string> originating_under;
  std::string proof;
  friend bool operator==(const Material&, const Material&) = default;
};

struct Product : Item {
  std::string destination;
  std::array<std::optional<Decimal>, all_value_bases.size()> bases;
  bool is_set = false;

  const std::optional<Decimal>& basis(ValueBasis b) const noexcept { return bases[static_cast<std::size_t>(b)]; }
  std::optional<Decimal>& basis(ValueBasis b) noexcept { return bases[static_cast<std::size_t>(b)]; }
  friend bool operator==(const Product&, const Product&) = default;
};

struct Bom {
  std::string currency;  // ISO 4217; empty when the file gives no money figure
  int hs_edition = 2022;
  std::optional<Date> date;
  Product product;
  std::vector<Material> materials;
  // Field by field (figures by value: 1.0 == 1.00); for tests.
  friend bool operator==(const Bom&, const Bom&) = default;
};

// Nesting limit for self-produced sub-BOMs (levels below the product).
inline constexpr int max_bom_depth = 32;

}  // namespace roo
