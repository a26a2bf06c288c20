// The fields of roo-bom/1 and how their text becomes typed values. Shared by
// the JSON and CSV readers so both accept and reject exactly the same things;
// the readers only add where a defect is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/bom/bom.hpp"

namespace roo::bom_fields {

enum class Owner : unsigned char { top = 1, product = 2, material = 4 };

enum class Kind : unsigned char {
  text,         // free text (id, description, unit, proof)
  amount,       // non-negative exact decimal
  hs,           // HS code of 4 to 10 digits
  country,      // ISO 3166-1 alpha-2
  origin,       // country, or EU / XI / unknown
  destination,  // country, or EU
  currency,     // ISO 4217
  boolean,
  date,
  hs_edition,
  format,
  role,
  wholly_obtained,  // true / false / category text
  process_list,
  text_list,  // originating_under
  attributes,
  materials,
};

// Which field it is (one per name), so that setting a value is a switch, not
// a chain of name comparisons: every member of every BOM goes through it.
enum class Slot : unsigned char {
  format, currency, hs_edition, date, product, materials, id, description, hs, produced_in, destination,
  ex_works, fob, transaction_value, adjusted_value, net_cost, total_cost, weight_kg, quantity, unit, processes,
  wholly_obtained, attributes, set, value, origin, originating, proof, self_produced, intermediate,
  originating_under, originating_value, role,
};

struct Field {
  std::string_view name;
  Kind kind;
  unsigned owners;  // bit set of Owner
  Slot slot;
};

// The field called `name` that `owner` may carry, or null.
const Field* find_field(std::string_view name, Owner owner) noexcept;
// Every field name `owner` may carry (for "did you mean").
std::vector<std::string_view> field_names(Owner owner);

struct Problem {
  std::string code;
  std::string message;
  std::vector<std::string> notes;
  bool warning = false;
};

// Sets a scalar field from its text. `json_number` says the text was a JSON
// number (so an HS code written as a number can be refused with the reason).
// Returns the problem, if any; on an error the target is left unchanged.
std::optional<Problem> set_scalar(Bom& bom, Item& item, Material* material, Product* product, const Field& field,
                                  std::string_view text, bool json_number);

// The categories `wholly_obtained` accepts besides true and false.
const std::vector<std::string_view>& wholly_obtained_categories();

// Checks one process identifier; a warning naming the nearest known one when unknown.
std::optional<Problem> check_process(std::string_view id);

// Checks over a whole BOM after reading: currency present when money is given,
// duplicate ids, originating_value within value. Each problem comes with the
// place of the item it concerns.
struct PlacedProblem {
  Problem problem;
  SourcePlace place;
  std::string field;  // appended to the pointer ("/value"); empty for the item itself
};
std::vector<PlacedProblem> check_bom(const Bom& bom);

}  // namespace roo::bom_fields
