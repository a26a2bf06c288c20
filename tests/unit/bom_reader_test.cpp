// Tests for the BOM readers (interpreter/bom/bom_reader.hpp): JSON, JSON Lines
// and CSV, and the diagnostics they give for each kind of defect.
#include "interpreter/bom/bom_reader.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using roo::Attribute;
using roo::Bom;
using roo::BomReadResult;
using roo::Decimal;
using roo::Diagnostic;
using roo::Material;
using roo::MaterialRole;
using roo::Severity;
using roo::ValueBasis;

// The example of docs/bom-format.md, copied verbatim.
constexpr std::string_view spec_example = R"json({
  "format": "roo-bom/1",
  "currency": "EUR",
  "product": {
    "id": "MTR-100",
    "description": "AC electric motor, 750 W",
    "hs": "8501.52",
    "produced_in": "GB",
    "ex_works": "1000.00",
    "fob": "1040.00",
    "transaction_value": "1040.00",
    "net_cost": "880.00",
    "weight_kg": "12.5",
    "processes": ["winding", "assembly", "testing"]
  },
  "materials": [
    { "id": "M1", "description": "copper wire", "hs": "7408.11",
      "value": "120.00", "origin": "CL", "originating": false, "weight_kg": "2.0" },
    { "id": "M2", "description": "steel laminations", "hs": "7226.11",
      "value": "200.00", "origin": "DE", "originating": true },
    { "id": "M3", "description": "rotor sub-assembly (made in-house)", "hs": "8503.00",
      "value": "300.00", "origin": "GB", "self_produced": true,
      "materials": [
        { "id": "M3.1", "hs": "7326.90", "value": "90.00", "origin": "CN", "originating": false }
      ] }
  ]
}
)json";

std::string dump(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) out += roo::format_diagnostic(d);
  return out;
}

// Reads JSON that must give a BOM (warnings allowed).
Bom read_ok(std::string_view text, std::vector<Diagnostic>* diags = nullptr) {
  auto r = roo::read_bom_json(text, "t.bom.json");
  INFO(dump(r.diagnostics));
  REQUIRE(r.bom.has_value());
  CHECK_FALSE(roo::has_errors(r.diagnostics));
  if (diags) *diags = r.diagnostics;
  return std::move(*r.bom);
}

Bom csv_ok(std::string_view text, const roo::ProductFields& overrides = {}, std::vector<Diagnostic>* diags = nullptr) {
  auto r = roo::read_bom_csv(text, "t.bom.csv", overrides);
  INFO(dump(r.diagnostics));
  REQUIRE(r.bom.has_value());
  CHECK_FALSE(roo::has_errors(r.diagnostics));
  if (diags) *diags = r.diagnostics;
  return std::move(*r.bom);
}

// The one diagnostic of `r`, which must have no BOM when it is an error.
const Diagnostic& single(const BomReadResult& r) {
  INFO(dump(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  if (r.diagnostics[0].severity == Severity::error) CHECK_FALSE(r.bom.has_value());
  return r.diagnostics[0];
}

void check_diag(const Diagnostic& d, Severity severity, std::string_view code, std::uint32_t line, std::uint32_t column,
                std::string_view pointer) {
  INFO(roo::format_diagnostic(d));
  CHECK(d.severity == severity);
  CHECK(d.code == code);
  CHECK(d.line == line);
  CHECK(d.column == column);
  CHECK(d.pointer == pointer);
  CHECK_FALSE(d.message.empty());
}

// The single error of a JSON BOM.
const Diagnostic& json_error(std::string_view text, BomReadResult& holder) {
  holder = roo::read_bom_json(text, "t.bom.json");
  return single(holder);
}

Decimal D(std::string_view text) {
  auto d = Decimal::parse(text);
  REQUIRE(d.has_value());
  return *d;
}

std::string S(const std::optional<Decimal>& d) {
  return d ? d->to_string() : std::string("<absent>");
}

}  // namespace

// ---------------------------------------------------------------------------
// JSON

TEST_CASE("bom json: the spec example reads with every field in place") {
  std::vector<Diagnostic> diags;
  Bom bom = read_ok(spec_example, &diags);
  // "winding" is not in the process vocabulary of the spec: a warning, and the
  // identifier is kept.
  REQUIRE(diags.size() == 1);
  check_diag(diags[0], Severity::warning, "bom-unknown-process", 14, 19, "/product/processes/0");
  CHECK(bom.currency == "EUR");
  CHECK(bom.hs_edition == 2022);
  CHECK_FALSE(bom.date.has_value());

  const auto& p = bom.product;
  CHECK(p.id == "MTR-100");
  CHECK(p.description == "AC electric motor, 750 W");
  CHECK(p.hs.digits() == "850152");
  CHECK(p.hs.dotted() == "8501.52");
  CHECK(p.produced_in == "GB");
  CHECK(p.destination.empty());
  CHECK(S(p.basis(ValueBasis::ex_works)) == "1000.00");
  CHECK(S(p.basis(ValueBasis::fob)) == "1040.00");
  CHECK(S(p.basis(ValueBasis::transaction_value)) == "1040.00");
  CHECK(S(p.basis(ValueBasis::net_cost)) == "880.00");
  CHECK_FALSE(p.basis(ValueBasis::adjusted_value).has_value());
  CHECK_FALSE(p.basis(ValueBasis::total_cost).has_value());
  CHECK(S(p.weight_kg) == "12.5");
  CHECK_FALSE(p.quantity.has_value());
  CHECK(p.processes == std::vector<std::string>{"winding", "assembly", "testing"});
  CHECK_FALSE(p.wholly_obtained.has_value());
  CHECK(p.attributes.empty());
  CHECK_FALSE(p.is_set);
  CHECK(p.place.line == 4);
  CHECK(p.place.column == 14);
  CHECK(p.place.pointer == "/product");

  REQUIRE(bom.materials.size() == 3);
  const Material& m1 = bom.materials[0];
  CHECK(m1.id == "M1");
  CHECK(m1.description == "copper wire");
  CHECK(m1.hs.dotted() == "7408.11");
  CHECK(S(m1.value) == "120.00");
  CHECK(m1.origin == "CL");
  REQUIRE(m1.originating.has_value());
  CHECK_FALSE(*m1.originating);
  CHECK(S(m1.weight_kg) == "2.0");
  CHECK_FALSE(m1.self_produced);
  CHECK(m1.role == MaterialRole::material);
  CHECK(m1.materials.empty());
  CHECK(m1.place.line == 17);
  CHECK(m1.place.column == 5);
  CHECK(m1.place.pointer == "/materials/0");

  const Material& m2 = bom.materials[1];
  CHECK(m2.id == "M2");
  CHECK(m2.hs.digits() == "722611");
  CHECK(S(m2.value) == "200.00");
  CHECK(m2.origin == "DE");
  CHECK(m2.originating == std::optional<bool>(true));
  CHECK_FALSE(m2.weight_kg.has_value());
  CHECK(m2.place.line == 19);

  const Material& m3 = bom.materials[2];
  CHECK(m3.id == "M3");
  CHECK(m3.description == "rotor sub-assembly (made in-house)");
  CHECK(m3.hs.dotted() == "8503.00");
  CHECK(S(m3.value) == "300.00");
  CHECK(m3.origin == "GB");
  CHECK(m3.self_produced);
  CHECK_FALSE(m3.originating.has_value());
  CHECK(m3.place.line == 21);
  REQUIRE(m3.materials.size() == 1);
  const Material& m31 = m3.materials[0];
  CHECK(m31.id == "M3.1");
  CHECK(m31.hs.dotted() == "7326.90");
  CHECK(S(m31.value) == "90.00");
  CHECK(m31.origin == "CN");
  CHECK(m31.originating == std::optional<bool>(false));
  CHECK(m31.place.line == 24);
  CHECK(m31.place.column == 9);
  CHECK(m31.place.pointer == "/materials/2/materials/0");
}

TEST_CASE("bom json: every other field") {
  Bom bom = read_ok(R"({
    "currency": "USD", "hs_edition": 2017, "date": "2024-02-29",
    "product": { "hs": "1806 32", "destination": "EU", "adjusted_value": "5", "total_cost": 7.25,
                 "quantity": "3", "unit": "kg", "wholly_obtained": true, "set": true,
                 "attributes": { "description": "white chocolate" } },
    "materials": [
      { "hs": "0401", "value": "1.5", "origin": "XI", "proof": "EUR1-99", "intermediate": false,
        "originating_under": ["ukeu", "cptpp"], "originating_value": "0.5", "role": "packaging",
        "produced_in": "FR", "wholly_obtained": "born_and_raised", "materials": [ { "hs": "0102.21" } ] },
      { "hs": "0402.10", "origin": "unknown", "role": "neutral", "wholly_obtained": false },
      { "hs": "0402.10", "origin": "EU", "role": "accessory", "weight_kg": 0, "quantity": 1E2 },
      { "hs": "0402.10", "role": "packing" },
      { "hs": "0402.10", "role": "material" }
    ]
  })");
  CHECK(bom.currency == "USD");
  CHECK(bom.hs_edition == 2017);
  REQUIRE(bom.date.has_value());
  CHECK(bom.date->to_string() == "2024-02-29");
  CHECK(bom.product.hs.dotted() == "1806.32");
  CHECK(bom.product.destination == "EU");
  CHECK(S(bom.product.basis(ValueBasis::adjusted_value)) == "5");
  CHECK(S(bom.product.basis(ValueBasis::total_cost)) == "7.25");
  CHECK(S(bom.product.quantity) == "3");
  CHECK(bom.product.unit == "kg");
  CHECK(bom.product.wholly_obtained == std::optional<std::string>(""));
  CHECK(bom.product.is_set);
  REQUIRE(bom.product.attribute("description") != nullptr);
  CHECK(bom.product.attribute("description")->text == "white chocolate");

  REQUIRE(bom.materials.size() == 5);
  const Material& a = bom.materials[0];
  CHECK(a.id.empty());
  CHECK(a.origin == "XI");
  CHECK(a.proof == "EUR1-99");
  CHECK(a.intermediate == std::optional<bool>(false));
  CHECK(a.originating_under == std::vector<std::string>{"ukeu", "cptpp"});
  CHECK(S(a.originating_value) == "0.5");
  CHECK(a.role == MaterialRole::packaging);
  CHECK(a.produced_in == "FR");
  CHECK(a.wholly_obtained == std::optional<std::string>("born_and_raised"));
  CHECK_FALSE(a.self_produced);
  REQUIRE(a.materials.size() == 1);  // produced_in a partner: the sub-BOM is kept, no warning
  CHECK(a.materials[0].hs.dotted() == "0102.21");
  CHECK(bom.materials[1].origin == "unknown");
  CHECK(bom.materials[1].role == MaterialRole::neutral);
  CHECK_FALSE(bom.materials[1].wholly_obtained.has_value());
  CHECK(bom.materials[2].origin == "EU");
  CHECK(bom.materials[2].role == MaterialRole::accessory);
  CHECK(S(bom.materials[2].weight_kg) == "0");
  CHECK(S(bom.materials[2].quantity) == "100");
  CHECK(bom.materials[3].role == MaterialRole::packing);
  CHECK(bom.materials[4].role == MaterialRole::material);
}

TEST_CASE("bom json: figures may be numbers or strings, read from their text") {
  Bom bom = read_ok(R"({"currency": "EUR", "hs_edition": "2012",
    "product": {"hs": "8501.52", "ex_works": 1040.00, "fob": "1040.00", "net_cost": 1e3, "weight_kg": 0.1},
    "materials": [{"hs": "7408.11", "value": 120.50, "weight_kg": "2.0"},
                  {"hs": "7408.11", "value": "12345678901234567890.123456789", "originating_value": 2.5E-1}]})");
  CHECK(bom.hs_edition == 2012);
  CHECK(S(bom.product.basis(ValueBasis::ex_works)) == "1040.00");
  CHECK(S(bom.product.basis(ValueBasis::fob)) == "1040.00");
  CHECK(S(bom.product.basis(ValueBasis::net_cost)) == "1000");
  CHECK(S(bom.product.weight_kg) == "0.1");
  CHECK(S(bom.materials[0].value) == "120.50");
  CHECK(*bom.materials[0].value == D("120.5"));
  CHECK(S(bom.materials[1].value) == "12345678901234567890.123456789");
  CHECK(S(bom.materials[1].originating_value) == "0.25");
}

TEST_CASE("bom json: a syntax error is located") {
  BomReadResult r;
  const auto& d = json_error("{\n  \"currency\": \"EUR\"\n  \"product\": {}\n}", r);
  check_diag(d, Severity::error, "bom-json", 3, 3, "");
  CHECK(d.message == "unexpected '\"'; expected ',' or '}' after an object member");
  CHECK(d.file == "t.bom.json");
  CHECK(d.source_line == "  \"product\": {}");
  CHECK(d.length == 1);

  const auto& e = json_error("{\"product\": {\"hs\": \"8501\", \"description\": \"caf\xC3\"}}", r);
  check_diag(e, Severity::error, "bom-utf8", 1, 47, "");

  const auto& f = json_error("", r);
  check_diag(f, Severity::error, "bom-json", 1, 1, "");

  const auto& g = json_error(std::string(1000, '['), r);
  check_diag(g, Severity::error, "bom-depth", 1, 129, "");
}

TEST_CASE("bom json: each kind of defect gives its code, place and pointer") {
  BomReadResult r;
  SUBCASE("not an object") {
    check_diag(json_error("\n [1, 2]", r), Severity::error, "bom-type", 2, 2, "");
    CHECK(r.diagnostics[0].message == "a BOM must be a JSON object; found an array");
  }
  SUBCASE("no product") {
    check_diag(json_error(R"({"currency": "EUR"})", r), Severity::error, "bom-required", 1, 1, "");
  }
  SUBCASE("product not an object") {
    check_diag(json_error(R"({"product": "x"})", r), Severity::error, "bom-type", 1, 13, "/product");
    CHECK(r.diagnostics[0].message == "'product' must be an object; found a string");
  }
  SUBCASE("product without hs") {
    check_diag(json_error(R"({"product": {"id": "P"}})", r), Severity::error, "bom-required", 1, 13, "/product");
    CHECK(r.diagnostics[0].message == "the product has no 'hs'; an HS code of 4 to 10 digits is required");
  }
  SUBCASE("material without hs") {
    check_diag(json_error("{\"product\": {\"hs\": \"8501\"},\n \"materials\": [ {\"id\": \"M1\"} ]}", r),
               Severity::error, "bom-required", 2, 17, "/materials/0");
    CHECK(r.diagnostics[0].message == "this material has no 'hs'; an HS code of 4 to 10 digits is required");
  }
  SUBCASE("malformed hs") {
    const auto& d = json_error(R"({"product": {"hs": "85x1"}})", r);
    check_diag(d, Severity::error, "bom-hs", 1, 20, "/product/hs");
    CHECK(d.length == 6);
    CHECK(d.message == "HS code '85x1' contains 'x'; expected digits, dots and spaces");
  }
  SUBCASE("hs written as a number") {
    const auto& d = json_error(R"({"product": {"hs": 850152}})", r);
    check_diag(d, Severity::error, "bom-hs", 1, 20, "/product/hs");
    CHECK(d.length == 6);
  }
  SUBCASE("hs of the wrong type") {
    check_diag(json_error(R"({"product": {"hs": true}})", r), Severity::error, "bom-type", 1, 20, "/product/hs");
    CHECK(r.diagnostics[0].message == "'hs' must be a string; found a boolean");
  }
  SUBCASE("thousands separator") {
    const auto& d = json_error(R"({"currency": "EUR", "product": {"hs": "8501", "ex_works": "1,000.00"}})", r);
    check_diag(d, Severity::error, "bom-number", 1, 59, "/product/ex_works");
    CHECK(d.length == 10);
  }
  SUBCASE("non-numeric value") {
    check_diag(json_error(R"({"currency": "EUR", "product": {"hs": "8501"}, "materials": [{"hs": "8501", "value": "abc"}]})",
                          r),
               Severity::error, "bom-number", 1, 86, "/materials/0/value");
  }
  SUBCASE("negative value") {
    const auto& d = json_error(
        R"({"currency": "EUR", "product": {"hs": "8501"}, "materials": [{"hs": "8501", "value": -0.5}]})", r);
    check_diag(d, Severity::error, "bom-negative", 1, 86, "/materials/0/value");
    CHECK(d.message == "'value' must not be negative (found -0.5)");
  }
  SUBCASE("value of the wrong type") {
    check_diag(json_error(
                   R"({"currency": "EUR", "product": {"hs": "8501"}, "materials": [{"hs": "8501", "value": null}]})", r),
               Severity::error, "bom-type", 1, 86, "/materials/0/value");
    CHECK(r.diagnostics[0].message == "'value' must be a decimal number (string or number); found null");
  }
  SUBCASE("unknown country, with a hint") {
    const auto& d = json_error(R"({"product": {"hs": "8501", "produced_in": "UK"}})", r);
    check_diag(d, Severity::error, "bom-country", 1, 43, "/product/produced_in");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0] == "the ISO code of the United Kingdom is 'GB'");
  }
  SUBCASE("unknown origin") {
    const auto& d = json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "origin": "ZZ"}]})", r);
    check_diag(d, Severity::error, "bom-country", 1, 68, "/materials/0/origin");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0] == "did you mean 'ZA'?");
  }
  SUBCASE("destination XI is not accepted, EU is") {
    check_diag(json_error(R"({"product": {"hs": "8501", "destination": "XI"}})", r), Severity::error, "bom-country",
               1, 43, "/product/destination");
    read_ok(R"({"product": {"hs": "8501", "destination": "EU"}})");
  }
  SUBCASE("unknown currency") {
    const auto& d = json_error(R"({"currency": "EURO", "product": {"hs": "8501"}})", r);
    check_diag(d, Severity::error, "bom-currency", 1, 14, "/currency");
    CHECK(d.message == "'EURO' is not an ISO 4217 currency code");
  }
  SUBCASE("bad date") {
    const auto& d = json_error(R"({"date": "2023-02-29", "product": {"hs": "8501"}})", r);
    check_diag(d, Severity::error, "bom-date", 1, 10, "/date");
    CHECK(d.message == "'2023-02-29' is not a day of the calendar");
  }
  SUBCASE("bad HS edition") {
    check_diag(json_error(R"({"hs_edition": 2023, "product": {"hs": "8501"}})", r), Severity::error, "bom-edition", 1,
               16, "/hs_edition");
    check_diag(json_error(R"({"hs_edition": 2022.0, "product": {"hs": "8501"}})", r), Severity::error, "bom-edition",
               1, 16, "/hs_edition");
  }
  SUBCASE("unsupported format") {
    const auto& d = json_error(R"({"format": "roo-bom/2", "product": {"hs": "8501"}})", r);
    check_diag(d, Severity::error, "bom-format", 1, 12, "/format");
    CHECK(d.message == "unsupported format 'roo-bom/2'; this reader understands \"roo-bom/1\"");
  }
  SUBCASE("unknown role") {
    const auto& d = json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "role": "spare"}]})", r);
    check_diag(d, Severity::error, "bom-enum", 1, 66, "/materials/0/role");
  }
  SUBCASE("boolean written as a string") {
    const auto& d =
        json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "originating": "true"}]})", r);
    check_diag(d, Severity::error, "bom-type", 1, 73, "/materials/0/originating");
    CHECK(d.message == "'originating' must be true or false; found a string");
  }
  SUBCASE("materials not an array") {
    check_diag(json_error(R"({"product": {"hs": "8501"}, "materials": {}})", r), Severity::error, "bom-type", 1, 42,
               "/materials");
  }
  SUBCASE("a material that is not an object") {
    check_diag(json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501"}, 7]})", r), Severity::error,
               "bom-type", 1, 59, "/materials/1");
  }
  SUBCASE("processes not an array, and not strings") {
    check_diag(json_error(R"({"product": {"hs": "8501", "processes": "assembly"}})", r), Severity::error, "bom-type",
               1, 41, "/product/processes");
    check_diag(json_error(R"({"product": {"hs": "8501", "processes": ["assembly", 3]}})", r), Severity::error,
               "bom-type", 1, 54, "/product/processes/1");
    CHECK(r.diagnostics[0].message == "'processes[1]' must be a string; found a number");
  }
  SUBCASE("empty agreement id") {
    check_diag(json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "originating_under": [""]}]})",
                          r),
               Severity::error, "bom-type", 1, 80, "/materials/0/originating_under/0");
  }
  SUBCASE("duplicate member") {
    const auto& d = json_error("{\"product\": {\"hs\": \"8501\",\n \"hs\": \"8502\"}}", r);
    check_diag(d, Severity::error, "bom-duplicate-key", 2, 2, "/product/hs");
    CHECK(d.length == 4);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0] == "first given at line 1");
  }
  SUBCASE("missing currency with money") {
    const auto& d = json_error("\n{\"product\": {\"hs\": \"8501\", \"fob\": \"1\"}}", r);
    check_diag(d, Severity::error, "bom-required", 2, 1, "");
    CHECK(d.message == "'currency' is required when the BOM gives money figures (an ISO 4217 code such as \"EUR\")");
    // A material's value is money too.
    check_diag(json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "value": "1"}]})", r),
               Severity::error, "bom-required", 1, 1, "");
  }
  SUBCASE("originating_value above value") {
    const auto& d = json_error(
        "{\"currency\": \"EUR\", \"product\": {\"hs\": \"8501\"},\n \"materials\": [{\"hs\": \"8501\", \"value\": \"10\", "
        "\"originating_value\": \"10.01\"}]}",
        r);
    check_diag(d, Severity::error, "bom-conflict", 2, 67, "/materials/0/originating_value");
    CHECK(d.message == "originating_value 10.01 is more than the material's value 10");
    // Equal is fine.
    read_ok(R"({"currency": "EUR", "product": {"hs": "8501"},
               "materials": [{"hs": "8501", "value": "10", "originating_value": "10.00"}]})");
  }
}

TEST_CASE("bom json: no currency and no money is fine") {
  Bom bom = read_ok(R"({"product": {"hs": "8501", "weight_kg": "3"}, "materials": [{"hs": "8501", "weight_kg": "1"}]})");
  CHECK(bom.currency.empty());
}

TEST_CASE("bom json: every defect is reported in one run, in file order") {
  auto r = roo::read_bom_json(R"({
  "currency": "EUR",
  "product": { "hs": "8501.52", "ex_works": "abc" },
  "materials": [
    { "id": "M1", "hs": "85x1", "value": "1.00" },
    { "id": "M2", "hs": "7326.90", "value": "2.00", "origin": "ZZ" }
  ]
})",
                              "three.bom.json");
  INFO(dump(r.diagnostics));
  CHECK_FALSE(r.bom.has_value());
  REQUIRE(r.diagnostics.size() == 3);
  check_diag(r.diagnostics[0], Severity::error, "bom-number", 3, 45, "/product/ex_works");
  check_diag(r.diagnostics[1], Severity::error, "bom-hs", 5, 25, "/materials/0/hs");
  check_diag(r.diagnostics[2], Severity::error, "bom-country", 6, 63, "/materials/1/origin");
  for (const auto& d : r.diagnostics) CHECK(d.file == "three.bom.json");
  CHECK(r.diagnostics[1].source_line == "    { \"id\": \"M1\", \"hs\": \"85x1\", \"value\": \"1.00\" },");
}

TEST_CASE("bom json: unknown fields are warnings and the BOM is still returned") {
  std::vector<Diagnostic> diags;
  Bom bom = read_ok(R"({"colour": 1, "product": {"hs": "8501", "desciption": "x", "a/b~c": 2},
    "materials": [{"hs": "8501", "orign": "GB"}]})",
                    &diags);
  CHECK(bom.product.hs.digits() == "8501");
  REQUIRE(diags.size() == 4);
  check_diag(diags[0], Severity::warning, "bom-unknown-field", 1, 2, "/colour");
  CHECK(diags[0].message == "unknown field 'colour' at the top of a BOM is ignored");
  check_diag(diags[1], Severity::warning, "bom-unknown-field", 1, 41, "/product/desciption");
  CHECK(diags[1].message == "unknown field 'desciption' in 'product' is ignored");
  REQUIRE(diags[1].notes.size() == 1);
  CHECK(diags[1].notes[0] == "did you mean 'description'?");
  CHECK(diags[1].length == 12);
  check_diag(diags[2], Severity::warning, "bom-unknown-field", 1, 60, "/product/a~1b~0c");
  check_diag(diags[3], Severity::warning, "bom-unknown-field", 2, 34, "/materials/0/orign");
  CHECK(diags[3].message == "unknown field 'orign' in a material is ignored");
  CHECK(diags[3].notes == std::vector<std::string>{"did you mean 'origin'?"});
}

TEST_CASE("bom json: unknown processes are warnings naming the nearest") {
  std::vector<Diagnostic> diags;
  Bom bom = read_ok(R"({"product": {"hs": "8501", "processes": ["asembly", "testing", "zzzzzzzzzz"]}})", &diags);
  CHECK(bom.product.processes == std::vector<std::string>{"asembly", "testing", "zzzzzzzzzz"});
  REQUIRE(diags.size() == 2);
  check_diag(diags[0], Severity::warning, "bom-unknown-process", 1, 42, "/product/processes/0");
  CHECK(diags[0].notes == std::vector<std::string>{"did you mean 'assembly'?"});
  check_diag(diags[1], Severity::warning, "bom-unknown-process", 1, 64, "/product/processes/2");
  CHECK(diags[1].notes == std::vector<std::string>{"the process vocabulary is listed in docs/bom-format.md"});
}

TEST_CASE("bom json: a sub-BOM under a bought material is a warning") {
  std::vector<Diagnostic> diags;
  Bom bom = read_ok(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "materials": [{"hs": "7326"}]}]})",
                    &diags);
  REQUIRE(diags.size() == 1);
  check_diag(diags[0], Severity::warning, "bom-sub-bom", 1, 71, "/materials/0/materials");
  CHECK(bom.materials[0].materials.size() == 1);
}

TEST_CASE("bom json: material ids are unique across nesting levels") {
  auto r = roo::read_bom_json(R"({"product": {"hs": "8501"}, "materials": [
  {"id": "A", "hs": "8501"},
  {"id": "B", "hs": "8501", "self_produced": true, "materials": [
    {"id": "C", "hs": "7326"},
    {"id": "A", "hs": "7326"}]},
  {"id": "C", "hs": "8501"}]})",
                              "t.bom.json");
  INFO(dump(r.diagnostics));
  CHECK_FALSE(r.bom.has_value());
  REQUIRE(r.diagnostics.size() == 2);
  check_diag(r.diagnostics[0], Severity::error, "bom-duplicate-id", 5, 12, "/materials/1/materials/1/id");
  CHECK(r.diagnostics[0].message == "material id 'A' is used twice; ids must be unique across the whole BOM");
  CHECK(r.diagnostics[0].notes == std::vector<std::string>{"first used at /materials/0"});
  check_diag(r.diagnostics[1], Severity::error, "bom-duplicate-id", 6, 10, "/materials/2/id");
  CHECK(r.diagnostics[1].notes == std::vector<std::string>{"first used at /materials/1/materials/0"});
  // Materials without an id are never duplicates.
  read_ok(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501"}, {"hs": "8501"}]})");
}

TEST_CASE("bom json: attributes keep their text and kind") {
  auto r = roo::read_bom_json(R"({"product": {"hs": "1806", "attributes": {
    "description": "white chocolate", "milk_solids_pct": 12.50, "organic": true, "vegan": false,
    "bad": null, "worse": [1]}}})",
                              "t.bom.json");
  INFO(dump(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 2);
  check_diag(r.diagnostics[0], Severity::error, "bom-type", 3, 12, "/product/attributes/bad");
  CHECK(r.diagnostics[0].message == "'attributes/bad' must be a string, number or boolean; found null");
  check_diag(r.diagnostics[1], Severity::error, "bom-type", 3, 27, "/product/attributes/worse");

  Bom bom = read_ok(R"({"product": {"hs": "1806", "attributes": {
    "description": "white chocolate", "milk_solids_pct": 12.50, "organic": true, "vegan": false}},
    "materials": [{"hs": "0401", "attributes": {"fat_pct": "3.5"}}]})");
  const auto& attrs = bom.product.attributes;
  REQUIRE(attrs.size() == 4);
  CHECK(attrs[0].name == "description");
  CHECK(attrs[0].text == "white chocolate");
  CHECK(attrs[0].kind == Attribute::Kind::string);
  CHECK(attrs[1].text == "12.50");
  CHECK(attrs[1].kind == Attribute::Kind::number);
  CHECK(attrs[2].text == "true");
  CHECK(attrs[2].kind == Attribute::Kind::boolean);
  CHECK(attrs[3].text == "false");
  CHECK(attrs[3].kind == Attribute::Kind::boolean);
  CHECK(bom.product.attribute("organic") == &attrs[2]);
  CHECK(bom.product.attribute("missing") == nullptr);
  REQUIRE(bom.materials[0].attribute("fat_pct") != nullptr);
  CHECK(bom.materials[0].attribute("fat_pct")->text == "3.5");

  BomReadResult holder;
  check_diag(json_error(R"({"product": {"hs": "1806", "attributes": ["a"]}})", holder), Severity::error, "bom-type",
             1, 42, "/product/attributes");
}

TEST_CASE("bom json: wholly_obtained is true, false or a category") {
  Bom bom = read_ok(R"({"product": {"hs": "0805", "wholly_obtained": "harvested"},
    "materials": [{"hs": "0805", "wholly_obtained": true}, {"hs": "0805", "wholly_obtained": false},
                  {"hs": "0805"}, {"hs": "0805", "wholly_obtained": "true"}]})");
  CHECK(bom.product.wholly_obtained == std::optional<std::string>("harvested"));
  CHECK(bom.materials[0].wholly_obtained == std::optional<std::string>(""));
  CHECK_FALSE(bom.materials[1].wholly_obtained.has_value());
  CHECK_FALSE(bom.materials[2].wholly_obtained.has_value());
  CHECK(bom.materials[3].wholly_obtained == std::optional<std::string>(""));

  BomReadResult r;
  check_diag(json_error(R"({"product": {"hs": "0805", "wholly_obtained": ""}})", r), Severity::error, "bom-type", 1,
             47, "/product/wholly_obtained");
  check_diag(json_error(R"({"product": {"hs": "0805", "wholly_obtained": 1}})", r), Severity::error, "bom-type", 1,
             47, "/product/wholly_obtained");
  CHECK(r.diagnostics[0].message == "'wholly_obtained' must be true, false or a category string; found a number");
}

TEST_CASE("bom json: role") {
  for (auto [name, role] : {std::pair{"material", MaterialRole::material}, std::pair{"accessory", MaterialRole::accessory},
                            std::pair{"packaging", MaterialRole::packaging}, std::pair{"packing", MaterialRole::packing},
                            std::pair{"neutral", MaterialRole::neutral}}) {
    Bom bom = read_ok(std::string(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "role": ")") + name +
                      "\"}]}");
    CHECK(bom.materials[0].role == role);
    CHECK(roo::material_role_name(role) == name);
  }
  BomReadResult r;
  check_diag(json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "role": "Packing"}]})", r),
             Severity::error, "bom-enum", 1, 66, "/materials/0/role");
  check_diag(json_error(R"({"product": {"hs": "8501"}, "materials": [{"hs": "8501", "role": 1}]})", r),
             Severity::error, "bom-type", 1, 66, "/materials/0/role");
  // role belongs to materials only.
  std::vector<Diagnostic> diags;
  read_ok(R"({"product": {"hs": "8501", "role": "packing"}})", &diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == "bom-unknown-field");
}

namespace {
// A BOM whose materials are nested `levels` deep (level 1 is the product's list).
std::string nested_bom(int levels) {
  std::string text = R"({"product": {"hs": "8501"}, "materials": )";
  for (int i = 1; i <= levels; ++i) {
    text += "[{\"id\": \"L" + std::to_string(i) + "\", \"hs\": \"8503\"";
    if (i < levels) text += ", \"self_produced\": true, \"materials\": ";
  }
  for (int i = 1; i <= levels; ++i) text += "}]";
  text += "}";
  return text;
}
}  // namespace

TEST_CASE("bom json: sub-BOM nesting is limited to max_bom_depth") {
  Bom bom = read_ok(nested_bom(roo::max_bom_depth));
  const std::vector<Material>* level = &bom.materials;
  int depth = 0;
  while (!level->empty()) {
    ++depth;
    level = &(*level)[0].materials;
  }
  CHECK(depth == roo::max_bom_depth);

  std::string text = nested_bom(roo::max_bom_depth + 1);
  auto r = roo::read_bom_json(text, "deep.bom.json");
  const auto& d = single(r);
  std::string pointer;
  for (int i = 0; i < roo::max_bom_depth; ++i) pointer += "/materials/0";
  pointer += "/materials";
  auto where = text.find("[{\"id\": \"L33\"");
  REQUIRE(where != std::string::npos);
  check_diag(d, Severity::error, "bom-depth", 1, static_cast<std::uint32_t>(where + 1), pointer);
  CHECK(d.message == "self-produced materials are nested more than 32 levels deep");

  // Deeper still runs into the JSON nesting limit first, without a crash.
  auto deeper = roo::read_bom_json(nested_bom(200), "deeper.bom.json");
  CHECK(single(deeper).code == "bom-depth");
}

TEST_CASE("bom json: first_line offsets the reported lines") {
  auto r = roo::read_bom_json(R"({"product": {"hs": "85x1"}})", "x.bom.jsonl", 41);
  check_diag(single(r), Severity::error, "bom-hs", 41, 20, "/product/hs");
  auto s = roo::read_bom_json("{\n\"product\": 1}", "x.bom.jsonl", 10);
  check_diag(single(s), Severity::error, "bom-type", 11, 12, "/product");
}

TEST_CASE("bom json: file kinds by extension") {
  CHECK(roo::bom_format_for_path("a.bom.json") == roo::BomFormat::json);
  CHECK(roo::bom_format_for_path("A.JSON") == roo::BomFormat::json);
  CHECK(roo::bom_format_for_path("a.jsonl") == roo::BomFormat::json_lines);
  CHECK(roo::bom_format_for_path("a.NDJSON") == roo::BomFormat::json_lines);
  CHECK(roo::bom_format_for_path("a.csv") == roo::BomFormat::csv);
  CHECK_FALSE(roo::bom_format_for_path("a.txt").has_value());
  CHECK_FALSE(roo::bom_format_for_path("json").has_value());
  CHECK_FALSE(roo::bom_format_for_path("").has_value());
}

// ---------------------------------------------------------------------------
// JSON Lines

namespace {
struct Record {
  std::uint32_t line;
  BomReadResult result;
};

std::vector<Record> read_lines(const std::string& text) {
  std::istringstream in(text);
  std::vector<Record> out;
  roo::read_bom_json_lines(in, "t.bom.jsonl",
                           [&](std::uint32_t line, BomReadResult&& r) { out.push_back({line, std::move(r)}); });
  return out;
}
}  // namespace

TEST_CASE("bom jsonl: one callback per non-blank line, with its line number") {
  auto records = read_lines(
      "{\"product\": {\"id\": \"A\", \"hs\": \"8501\"}}\n"
      "\n"
      "   \t \n"
      "{\"product\": {\"id\": \"B\", \"hs\": \"8502\"}}\n"
      "\n"
      "{\"product\": {\"id\": \"C\", \"hs\": \"8503\"}}");  // no final newline
  REQUIRE(records.size() == 3);
  CHECK(records[0].line == 1);
  CHECK(records[1].line == 4);
  CHECK(records[2].line == 6);
  for (const auto& rec : records) {
    REQUIRE(rec.result.bom.has_value());
    CHECK(rec.result.diagnostics.empty());
  }
  CHECK(records[0].result.bom->product.id == "A");
  CHECK(records[1].result.bom->product.id == "B");
  CHECK(records[2].result.bom->product.id == "C");
  CHECK(records[1].result.bom->product.place.line == 4);

  CHECK(read_lines("").empty());
  CHECK(read_lines("\n\n  \n").empty());
}

TEST_CASE("bom jsonl: a bad line does not stop later lines") {
  auto records = read_lines(
      "{\"product\": {\"id\": \"A\", \"hs\": \"8501\"}}\n"
      "{\"product\": {\"id\": \"B\", \"hs\": \"85\n"
      "not json at all\n"
      "{\"product\": {\"id\": \"D\", \"hs\": \"85x1\"}}\n"
      "{\"product\": {\"id\": \"E\", \"hs\": \"8505\"}}\n");
  REQUIRE(records.size() == 5);
  CHECK(records[0].result.bom.has_value());

  CHECK(records[1].line == 2);
  CHECK_FALSE(records[1].result.bom.has_value());
  check_diag(single(records[1].result), Severity::error, "bom-json", 2, 31, "");
  CHECK(records[1].result.diagnostics[0].message == "unterminated string (the file may be truncated)");

  CHECK(records[2].line == 3);
  check_diag(single(records[2].result), Severity::error, "bom-json", 3, 1, "");

  CHECK(records[3].line == 4);
  check_diag(single(records[3].result), Severity::error, "bom-hs", 4, 31, "/product/hs");
  CHECK(records[3].result.diagnostics[0].file == "t.bom.jsonl");
  CHECK(records[3].result.diagnostics[0].source_line == "{\"product\": {\"id\": \"D\", \"hs\": \"85x1\"}}");

  CHECK(records[4].line == 5);
  REQUIRE(records[4].result.bom.has_value());
  CHECK(records[4].result.bom->product.id == "E");
}

TEST_CASE("bom jsonl: CRLF line endings") {
  auto records = read_lines(
      "{\"product\": {\"id\": \"A\", \"hs\": \"8501\"}}\r\n"
      "\r\n"
      "{\"product\": {\"id\": \"B\", \"hs\": \"85x1\"}}\r\n"
      "{\"product\": {\"id\": \"C\", \"hs\": \"8503\"}}\r\n");
  REQUIRE(records.size() == 3);
  CHECK(records[0].line == 1);
  REQUIRE(records[0].result.bom.has_value());
  CHECK(records[0].result.bom->product.id == "A");
  CHECK(records[1].line == 3);
  const auto& d = single(records[1].result);
  check_diag(d, Severity::error, "bom-hs", 3, 31, "/product/hs");
  CHECK(d.source_line == "{\"product\": {\"id\": \"B\", \"hs\": \"85x1\"}}");  // no '\r'
  CHECK(records[2].line == 4);
  REQUIRE(records[2].result.bom.has_value());
  CHECK(records[2].result.bom->product.id == "C");
}

// ---------------------------------------------------------------------------
// CSV

TEST_CASE("bom csv: the spec example") {
  Bom bom = csv_ok(
      "# product: hs=8501.52 ex_works=1000.00 currency=EUR produced_in=GB\n"
      "id,description,hs,value,origin,originating,weight_kg\n"
      "M1,copper wire,7408.11,120.00,CL,false,2.0\n"
      "M2,steel laminations,7226.11,200.00,DE,true,\n");
  CHECK(bom.currency == "EUR");
  CHECK(bom.product.hs.dotted() == "8501.52");
  CHECK(S(bom.product.basis(ValueBasis::ex_works)) == "1000.00");
  CHECK(bom.product.produced_in == "GB");
  REQUIRE(bom.materials.size() == 2);
  const auto& m1 = bom.materials[0];
  CHECK(m1.id == "M1");
  CHECK(m1.description == "copper wire");
  CHECK(m1.hs.dotted() == "7408.11");
  CHECK(S(m1.value) == "120.00");
  CHECK(m1.origin == "CL");
  CHECK(m1.originating == std::optional<bool>(false));
  CHECK(S(m1.weight_kg) == "2.0");
  CHECK(m1.place.line == 3);
  CHECK(m1.place.column == 1);
  CHECK(m1.place.pointer == "line 3");
  const auto& m2 = bom.materials[1];
  CHECK(m2.originating == std::optional<bool>(true));
  CHECK_FALSE(m2.weight_kg.has_value());  // empty cell: absent
  CHECK(m2.place.line == 4);
}

TEST_CASE("bom csv: the product line, quoted values and overrides") {
  const char* text =
      "# a comment\n"
      "#product: id=P-1 description=\"AC motor, 750 W \"\"Pro\"\"\" hs=8501.52 currency=EUR ex_works=1000.00 "
      "attributes.colour=red date=2026-11-28 processes=cutting;assembly\n"
      "id,hs\n"
      "M1,7408.11\n";
  Bom bom = csv_ok(text);
  CHECK(bom.product.id == "P-1");
  CHECK(bom.product.description == "AC motor, 750 W \"Pro\"");
  CHECK(S(bom.product.basis(ValueBasis::ex_works)) == "1000.00");
  CHECK(bom.date->to_string() == "2026-11-28");
  CHECK(bom.product.processes == std::vector<std::string>{"cutting", "assembly"});
  REQUIRE(bom.product.attribute("colour") != nullptr);
  CHECK(bom.product.attribute("colour")->text == "red");

  // Command-line values win over the file's.
  Bom over = csv_ok(text, {{"ex_works", "1200.00"}, {"hs", "8501.53"}, {"currency", "GBP"}, {"fob", "1300"}});
  CHECK(S(over.product.basis(ValueBasis::ex_works)) == "1200.00");
  CHECK(S(over.product.basis(ValueBasis::fob)) == "1300");
  CHECK(over.product.hs.dotted() == "8501.53");
  CHECK(over.currency == "GBP");
  CHECK(over.product.id == "P-1");

  // The product may come from overrides alone.
  Bom only = csv_ok("id,hs\nM1,7408.11\n", {{"hs", "8501.52"}});
  CHECK(only.product.hs.dotted() == "8501.52");

  // A bad override is reported at the command line, not at a place in the file.
  auto r = roo::read_bom_csv("id,hs\nM1,7408.11\n", "t.bom.csv", {{"hs", "85x1"}});
  const auto& d = single(r);
  check_diag(d, Severity::error, "bom-hs", 0, 0, "command line");
}

TEST_CASE("bom csv: errors in the product line are located") {
  auto r = roo::read_bom_csv("# product: hs=85x1 colour=red ex_works\nid,hs\nM1,7408.11\n", "t.bom.csv");
  INFO(dump(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 3);
  check_diag(r.diagnostics[0], Severity::error, "bom-hs", 1, 15, "product.hs");
  check_diag(r.diagnostics[1], Severity::warning, "bom-unknown-field", 1, 27, "product.colour");
  check_diag(r.diagnostics[2], Severity::error, "bom-csv", 1, 31, "product");
  CHECK(r.diagnostics[2].message == "expected key=value in the '# product:' line, found 'ex_works'");

  auto u = roo::read_bom_csv("# product: hs=8501 description=\"open\nid,hs\nM1,7408.11\n", "t.bom.csv");
  const auto& d = single(u);
  check_diag(d, Severity::error, "bom-csv", 1, 32, "product.description");
}

TEST_CASE("bom csv: quoted cells with commas, doubled quotes and newlines") {
  Bom bom = csv_ok(
      "# product: hs=8501.52\n"
      "id,description,hs\n"
      "M1,\"copper wire, enamelled\",7408.11\n"
      "M2,\"12\"\" pipe \"\"heavy\"\"\",7326.90\n"
      "M3,\"line one\nline two\",8503.00\n"
      "\"M4\",\"\",\"7326.90\"\n");
  REQUIRE(bom.materials.size() == 4);
  CHECK(bom.materials[0].description == "copper wire, enamelled");
  CHECK(bom.materials[1].description == "12\" pipe \"heavy\"");
  CHECK(bom.materials[2].description == "line one\nline two");
  CHECK(bom.materials[2].hs.dotted() == "8503.00");
  CHECK(bom.materials[2].place.line == 5);
  CHECK(bom.materials[3].id == "M4");
  CHECK(bom.materials[3].description.empty());
  CHECK(bom.materials[3].place.line == 7);  // after the two-line record
}

TEST_CASE("bom csv: a bad cell after a multi-line cell is on the right line") {
  auto r = roo::read_bom_csv(
      "# product: hs=8501.52\n"
      "id,description,hs\n"
      "M1,\"two\nlines\",85x1\n",
      "t.bom.csv");
  check_diag(single(r), Severity::error, "bom-hs", 4, 8, "column hs");
}

TEST_CASE("bom csv: CRLF line endings") {
  std::vector<Diagnostic> diags;
  Bom bom = csv_ok(
      "# product: hs=8501.52 currency=EUR\r\n"
      "id,description,hs,value,originating\r\n"
      "M1,\"copper\r\nwire\",7408.11,120.00,TRUE\r\n"
      "\r\n"
      "M2,steel,7226.11,200.00,False\r\n",
      {}, &diags);
  CHECK(diags.empty());
  REQUIRE(bom.materials.size() == 2);
  CHECK(bom.currency == "EUR");
  CHECK(bom.materials[0].description == "copper\r\nwire");
  CHECK(S(bom.materials[0].value) == "120.00");
  CHECK(bom.materials[0].originating == std::optional<bool>(true));
  CHECK(bom.materials[1].id == "M2");
  CHECK(bom.materials[1].originating == std::optional<bool>(false));
  CHECK(bom.materials[1].place.line == 6);

  auto r = roo::read_bom_csv("id,hs,value\r\nM1,7408.11,abc\r\n", "t.bom.csv", {{"hs", "8501"}, {"currency", "EUR"}});
  const auto& d = single(r);
  check_diag(d, Severity::error, "bom-number", 2, 12, "column value");
  CHECK(d.length == 3);
  CHECK(d.source_line == "M1,7408.11,abc");
}

TEST_CASE("bom csv: empty cells mean absent") {
  Bom bom = csv_ok(
      "id,description,hs,value,origin,originating,weight_kg,role,wholly_obtained\n"
      ",,7408.11,,,,,,\n",
      {{"hs", "8501.52"}});
  REQUIRE(bom.materials.size() == 1);
  const auto& m = bom.materials[0];
  CHECK(m.id.empty());
  CHECK(m.description.empty());
  CHECK_FALSE(m.value.has_value());
  CHECK(m.origin.empty());
  CHECK_FALSE(m.originating.has_value());
  CHECK_FALSE(m.weight_kg.has_value());
  CHECK(m.role == MaterialRole::material);
  CHECK_FALSE(m.wholly_obtained.has_value());
  CHECK(bom.currency.empty());  // no money figure: no currency needed

  // An empty hs cell is a missing HS code.
  auto r = roo::read_bom_csv("id,hs\nM1,\n", "t.bom.csv", {{"hs", "8501"}});
  check_diag(single(r), Severity::error, "bom-required", 2, 1, "column hs");
}

TEST_CASE("bom csv: processes split on ';' and attributes columns") {
  std::vector<Diagnostic> diags;
  Bom bom = csv_ok(
      "id,hs,processes,originating_under,attributes.fat_pct,attributes.note,wholly_obtained\n"
      "M1,0401,cutting; assembly ;;testing,ukeu;cptpp,3.5,\"a, b\",harvested\n"
      "M2,0401,asembly,,,,true\n",
      {{"hs", "1806"}}, &diags);
  REQUIRE(bom.materials.size() == 2);
  CHECK(bom.materials[0].processes == std::vector<std::string>{"cutting", "assembly", "testing"});
  CHECK(bom.materials[0].originating_under == std::vector<std::string>{"ukeu", "cptpp"});
  REQUIRE(bom.materials[0].attributes.size() == 2);
  CHECK(bom.materials[0].attribute("fat_pct")->text == "3.5");
  CHECK(bom.materials[0].attribute("fat_pct")->kind == Attribute::Kind::string);
  CHECK(bom.materials[0].attribute("note")->text == "a, b");
  CHECK(bom.materials[0].wholly_obtained == std::optional<std::string>("harvested"));
  CHECK(bom.materials[1].processes == std::vector<std::string>{"asembly"});
  CHECK(bom.materials[1].attributes.empty());  // empty attribute cells are absent
  CHECK(bom.materials[1].wholly_obtained == std::optional<std::string>(""));
  REQUIRE(diags.size() == 1);
  check_diag(diags[0], Severity::warning, "bom-unknown-process", 3, 9, "column processes");
  CHECK(diags[0].notes == std::vector<std::string>{"did you mean 'assembly'?"});
}

TEST_CASE("bom csv: structural defects") {
  SUBCASE("wrong field count") {
    auto r = roo::read_bom_csv("id,hs,value\nM1,7408.11\nM2,7408.11,1,2\nM3,7408.11,3\n", "t.bom.csv",
                               {{"hs", "8501"}, {"currency", "EUR"}});
    INFO(dump(r.diagnostics));
    CHECK_FALSE(r.bom.has_value());
    REQUIRE(r.diagnostics.size() == 2);
    check_diag(r.diagnostics[0], Severity::error, "bom-csv", 2, 1, "");
    CHECK(r.diagnostics[0].message == "this row has 2 fields; the header has 3 columns");
    check_diag(r.diagnostics[1], Severity::error, "bom-csv", 3, 1, "");
    CHECK(r.diagnostics[1].message == "this row has 4 fields; the header has 3 columns");
  }
  SUBCASE("unterminated quote") {
    auto r = roo::read_bom_csv("id,description,hs\nM1,ok,7408.11\nM2,\"never closed,7408.11\nM3,x,7408.11\n",
                               "t.bom.csv", {{"hs", "8501"}});
    const auto& d = single(r);
    check_diag(d, Severity::error, "bom-csv", 3, 4, "");
    CHECK(d.message == "unterminated quoted field (the file may be truncated)");
  }
  SUBCASE("text after a closing quote") {
    auto r = roo::read_bom_csv("id,description,hs\nM1,\"a\"b,7408.11\n", "t.bom.csv", {{"hs", "8501"}});
    const auto& d = single(r);
    check_diag(d, Severity::error, "bom-csv", 2, 7, "");
  }
  SUBCASE("missing hs column") {
    auto r = roo::read_bom_csv("# product: hs=8501\n\nid,value\nM1,1\n", "t.bom.csv");
    const auto& d = single(r);
    check_diag(d, Severity::error, "bom-required", 3, 1, "");
    CHECK(d.message == "the header has no 'hs' column; every material needs an HS code");
  }
  SUBCASE("no header") {
    auto r = roo::read_bom_csv("# product: hs=8501\n", "t.bom.csv");
    check_diag(single(r), Severity::error, "bom-csv", 2, 1, "");
    auto e = roo::read_bom_csv("", "t.bom.csv");
    check_diag(single(e), Severity::error, "bom-csv", 1, 1, "");
  }
  SUBCASE("no product hs") {
    auto r = roo::read_bom_csv("id,hs\nM1,7408.11\n", "t.bom.csv");
    const auto& d = single(r);
    check_diag(d, Severity::error, "bom-required", 1, 1, "product.hs");
  }
  SUBCASE("duplicate and unknown columns") {
    auto r = roo::read_bom_csv("id,hs,id,orign\nM1,7408.11,M1,CL\n", "t.bom.csv", {{"hs", "8501"}});
    INFO(dump(r.diagnostics));
    REQUIRE(r.diagnostics.size() == 2);
    check_diag(r.diagnostics[0], Severity::error, "bom-csv", 1, 7, "column id");
    check_diag(r.diagnostics[1], Severity::warning, "bom-unknown-field", 1, 10, "column orign");
    CHECK(r.diagnostics[1].notes == std::vector<std::string>{"did you mean 'origin'?"});
  }
  SUBCASE("a column named three times is reported twice") {
    auto r = roo::read_bom_csv("id,hs,id,id\nM1,7408.11,M1,M1\n", "t.bom.csv", {{"hs", "8501"}});
    INFO(dump(r.diagnostics));
    REQUIRE(r.diagnostics.size() == 2);
    check_diag(r.diagnostics[0], Severity::error, "bom-csv", 1, 7, "column id");
    check_diag(r.diagnostics[1], Severity::error, "bom-csv", 1, 10, "column id");
  }
  SUBCASE("invalid UTF-8") {
    auto r = roo::read_bom_csv("id,description,hs\nM1,caf\xC3(,7408.11\n", "t.bom.csv", {{"hs", "8501"}});
    check_diag(single(r), Severity::error, "bom-utf8", 2, 7, "");
  }
}

TEST_CASE("bom csv: a bad cell is located by line and column") {
  auto r = roo::read_bom_csv(
      "# product: hs=8712.00 currency=GBP ex_works=420.00\n"
      "id,description,hs,value,origin,originating\n"
      "F1,frame,8714.91,95.00,GB,true\n"
      "G1,gear set,8714.99,\"48,50\",JP,no\n"
      "F1,frame,8714.91,1.00,XX,false\n",
      "bike.bom.csv");
  INFO(dump(r.diagnostics));
  CHECK_FALSE(r.bom.has_value());
  REQUIRE(r.diagnostics.size() == 4);
  check_diag(r.diagnostics[0], Severity::error, "bom-number", 4, 21, "column value");
  CHECK(r.diagnostics[0].length == 5);
  CHECK(r.diagnostics[0].source_line == "G1,gear set,8714.99,\"48,50\",JP,no");
  check_diag(r.diagnostics[1], Severity::error, "bom-type", 4, 32, "column originating");
  CHECK(r.diagnostics[1].message == "'originating' must be true or false (found 'no')");
  check_diag(r.diagnostics[2], Severity::error, "bom-duplicate-id", 5, 1, "column id");
  CHECK(r.diagnostics[2].notes == std::vector<std::string>{"first used at line 3"});
  check_diag(r.diagnostics[3], Severity::error, "bom-country", 5, 23, "column origin");
  for (const auto& d : r.diagnostics) CHECK(d.file == "bike.bom.csv");
}

TEST_CASE("bom csv: missing currency with money, and a byte order mark") {
  auto r = roo::read_bom_csv("\xEF\xBB\xBFid,hs,value\nM1,7408.11,1\n", "t.bom.csv", {{"hs", "8501"}});
  check_diag(single(r), Severity::error, "bom-required", 1, 1, "");
  Bom bom = csv_ok("\xEF\xBB\xBFid,hs\nM1,7408.11\n", {{"hs", "8501"}});
  CHECK(bom.materials[0].id == "M1");
}

// ---------------------------------------------------------------------------
// Large inputs: places are found through a line index (no quadratic scan), and
// a diagnostic on a long line keeps only the part of the line it shows.

TEST_CASE("bom json: many defects on one long line stay small") {
  std::string text = R"({"currency":"EUR","product":{"hs":"8501.52"},"materials":[)";
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    if (i) text += ',';
    text += R"({"id":"M)" + std::to_string(i) + R"(","hs":"73x6.90","value":"1.00"})";
  }
  text += "]}";
  auto r = roo::read_bom_json(text, "long.bom.jsonl", 3);
  CHECK_FALSE(r.bom.has_value());
  REQUIRE(r.diagnostics.size() == static_cast<std::size_t>(n));
  std::size_t kept = 0;
  for (const auto& d : r.diagnostics) {
    CHECK(d.line == 3);
    kept += d.source_line.size();
  }
  CHECK(kept <= 105u * n);
  // The last one is shown like any other: the caret under the value.
  const auto& last = r.diagnostics.back();
  CHECK(last.pointer == "/materials/19999/hs");
  CHECK(last.column == text.rfind("\"73x6.90\"") + 1);
  auto lines = roo::format_diagnostic(last);
  auto second = lines.substr(lines.find('\n') + 1);
  auto caret_line = second.substr(second.find('\n') + 1);
  CHECK(second.substr(caret_line.find('^'), 9) == "\"73x6.90\"");
}

TEST_CASE("bom json and csv: a BOM with many materials on many lines") {
  const int n = 20000;
  std::string json = "{\"currency\":\"EUR\",\"product\":{\"hs\":\"8501.52\"},\n\"materials\":[\n";
  std::string csv = "# product: hs=8501.52 currency=EUR\nid,hs,value\n";
  for (int i = 0; i < n; ++i) {
    json += (i ? ",\n" : "") + std::string(R"({"id":"M)") + std::to_string(i) + R"(","hs":"7326.90","value":"1.00"})";
    csv += 'M';
    csv += std::to_string(i);
    csv += ",7326.90,1.00\n";
  }
  json += "\n]}\n";
  Bom a = read_ok(json);
  REQUIRE(a.materials.size() == static_cast<std::size_t>(n));
  CHECK(a.materials.back().place.line == static_cast<std::uint32_t>(n + 2));
  CHECK(a.materials.back().place.column == 1);
  Bom b = csv_ok(csv);
  REQUIRE(b.materials.size() == static_cast<std::size_t>(n));
  CHECK(b.materials.back().place.line == static_cast<std::uint32_t>(n + 2));
  // A duplicate id at the end is reported on its line, with its text.
  csv += "M0,7326.90,1.00\n";
  auto r = roo::read_bom_csv(csv, "t.bom.csv");
  const auto& d = single(r);
  check_diag(d, Severity::error, "bom-duplicate-id", static_cast<std::uint32_t>(n + 3), 1, "column id");
  CHECK(d.source_line == "M0,7326.90,1.00");
}
