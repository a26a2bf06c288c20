// Determinations (interpreter/eval): small agreements written inline in roo,
// BOMs inline in JSON, and the exact verdicts, origin criteria, figures,
// failing materials and messages that DESIGN.md section 3 asks for.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "eval_support.hpp"
#include "interpreter/json/json.hpp"

namespace {

using roo::Determination;
using roo::DetermineOptions;
using roo::Explain;
using roo::Status;
using roo::Tri;
using namespace roo::test;

// The agreement most tests run against: a PEM-style agreement with a value
// tolerance for chapters 28-29, 72-73 and 84-85, a weight tolerance for 17-19,
// none for the textile chapters, and origin criterion codes.
constexpr std::string_view pem = R"roo(import std

criterion maxnom_below(limit: percent, base: money = price) reports nom
  "the value of all the non-originating materials used is less than {limit} of the {base}" =
  vnm(materials) < limit of base

agreement "Evaluation test agreement" {
  citation "Annex T"
  parties  GB, EU
  basis    ex_works
  cumulation bilateral with GB, EU
  tolerance 15% of weight for chapters 17..19
  tolerance 10% of ex_works for chapters 01, 28..29, 72..73, 84..85
  tolerance none for chapters 50..63
  insufficient std.minimal_operations
  origin_criterion wholly_obtained "A"
  origin_criterion psr "B"
  origin_criterion tolerance "T"
  origin_criterion cumulation "C"
  origin_criterion originating_materials "O"

  chapter 01:   wholly_obtained
  heading 0402: max_weight(non_originating of headings 1701, 1702, 20%)
  heading 1704: CTH
  ex heading 1806 "white chocolate" where product.is("white_chocolate"): CTH
  heading 1806: maxnom(30%)
  heading 2902: performed(chemical_reaction)
  heading 2903: chemical_processing or maxnom(50%)
  heading 6109: CTH
  heading 7302: CTH except headings 7208..7217
  heading 8501: CTH or maxnom(50%)
  heading 8502: CTH and maxnom(40%)
  heading 8503: CTH and originating_materials(materials of heading 8544)
  heading 8504: maxnom(50%)
  heading 8505: maxnom_below(50%)
  heading 8506: rvc_build_down(40%)
  heading 8507: rvc_build_up(40%)
  heading 8508: rvc_net_cost(35%)
  heading 8509: rvc_focused(50%, on: materials of heading 8541)
  heading 8510: rvc(40%)
  heading 8511: nom_not_above_om
  heading 8513: CTH valid until 2025-12-31
  heading 8513: maxnom(50%) valid from 2026-01-01
  heading 8514: CTH valid until 2020-12-31
  heading 8515: CTH to GB
  heading 8515: maxnom(50%) to EU
  heading 8516: CTH or maxnom(50%, base: fob)
}
)roo";

const roo::Program& pem_program() {
  static auto p = program_from(pem);
  return *p;
}

// A product of `hs` at an ex-works price of 1000.00, with `materials`.
std::string product(std::string_view hs, std::string_view materials, std::string_view extra = "") {
  std::string members = "\"hs\":\"" + std::string(hs) + "\",\"produced_in\":\"GB\",\"ex_works\":\"1000.00\"";
  if (!extra.empty()) {
    members += ',';
    members += extra;
  }
  return bom_json(members, materials);
}

std::string mat(std::string_view id, std::string_view hs, std::string_view value, bool originating = false,
                std::string_view extra = "") {
  std::string out = "{\"id\":\"" + std::string(id) + "\",\"hs\":\"" + std::string(hs) + "\",\"value\":\"" +
                    std::string(value) + "\",\"origin\":\"" + (originating ? "GB" : "CN") + "\",\"originating\":" +
                    (originating ? "true" : "false");
  if (!extra.empty()) {
    out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

std::string list(std::initializer_list<std::string> items) {
  std::string out = "[";
  for (const auto& i : items) {
    if (out.size() > 1) out += ',';
    out += i;
  }
  out += ']';
  return out;
}

// ---------------------------------------------------------------------------
// 1. Tariff shift

TEST_CASE("CTH: met when every non-originating material changes heading") {
  auto d = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "300.00"), mat("M2", "8501.20", "200.00", true)}),
                                      R"("processes":["assembly"])"));
  CHECK(d.status == Status::originating);
  CHECK(d.origin_criterion == "B");
  REQUIRE(d.rule);
  CHECK(d.rule->scope == "heading 85.01");
  CHECK(d.rule->citation == "Annex T, Chapter 85");
  CHECK(d.figures.vnm == "300.00");
  CHECK(d.figures.vom == "200.00");
  CHECK(d.figures.nom_percent == "30.00");
  CHECK(d.figures.tolerance_limit == "100.00");
  CHECK_FALSE(d.figures.tolerance_used);
  REQUIRE(criterion_entry(d, "CTH"));
  CHECK(criterion_entry(d, "CTH")->passed == Tri::yes);
  CHECK(d.messages.empty());
}

TEST_CASE("CTH: a non-originating material of the product's own heading fails it") {
  // 8501.20 is the product's heading; 300.00 is beyond the 100.00 tolerance,
  // and the maxnom alternative fails at 60%.
  auto d = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "300.00"), mat("M2", "8501.20", "300.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(d.status == Status::not_originating);
  CHECK_FALSE(d.origin_criterion);
  REQUIRE(d.explanation);
  const auto* cth = find_node(*d.explanation, "CTH");
  REQUIRE(cth);
  CHECK(cth->verdict == Tri::no);
  REQUIRE(cth->materials.size() == 1);
  CHECK(cth->materials[0].id == "M2");
  CHECK(cth->materials[0].hs == "8501.20");
  CHECK(cth->materials[0].value == "300.00");
  CHECK(cth->materials[0].reason == "heading 85.01 is the product's own heading");
  CHECK_FALSE(cth->materials[0].saved);
  CHECK(d.figures.nom_percent == "60.00");
  const auto* maxnom = criterion_entry(d, "maxnom");
  REQUIRE(maxnom);
  CHECK(maxnom->passed == Tri::no);
  CHECK(figure(maxnom->figures, "headroom") == "-100.00");
}

TEST_CASE("CTH: an originating material of the product's own heading does not matter") {
  auto d = run(pem_program(), product("8501.10", list({mat("M1", "8501.20", "900.00", true)}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::originating);
  CHECK(d.origin_criterion == "O");  // every material is originating
}

TEST_CASE("CTH except headings 7208..7217: an excluded material fails even though its heading changes") {
  auto ok = run(pem_program(), product("7302.10", list({mat("M1", "7218.10", "400.00"), mat("M2", "7302.40", "100.00", true)}),
                                       R"("processes":["cutting"])"));
  CHECK(ok.status == Status::originating);

  auto d = run(pem_program(), product("7302.10", list({mat("M1", "7218.10", "400.00"), mat("M2", "7210.49", "400.00")}),
                                      R"("processes":["cutting"])"));
  CHECK(d.status == Status::not_originating);
  REQUIRE(d.explanation);
  const auto* cth = find_node(*d.explanation, "CTH");
  REQUIRE(cth);
  REQUIRE(cth->materials.size() == 1);
  CHECK(cth->materials[0].id == "M2");
  CHECK(cth->materials[0].reason == "it is among the excluded materials");
  CHECK(d.rule->text == "A change from any other heading, except from materials of headings 72.08 through 72.17");
}

TEST_CASE("tolerance covers an excluded material too (it is a material the rule does not allow)") {
  // 7210 is excluded, but its 80.00 is within the 100.00 tolerance.
  auto d = run(pem_program(), product("7302.10", list({mat("M1", "7218.10", "400.00"), mat("M2", "7210.49", "80.00")}),
                                      R"("processes":["cutting"])"));
  CHECK(d.status == Status::originating);
  CHECK(d.origin_criterion == "T");
  CHECK(d.figures.tolerance_used == "80.00");
}

// ---------------------------------------------------------------------------
// 2. Tolerance

TEST_CASE("tolerance: a failing material at 8% of the price is disregarded") {
  auto d = run(pem_program(), product("1704.90", list({mat("M1", "1701.99", "500.00"), mat("M2", "1704.10", "80.00")}),
                                      R"("processes":["cooking"],"weight_kg":"10")"));
  // Chapter 17 has a tolerance by weight; M2 has no weight.
  CHECK(d.status == Status::undetermined);
  CHECK(messages_of(d, "roo-missing").find("weight of material M2") != std::string::npos);

  auto v = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "80.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(v.status == Status::originating);
  CHECK(v.origin_criterion == "T");
  CHECK(v.figures.tolerance_limit == "100.00");
  CHECK(v.figures.tolerance_used == "80.00");
  const auto* cth = criterion_entry(v, "CTH");
  REQUIRE(cth);
  CHECK(cth->passed == Tri::yes);
  CHECK(figure(cth->figures, "tolerance_used") == "80.00");
  REQUIRE(v.explanation);
  CHECK(named_materials(*v.explanation, true) == std::vector<std::string>{"M2"});
  CHECK(named_materials(*v.explanation, false).empty());
  const auto* node = find_node(*v.explanation, "CTH");
  REQUIRE(node);
  CHECK(node->saved_by == "tolerance: 80.00 used of a 100.00 limit");
}

TEST_CASE("tolerance: exactly at the limit is within it; 12% is not") {
  auto at = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "550.00"), mat("M2", "8501.20", "100.00")}),
                                       R"("processes":["assembly"])"));
  CHECK(at.status == Status::originating);
  CHECK(at.figures.tolerance_used == "100.00");

  auto over = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "120.00")}),
                                         R"("processes":["assembly"])"));
  CHECK(over.status == Status::not_originating);
  CHECK_FALSE(over.figures.tolerance_used);
  REQUIRE(over.explanation);
  CHECK(named_materials(*over.explanation, false) == std::vector<std::string>{"M2"});
  CHECK(named_materials(*over.explanation, true).empty());

  auto cent = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "100.01")}),
                                         R"("processes":["assembly"])"));
  CHECK(cent.status == Status::not_originating);
}

TEST_CASE("tolerance: several failing materials count together") {
  auto d = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "60.00"),
                                                       mat("M3", "8501.31", "50.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(d.status == Status::not_originating);  // 110.00 > 100.00
  auto e = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "60.00"),
                                                       mat("M3", "8501.31", "40.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(e.status == Status::originating);
  CHECK(e.figures.tolerance_used == "100.00");
  REQUIRE(e.explanation);
  CHECK(named_materials(*e.explanation, true) == std::vector<std::string>{"M2", "M3"});
}

TEST_CASE("tolerance by weight (chapters 17 to 19: 15% of the product's weight)") {
  auto within = run(pem_program(), product("1704.90",
                                           list({mat("M1", "1701.99", "300.00", false, R"("weight_kg":"6")"),
                                                 mat("M2", "1704.10", "500.00", false, R"("weight_kg":"1.5")")}),
                                           R"("processes":["cooking"],"weight_kg":"10")"));
  CHECK(within.status == Status::originating);  // 1.5 kg of 10 kg, although 50% of the price
  CHECK(within.origin_criterion == "T");
  CHECK(within.figures.tolerance_limit == "1.50");
  CHECK(within.figures.tolerance_used == "1.50");

  auto over = run(pem_program(), product("1704.90",
                                         list({mat("M1", "1701.99", "300.00", false, R"("weight_kg":"6")"),
                                               mat("M2", "1704.10", "5.00", false, R"("weight_kg":"1.51")")}),
                                         R"("processes":["cooking"],"weight_kg":"10")"));
  CHECK(over.status == Status::not_originating);  // 1.51 kg, although 0.5% of the price

  auto no_weight = run(pem_program(), product("1704.90",
                                              list({mat("M1", "1701.99", "300.00", false, R"("weight_kg":"6")"),
                                                    mat("M2", "1704.10", "5.00", false, R"("weight_kg":"1")")}),
                                              R"("processes":["cooking"])"));
  CHECK(no_weight.status == Status::undetermined);
  CHECK(messages_of(no_weight, "roo-missing").find("the product's weight") != std::string::npos);
}

TEST_CASE("tolerance never lifts a value cap: the saved material still counts in maxnom") {
  // CTH and maxnom(40%): M2 (own heading, 80.00) is saved for CTH, but the
  // 40% cap still counts it: 330 + 80 = 410 > 400.
  auto d = run(pem_program(), product("8502.11", list({mat("M1", "7408.11", "330.00"), mat("M2", "8502.12", "80.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(d.status == Status::not_originating);
  const auto* maxnom = criterion_entry(d, "maxnom");
  REQUIRE(maxnom);
  CHECK(maxnom->passed == Tri::no);
  CHECK(figure(maxnom->figures, "value") == "410.00");
  CHECK(figure(maxnom->figures, "headroom") == "-10.00");

  auto e = run(pem_program(), product("8502.11", list({mat("M1", "7408.11", "320.00"), mat("M2", "8502.12", "80.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(e.status == Status::originating);
  CHECK(e.origin_criterion == "T");
  CHECK(e.figures.tolerance_used == "80.00");
  const auto* m2 = criterion_entry(e, "maxnom");
  REQUIRE(m2);
  CHECK(figure(m2->figures, "value") == "400.00");
  CHECK(figure(m2->figures, "headroom") == "0.00");
  CHECK(e.figures.nom_percent == "40.00");
}

TEST_CASE("tolerance cures a failed material condition unless the agreement limits it to tariff shifts") {
  // 8503: CTH and all the materials of heading 8544 used are originating.
  std::string bom = product("8503.00", list({mat("M1", "7326.90", "300.00"), mat("M2", "8544.49", "50.00")}),
                            R"("processes":["assembly"])");
  auto all = run(pem_program(), bom);
  CHECK(all.status == Status::originating);
  CHECK(all.figures.tolerance_used == "50.00");

  std::string shift_only(pem);
  shift_only.replace(shift_only.find("  insufficient"), 0, "  tolerance_applies_to tariff_shift\n");
  auto p = program_from(shift_only);
  auto d = run(*p, bom);
  CHECK(d.status == Status::not_originating);
  REQUIRE(d.explanation);
  CHECK(named_materials(*d.explanation, false) == std::vector<std::string>{"M2"});

  // A tariff-shift failure is still cured.
  auto shift = run(*p, product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "80.00")}),
                               R"("processes":["assembly"])"));
  CHECK(shift.status == Status::originating);
  CHECK(shift.figures.tolerance_used == "80.00");
}

TEST_CASE("no tolerance for chapters under `tolerance none`") {
  auto d = run(pem_program(), product("6109.10", list({mat("M1", "5208.11", "300.00"), mat("M2", "6109.90", "10.00")}),
                                      R"("processes":["cutting","sewing"])"));
  CHECK(d.status == Status::not_originating);
  CHECK_FALSE(d.figures.tolerance_limit);
  CHECK_FALSE(d.figures.tolerance_used);
}

TEST_CASE("no tolerance for a wholly obtained product rule") {
  // Chapter 01 has a 10% tolerance, but the rule is that the product is wholly obtained.
  auto d = run(pem_program(), product("0102.21", list({mat("M1", "0102.29", "5.00")}), R"("processes":["slaughtering"])"));
  CHECK(d.status == Status::not_originating);
  CHECK_FALSE(d.figures.tolerance_used);

  auto wo = run(pem_program(), product("0102.21", "[]", R"("wholly_obtained":"born_and_raised","processes":["packing"])"));
  CHECK(wo.status == Status::originating);
  CHECK(wo.origin_criterion == "A");
  CHECK_FALSE(has_message(wo, "roo-insufficient"));  // insufficient operations never apply to wholly obtained products
}

// ---------------------------------------------------------------------------
// 3. MaxNOM thresholds

TEST_CASE("maxnom: exactly at the threshold passes; one cent over fails") {
  auto at = run(pem_program(), product("8504.10", list({mat("M1", "8504.90", "500.00"), mat("M2", "7408.11", "400.00", true)}),
                                       R"("processes":["assembly"])"));
  CHECK(at.status == Status::originating);
  CHECK(at.figures.nom_percent == "50.00");
  const auto* c = criterion_entry(at, "maxnom");
  REQUIRE(c);
  CHECK(c->passed == Tri::yes);
  CHECK(figure(c->figures, "nom_percent") == "50.00");
  CHECK(figure(c->figures, "limit_percent") == "50.00");
  CHECK(figure(c->figures, "base") == "1000.00");
  CHECK(figure(c->figures, "value") == "500.00");
  CHECK(figure(c->figures, "limit") == "500.00");
  CHECK(figure(c->figures, "headroom") == "0.00");

  auto over = run(pem_program(), product("8504.10", list({mat("M1", "8504.90", "500.01")}), R"("processes":["assembly"])"));
  CHECK(over.status == Status::not_originating);
  // 50.001% would show as 50.00 with two decimals: a third is shown.
  CHECK(over.figures.nom_percent == "50.001");
  const auto* o = criterion_entry(over, "maxnom");
  REQUIRE(o);
  CHECK(figure(o->figures, "headroom") == "-0.01");
  CHECK(figure(o->figures, "nom_percent") == "50.001");

  auto under = run(pem_program(), product("8504.10", list({mat("M1", "8504.90", "499.99")}), R"("processes":["assembly"])"));
  CHECK(under.status == Status::originating);
  CHECK(under.figures.nom_percent == "49.999");
  CHECK(figure(criterion_entry(under, "maxnom")->figures, "headroom") == "0.01");
}

TEST_CASE("maxnom: percentages show as many decimals as the side of the limit needs") {
  // 50004.00 of 100000.00 is 50.004%: 50.00 would hide that it is over.
  auto d = run(pem_program(),
               bom_json(R"("hs":"8504.10","ex_works":"100000.00","processes":["assembly"])", list({mat("M1", "8504.90", "50004.00")})));
  CHECK(d.status == Status::not_originating);
  CHECK(d.figures.nom_percent == "50.004");
  // 50.0004% needs four.
  auto e = run(pem_program(),
               bom_json(R"("hs":"8504.10","ex_works":"100000.00","processes":["assembly"])", list({mat("M1", "8504.90", "50000.40")})));
  CHECK(e.status == Status::not_originating);
  CHECK(e.figures.nom_percent == "50.0004");
  // Far from the limit, two decimals (rounded half away from zero).
  auto f = run(pem_program(), bom_json(R"("hs":"8504.10","ex_works":"300.00","processes":["assembly"])",
                                       list({mat("M1", "8504.90", "100.00")})));
  CHECK(f.status == Status::originating);
  CHECK(f.figures.nom_percent == "33.33");
  CHECK(figure(criterion_entry(f, "maxnom")->figures, "limit") == "150.00");
}

TEST_CASE("a strict limit (<) fails exactly at the threshold") {
  auto at = run(pem_program(), product("8505.11", list({mat("M1", "8505.90", "500.00")}), R"("processes":["assembly"])"));
  CHECK(at.status == Status::not_originating);
  CHECK(at.figures.nom_percent == "50.00");
  CHECK(figure(criterion_entry(at, "maxnom_below")->figures, "headroom") == "0.00");
  auto below = run(pem_program(), product("8505.11", list({mat("M1", "8505.90", "499.99")}), R"("processes":["assembly"])"));
  CHECK(below.status == Status::originating);
}

}  // namespace
