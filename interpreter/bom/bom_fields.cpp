#include "interpreter/bom/bom_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>

#include "interpreter/core/diagnostic.hpp"
#include "interpreter/core/iso.hpp"
#include "interpreter/core/processes.hpp"

namespace roo {

std::string_view value_basis_name(ValueBasis b) noexcept {
  switch (b) {
    case ValueBasis::ex_works:
      return "ex_works";
    case ValueBasis::fob:
      return "fob";
    case ValueBasis::transaction_value:
      return "transaction_value";
    case ValueBasis::adjusted_value:
      return "adjusted_value";
    case ValueBasis::net_cost:
      return "net_cost";
    case ValueBasis::total_cost:
      return "total_cost";
  }
  return "ex_works";
}

std::optional<ValueBasis> value_basis_from_name(std::string_view name) noexcept {
  for (auto b : all_value_bases)
    if (value_basis_name(b) == name) return b;
  return std::nullopt;
}

std::string_view material_role_name(MaterialRole r) noexcept {
  switch (r) {
    case MaterialRole::material:
      return "material";
    case MaterialRole::accessory:
      return "accessory";
    case MaterialRole::packaging:
      return "packaging";
    case MaterialRole::packing:
      return "packing";
    case MaterialRole::neutral:
      return "neutral";
  }
  return "material";
}

std::optional<MaterialRole> material_role_from_name(std::string_view name) noexcept {
  for (auto r : {MaterialRole::material, MaterialRole::accessory, MaterialRole::packaging, MaterialRole::packing,
                 MaterialRole::neutral})
    if (material_role_name(r) == name) return r;
  return std::nullopt;
}

const Attribute* Item::attribute(std::string_view name) const noexcept {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace roo

namespace roo::bom_fields {

namespace {

constexpr unsigned T = static_cast<unsigned>(Owner::top);
constexpr unsigned P = static_cast<unsigned>(Owner::product);
constexpr unsigned M = static_cast<unsigned>(Owner::material);

constexpr Field fields[] = {
    {"format", Kind::format, T, Slot::format},
    {"currency", Kind::currency, T, Slot::currency},
    {"hs_edition", Kind::hs_edition, T, Slot::hs_edition},
    {"date", Kind::date, T, Slot::date},
    {"product", Kind::attributes, T, Slot::product},  // handled by the readers
    {"materials", Kind::materials, T | M, Slot::materials},
    {"id", Kind::text, P | M, Slot::id},
    {"description", Kind::text, P | M, Slot::description},
    {"hs", Kind::hs, P | M, Slot::hs},
    {"produced_in", Kind::country, P | M, Slot::produced_in},
    {"destination", Kind::destination, P, Slot::destination},
    {"ex_works", Kind::amount, P, Slot::ex_works},
    {"fob", Kind::amount, P, Slot::fob},
    {"transaction_value", Kind::amount, P, Slot::transaction_value},
    {"adjusted_value", Kind::amount, P, Slot::adjusted_value},
    {"net_cost", Kind::amount, P, Slot::net_cost},
    {"total_cost", Kind::amount, P, Slot::total_cost},
    {"weight_kg", Kind::amount, P | M, Slot::weight_kg},
    {"quantity", Kind::amount, P | M, Slot::quantity},
    {"unit", Kind::text, P | M, Slot::unit},
    {"processes", Kind::process_list, P | M, Slot::processes},
    {"wholly_obtained", Kind::wholly_obtained, P | M, Slot::wholly_obtained},
    {"attributes", Kind::attributes, P | M, Slot::attributes},
    {"set", Kind::boolean, P, Slot::set},
    {"value", Kind::amount, M, Slot::value},
    {"origin", Kind::origin, M, Slot::origin},
    {"originating", Kind::boolean, M, Slot::originating},
    {"proof", Kind::text, M, Slot::proof},
    {"self_produced", Kind::boolean, M, Slot::self_produced},
    {"intermediate", Kind::boolean, M, Slot::intermediate},
    {"originating_under", Kind::text_list, M, Slot::originating_under},
    {"originating_value", Kind::amount, M, Slot::originating_value},
    {"role", Kind::role, M, Slot::role},
};

// HS editions published by the WCO (1988 is the first; the amendments took
// effect in these years).
constexpr int hs_editions[] = {1988, 1992, 1996, 2002, 2007, 2012, 2017, 2022, 2028};

Problem error(std::string code, std::string message, std::vector<std::string> notes = {}) {
  return Problem{std::move(code), std::move(message), std::move(notes), false};
}

// The decimal grammar of the BOM format: an optional '-', digits, optionally a
// point and digits; an exponent only in a JSON number.
std::optional<Problem> parse_amount(std::string_view name, std::string_view text, bool json_number,
                                    std::optional<Decimal>& out) {
  if (!text.empty() && text.front() == '+')
    return error("bom-number", fmt::format("'{}' is not a valid number for '{}': a '+' sign is not allowed", text, name));
  std::string why;
  auto d = Decimal::parse(text, &why, json_number);
  if (!d) {
    return error("bom-number", fmt::format("'{}' is not a valid number for '{}': {}", text, name, why));
  }
  if (d->is_negative()) return error("bom-negative", fmt::format("'{}' must not be negative (found {})", name, text));
  out = std::move(*d);
  return std::nullopt;
}

}  // namespace

namespace {
constexpr std::size_t field_hash(std::string_view name) noexcept {
  return name.size() * 7 + static_cast<unsigned char>(name.front()) * 3 + static_cast<unsigned char>(name.back());
}
}  // namespace

const Field* find_field(std::string_view name, Owner owner) noexcept {
  // Fields by (length, first letter, last letter): every member name of every
  // BOM is looked up, so the lookup compares at most one or two names. Built at
  // compile time: a bucket that overflows does not compile.
  constexpr std::size_t buckets = 64;
  static constexpr auto table = [] {
    std::array<std::array<std::int8_t, 4>, buckets> t{};
    for (auto& b : t) b.fill(-1);
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      auto& b = t[field_hash(fields[i].name) % buckets];
      *std::find(b.begin(), b.end(), std::int8_t{-1}) = static_cast<std::int8_t>(i);
    }
    return t;
  }();
  if (name.empty()) return nullptr;
  for (std::int8_t i : table[field_hash(name) % buckets]) {
    if (i < 0) break;
    const Field& f = fields[static_cast<std::size_t>(i)];
    if (f.name == name && (f.owners & static_cast<unsigned>(owner))) return &f;
  }
  return nullptr;
}

std::vector<std::string_view> field_names(Owner owner) {
  std::vector<std::string_view> names;
  for (const auto& f : fields)
    if (f.owners & static_cast<unsigned>(owner)) names.push_back(f.name);
  return names;
}

const std::vector<std::string_view>& wholly_obtained_categories() {
  // The categories of the agreements' wholly-obtained articles (TCA Art.
  // ORIG.5, CPTPP Art. 3.3, PEM Art. 4), named as docs/bom-format.md lists them.
  static const std::vector<std::string_view> categories = {
      "mined",      "harvested",  "born_and_raised", "from_live_animals", "slaughtered", "hunted_or_fished",
      "aquaculture", "sea_fished", "factory_ship",    "seabed",            "waste",       "recovered",
      "from_wholly_obtained"};
  return categories;
}

std::optional<Problem> check_process(std::string_view id) {
  if (is_known_process(id)) return std::nullopt;
  auto list = known_processes();
  std::vector<std::string_view> names(list.begin(), list.end());
  auto nearest = nearest_name(id, names);
  Problem p{"bom-unknown-process", fmt::format("unknown process '{}'", id), {}, true};
  if (!nearest.empty())
    p.notes.push_back(fmt::format("did you mean '{}'?", nearest));
  else
    p.notes.emplace_back("the process vocabulary is listed in docs/bom-format.md");
  return p;
}

std::optional<Problem> set_scalar(Bom& bom, Item& item, Material* material, Product* product, const Field& field,
                                  std::string_view text, bool json_number) {
  const std::string_view name = field.name;
  switch (field.kind) {
    case Kind::text:
      if (field.slot == Slot::id)
        item.id = text;
      else if (field.slot == Slot::description)
        item.description = text;
      else if (field.slot == Slot::unit)
        item.unit = text;
      else if (field.slot == Slot::proof && material)
        material->proof = text;
      return std::nullopt;
    case Kind::amount: {
      std::optional<Decimal> value;
      if (auto p = parse_amount(name, text, json_number, value)) return p;
      if (field.slot == Slot::weight_kg)
        item.weight_kg = std::move(value);
      else if (field.slot == Slot::quantity)
        item.quantity = std::move(value);
      else if (field.slot == Slot::value && material)
        material->value = std::move(value);
      else if (field.slot == Slot::originating_value && material)
        material->originating_value = std::move(value);
      else if (product) {
        if (auto basis = value_basis_from_name(name)) product->basis(*basis) = std::move(value);
      }
      return std::nullopt;
    }
    case Kind::hs: {
      if (json_number)
        return error(
            "bom-hs",
            fmt::format(
                "HS code {} is written as a number; write it as a string (\"{}\"), as a number loses leading zeros",
                text, text));
      std::string why;
      auto code = HsCode::parse(text, &why, 4);
      if (!code) return error("bom-hs", why);
      item.hs = *code;
      return std::nullopt;
    }
    case Kind::country:
    case Kind::origin:
    case Kind::destination: {
      bool special = (field.kind == Kind::origin && (text == "EU" || text == "XI" || text == "unknown")) ||
                     (field.kind == Kind::destination && text == "EU");
      if (!special && !is_iso_country(text)) {
        std::vector<std::string> notes;
        auto nearest = nearest_country(text);
        if (text == "UK")
          notes.emplace_back("the ISO code of the United Kingdom is 'GB'");
        else if (!nearest.empty())
          notes.push_back(fmt::format("did you mean '{}'?", nearest));
        std::string expected = field.kind == Kind::origin
                                   ? "an ISO 3166-1 alpha-2 country code, \"EU\", \"XI\" or \"unknown\""
                               : field.kind == Kind::destination ? "an ISO 3166-1 alpha-2 country code or \"EU\""
                                                                 : "an ISO 3166-1 alpha-2 country code";
        return error("bom-country", fmt::format("'{}' is not a known country code; expected {}", text, expected),
                     std::move(notes));
      }
      if (field.slot == Slot::origin && material)
        material->origin = text;
      else if (field.slot == Slot::destination && product)
        product->destination = text;
      else
        item.produced_in = text;
      return std::nullopt;
    }
    case Kind::currency: {
      if (!is_iso_currency(text)) {
        std::vector<std::string> notes;
        auto nearest = nearest_currency(text);
        if (!nearest.empty()) notes.push_back(fmt::format("did you mean '{}'?", nearest));
        return error("bom-currency", fmt::format("'{}' is not an ISO 4217 currency code", text), std::move(notes));
      }
      bom.currency = text;
      return std::nullopt;
    }
    case Kind::boolean: {
      bool value;
      if (text == "true")
        value = true;
      else if (text == "false")
        value = false;
      else
        return error("bom-type", fmt::format("'{}' must be true or false (found '{}')", name, text));
      if (field.slot == Slot::set && product)
        product->is_set = value;
      else if (material) {
        if (field.slot == Slot::originating)
          material->originating = value;
        else if (field.slot == Slot::self_produced)
          material->self_produced = value;
        else if (field.slot == Slot::intermediate)
          material->intermediate = value;
      }
      return std::nullopt;
    }
    case Kind::date: {
      std::string why;
      auto d = Date::parse(text, &why);
      if (!d) return error("bom-date", why);
      bom.date = *d;
      return std::nullopt;
    }
    case Kind::hs_edition: {
      int year = 0;
      bool digits = !text.empty() && text.size() <= 4 &&
                    std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits)
        for (char c : text) year = year * 10 + (c - '0');
      if (!digits || std::find(std::begin(hs_editions), std::end(hs_editions), year) == std::end(hs_editions))
        return error(
            "bom-edition",
            fmt::format(
                "'{}' is not an HS edition; expected one of 1988, 1992, 1996, 2002, 2007, 2012, 2017, 2022, 2028",
                text));
      bom.hs_edition = year;
      return std::nullopt;
    }
    case Kind::format:
      if (text != "roo-bom/1")
        return error("bom-format", fmt::format("unsupported format '{}'; this reader understands \"roo-bom/1\"", text));
      return std::nullopt;
    case Kind::role: {
      auto role = material_role_from_name(text);
      if (!role)
        return error(
            "bom-enum",
            fmt::format("'{}' is not a material role; expected material, accessory, packaging, packing or neutral",
                        text));
      if (material) material->role = *role;
      return std::nullopt;
    }
    case Kind::wholly_obtained: {
      if (text == "false") {
        item.wholly_obtained.reset();
        return std::nullopt;
      }
      if (text == "true") {
        item.wholly_obtained = std::string();
        return std::nullopt;
      }
      if (text.empty()) return error("bom-type", "'wholly_obtained' must be true, false or a category such as \"harvested\"");
      const auto& categories = wholly_obtained_categories();
      if (std::find(categories.begin(), categories.end(), text) != categories.end()) {
        item.wholly_obtained = std::string(text);
        return std::nullopt;
      }
      // Anything else ("no", "N", "0") is refused: read as a category it
      // would make the product wholly obtained.
      std::vector<std::string> notes;
      auto nearest = nearest_name(text, std::vector<std::string_view>(categories.begin(), categories.end()));
      if (!nearest.empty()) notes.push_back(fmt::format("did you mean '{}'?", nearest));
      notes.push_back(fmt::format("expected true, false or a category: {}", fmt::join(categories, ", ")));
      return error("bom-enum", fmt::format("'{}' is not a value of 'wholly_obtained'", text), std::move(notes));
    }
    case Kind::process_list:
    case Kind::text_list:
    case Kind::attributes:
    case Kind::materials:
      break;  // structured: the readers handle these
  }
  return std::nullopt;
}

namespace {

// Every material in order of the file (depth first), and the value checks.
void collect_materials(const std::vector<Material>& materials, std::vector<const Material*>& all,
                       std::vector<PlacedProblem>& out) {
  for (const auto& m : materials) {
    all.push_back(&m);
    if (m.originating_value && m.value && *m.originating_value > *m.value)
      out.push_back({error("bom-conflict", fmt::format("originating_value {} is more than the material's value {}",
                                                       m.originating_value->to_string(), m.value->to_string())),
                     m.place, "/originating_value"});
    collect_materials(m.materials, all, out);
  }
}

// Each use of an id after its first, against the first. An open-addressing
// table of first uses: one allocation per BOM, not a map node per id.
void duplicate_ids(const std::vector<const Material*>& all, std::vector<PlacedProblem>& out) {
  std::size_t capacity = 16;
  while (capacity < all.size() * 2) capacity *= 2;
  constexpr std::uint32_t empty = UINT32_MAX;
  std::vector<std::uint32_t> first_use(capacity, empty);  // indexes into `all`
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& id = all[i]->id;
    if (id.empty()) continue;
    std::size_t slot = std::hash<std::string_view>{}(id) & (capacity - 1);
    while (first_use[slot] != empty && all[first_use[slot]]->id != id) slot = (slot + 1) & (capacity - 1);
    if (first_use[slot] == empty) {
      first_use[slot] = static_cast<std::uint32_t>(i);
      continue;
    }
    const Material& m = *all[i];
    out.push_back({error("bom-duplicate-id",
                         fmt::format("material id '{}' is used twice; ids must be unique across the whole BOM", m.id),
                         {fmt::format("first used at {}", all[first_use[slot]]->place.pointer)}),
                   m.place, "/id"});
  }
}

bool any_money(const std::vector<Material>& materials) {
  for (const auto& m : materials)
    if (m.value || m.originating_value || any_money(m.materials)) return true;
  return false;
}

}  // namespace

std::vector<PlacedProblem> check_bom(const Bom& bom) {
  std::vector<PlacedProblem> out;
  std::vector<const Material*> all;
  collect_materials(bom.materials, all, out);
  duplicate_ids(all, out);
  bool money = any_money(bom.materials) || std::any_of(bom.product.bases.begin(), bom.product.bases.end(),
                                                       [](const auto& b) { return b.has_value(); });
  if (money && bom.currency.empty())
    out.push_back({error("bom-required",
                         "'currency' is required when the BOM gives money figures (an ISO 4217 code such as \"EUR\")"),
                   SourcePlace{1, 1, ""}, ""});
  return out;
}

}  // namespace roo::bom_fields
