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
  heading 8517: CTH and (originating_materials(materials of heading 8544) or max_value(materials of heading 8544, 20%))
  heading 8518: CTH and maxnom(50%, base: fob)
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
  CHECK(figure_text(d.figures.vnm) == "300.00");
  CHECK(figure_text(d.figures.vom) == "200.00");
  CHECK(figure_text(d.figures.nom_percent) == "30.00");
  CHECK(figure_text(d.figures.tolerance_limit) == "100.00");
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
  CHECK(figure_text(d.figures.nom_percent) == "60.00");
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
  CHECK(figure_text(d.figures.tolerance_used) == "80.00");
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
  CHECK(figure_text(v.figures.tolerance_limit) == "100.00");
  CHECK(figure_text(v.figures.tolerance_used) == "80.00");
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
  CHECK(figure_text(at.figures.tolerance_used) == "100.00");

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
  CHECK(figure_text(e.figures.tolerance_used) == "100.00");
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
  CHECK(figure_text(within.figures.tolerance_limit) == "1.50");
  CHECK(figure_text(within.figures.tolerance_used) == "1.50");

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
  CHECK(figure_text(e.figures.tolerance_used) == "80.00");
  const auto* m2 = criterion_entry(e, "maxnom");
  REQUIRE(m2);
  CHECK(figure(m2->figures, "value") == "400.00");
  CHECK(figure(m2->figures, "headroom") == "0.00");
  CHECK(figure_text(e.figures.nom_percent) == "40.00");
}

TEST_CASE("tolerance cures a failed material condition unless the agreement limits it to tariff shifts") {
  // 8503: CTH and all the materials of heading 8544 used are originating.
  std::string bom = product("8503.00", list({mat("M1", "7326.90", "300.00"), mat("M2", "8544.49", "50.00")}),
                            R"("processes":["assembly"])");
  auto all = run(pem_program(), bom);
  CHECK(all.status == Status::originating);
  CHECK(figure_text(all.figures.tolerance_used) == "50.00");

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
  CHECK(figure_text(shift.figures.tolerance_used) == "80.00");
}

TEST_CASE("tolerance disregards only what makes the alternative fail, not failures a passing 'or' made irrelevant") {
  // CTH and (all 8544 originating or 8544 within 20%): X fails CTH (50.00);
  // Y (8544, 80.00) fails the first branch of the 'or', but the second holds.
  // Only X needs the tolerance: 50.00 of 100.00.
  auto d = run(pem_program(), product("8517.62", list({mat("X", "8517.71", "50.00"), mat("Y", "8544.42", "80.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(d.status == Status::originating);
  CHECK(figure_text(d.figures.tolerance_used) == "50.00");
  REQUIRE(d.explanation);
  CHECK(named_materials(*d.explanation, true) == std::vector<std::string>{"X"});
}

TEST_CASE("tolerance: when the rest of the alternative then needs missing data, the result is undetermined") {
  // X fails CTH and is within the tolerance (on ex-works); the cap is on the FOB price, not given.
  auto d = run(pem_program(), product("8518.10", list({mat("X", "8518.90", "50.00")}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::undetermined);
  CHECK(messages_of(d, "roo-missing").find("'fob'") != std::string::npos);
  auto e = run(pem_program(), product("8518.10", list({mat("X", "8518.90", "50.00")}), R"("processes":["assembly"],"fob":"1000.00")"));
  CHECK(e.status == Status::originating);
  CHECK(e.origin_criterion == "T");
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
  CHECK(figure_text(at.figures.nom_percent) == "50.00");
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
  CHECK(figure_text(over.figures.nom_percent) == "50.001");
  const auto* o = criterion_entry(over, "maxnom");
  REQUIRE(o);
  CHECK(figure(o->figures, "headroom") == "-0.01");
  CHECK(figure(o->figures, "nom_percent") == "50.001");

  auto under = run(pem_program(), product("8504.10", list({mat("M1", "8504.90", "499.99")}), R"("processes":["assembly"])"));
  CHECK(under.status == Status::originating);
  CHECK(figure_text(under.figures.nom_percent) == "49.999");
  CHECK(figure(criterion_entry(under, "maxnom")->figures, "headroom") == "0.01");
}

TEST_CASE("maxnom: percentages show as many decimals as the side of the limit needs") {
  // 50004.00 of 100000.00 is 50.004%: 50.00 would hide that it is over.
  auto d = run(pem_program(),
               bom_json(R"("hs":"8504.10","ex_works":"100000.00","processes":["assembly"])", list({mat("M1", "8504.90", "50004.00")})));
  CHECK(d.status == Status::not_originating);
  CHECK(figure_text(d.figures.nom_percent) == "50.004");
  // 50.0004% needs four.
  auto e = run(pem_program(),
               bom_json(R"("hs":"8504.10","ex_works":"100000.00","processes":["assembly"])", list({mat("M1", "8504.90", "50000.40")})));
  CHECK(e.status == Status::not_originating);
  CHECK(figure_text(e.figures.nom_percent) == "50.0004");
  // Far from the limit, two decimals (rounded half away from zero).
  auto f = run(pem_program(), bom_json(R"("hs":"8504.10","ex_works":"300.00","processes":["assembly"])",
                                       list({mat("M1", "8504.90", "100.00")})));
  CHECK(f.status == Status::originating);
  CHECK(figure_text(f.figures.nom_percent) == "33.33");
  CHECK(figure(criterion_entry(f, "maxnom")->figures, "limit") == "150.00");
}

TEST_CASE("a strict limit (<) fails exactly at the threshold") {
  auto at = run(pem_program(), product("8505.11", list({mat("M1", "8505.90", "500.00")}), R"("processes":["assembly"])"));
  CHECK(at.status == Status::not_originating);
  CHECK(figure_text(at.figures.nom_percent) == "50.00");
  CHECK(figure(criterion_entry(at, "maxnom_below")->figures, "headroom") == "0.00");
  auto below = run(pem_program(), product("8505.11", list({mat("M1", "8505.90", "499.99")}), R"("processes":["assembly"])"));
  CHECK(below.status == Status::originating);
}

// ---------------------------------------------------------------------------
// 4. RVC methods

TEST_CASE("rvc_build_down: (price - VNM) / price against the threshold, exactly") {
  auto at = run(pem_program(), product("8506.10", list({mat("M1", "8506.90", "600.00"), mat("M2", "7408.11", "100.00", true)}),
                                       R"("processes":["assembly"])"));
  CHECK(at.status == Status::originating);
  CHECK(figure_text(at.figures.rvc_percent) == "40.00");
  const auto* c = criterion_entry(at, "rvc_build_down");
  REQUIRE(c);
  CHECK(figure(c->figures, "rvc_percent") == "40.00");
  CHECK(figure(c->figures, "value") == "400.00");
  CHECK(figure(c->figures, "limit") == "400.00");
  CHECK(figure(c->figures, "headroom") == "0.00");

  auto over = run(pem_program(), product("8506.10", list({mat("M1", "8506.90", "600.01")}), R"("processes":["assembly"])"));
  CHECK(over.status == Status::not_originating);
  CHECK(figure_text(over.figures.rvc_percent) == "39.999");
  CHECK(figure(criterion_entry(over, "rvc_build_down")->figures, "headroom") == "-0.01");

  // A supplier's partial originating value lowers the VNM: 700.00 of which 100.00 originating.
  auto part = run(pem_program(), product("8506.10", list({mat("M1", "8506.90", "700.00", false, R"("originating_value":"100.00")")}),
                                         R"("processes":["assembly"])"));
  CHECK(part.status == Status::originating);
  CHECK(figure_text(part.figures.vnm) == "600.00");
  CHECK(figure_text(part.figures.vom) == "100.00");
  CHECK(figure_text(part.figures.rvc_percent) == "40.00");
}

TEST_CASE("rvc_build_up: VOM / price against the threshold, exactly") {
  auto at = run(pem_program(), product("8507.10", list({mat("M1", "7408.11", "400.00", true), mat("M2", "8507.90", "500.00")}),
                                       R"("processes":["assembly"])"));
  CHECK(at.status == Status::originating);
  CHECK(figure_text(at.figures.rvc_percent) == "40.00");
  CHECK(figure(criterion_entry(at, "rvc_build_up")->figures, "headroom") == "0.00");

  auto under = run(pem_program(), product("8507.10", list({mat("M1", "7408.11", "399.99", true)}), R"("processes":["assembly"])"));
  CHECK(under.status == Status::not_originating);
  CHECK(figure_text(under.figures.rvc_percent) == "39.999");

  // The originating part of a non-originating line counts in the VOM.
  auto part = run(pem_program(), product("8507.10", list({mat("M1", "7408.11", "300.00", true),
                                                          mat("M2", "8507.90", "250.00", false, R"("originating_value":"100.00")")}),
                                         R"("processes":["assembly"])"));
  CHECK(part.status == Status::originating);
  CHECK(figure_text(part.figures.vom) == "400.00");
  CHECK(figure_text(part.figures.vnm) == "150.00");
  auto short_part = run(pem_program(), product("8507.10", list({mat("M1", "7408.11", "300.00", true),
                                                                mat("M2", "8507.90", "250.00", false, R"("originating_value":"99.99")")}),
                                               R"("processes":["assembly"])"));
  CHECK(short_part.status == Status::not_originating);
}

TEST_CASE("rvc_net_cost: on the net cost, whatever the agreement's basis") {
  std::string members = R"("hs":"8508.11","ex_works":"1000.00","net_cost":"800.00","processes":["assembly"])";
  auto at = run(pem_program(), bom_json(members, list({mat("M1", "8508.70", "520.00")})));
  CHECK(at.status == Status::originating);
  CHECK(figure_text(at.figures.rvc_percent) == "35.00");
  const auto* c = criterion_entry(at, "rvc_net_cost");
  REQUIRE(c);
  CHECK(figure(c->figures, "base") == "800.00");
  CHECK(figure(c->figures, "limit") == "280.00");

  auto over = run(pem_program(), bom_json(members, list({mat("M1", "8508.70", "520.01")})));
  CHECK(over.status == Status::not_originating);
  CHECK(figure_text(over.figures.rvc_percent) == "34.999");  // 34.99875%, shown on its side of 35

  auto missing = run(pem_program(), product("8508.11", list({mat("M1", "8508.70", "10.00")}), R"("processes":["assembly"])"));
  CHECK(missing.status == Status::undetermined);
  CHECK(messages_of(missing, "roo-missing").find("'net_cost'") != std::string::npos);
}

TEST_CASE("rvc_focused: only the named non-originating materials count") {
  // 8541 materials: 500.00 non-originating; the 400.00 of copper is not counted.
  auto at = run(pem_program(), product("8509.40", list({mat("M1", "8541.10", "300.00"), mat("M2", "8541.21", "200.00"),
                                                        mat("M3", "7408.11", "400.00"), mat("M4", "8541.30", "90.00", true)}),
                                       R"("processes":["assembly"])"));
  CHECK(at.status == Status::originating);
  CHECK(figure_text(at.figures.rvc_percent) == "50.00");
  CHECK(figure_text(at.figures.vnm) == "900.00");

  auto over = run(pem_program(), product("8509.40", list({mat("M1", "8541.10", "300.01"), mat("M2", "8541.21", "200.00")}),
                                         R"("processes":["assembly"])"));
  CHECK(over.status == Status::not_originating);
  CHECK(figure_text(over.figures.rvc_percent) == "49.999");

  auto part = run(pem_program(), product("8509.40", list({mat("M1", "8541.10", "300.01", false, R"("originating_value":"0.01")"),
                                                          mat("M2", "8541.21", "200.00")}),
                                         R"("processes":["assembly"])"));
  CHECK(part.status == Status::originating);
}

TEST_CASE("rvc: build-down or build-up") {
  auto down = run(pem_program(), product("8510.10", list({mat("M1", "8510.90", "600.00")}), R"("processes":["assembly"])"));
  CHECK(down.status == Status::originating);
  CHECK(figure_text(down.figures.rvc_percent) == "40.00");

  auto neither = run(pem_program(), product("8510.10", list({mat("M1", "8510.90", "600.01"), mat("M2", "7408.11", "100.00", true)}),
                                            R"("processes":["assembly"])"));
  CHECK(neither.status == Status::not_originating);
  CHECK(figure_text(neither.figures.rvc_percent) == "39.999");

  // Materials worth more than the price (sold at a loss): build-down gives
  // 30%, build-up 40%, which decides; the headline is the deciding method's.
  auto up = run(pem_program(), product("8510.10", list({mat("M1", "8510.90", "700.00"), mat("M2", "7408.11", "400.00", true)}),
                                       R"("processes":["assembly"])"));
  CHECK(up.status == Status::originating);
  CHECK(figure_text(up.figures.rvc_percent) == "40.00");
  const auto* c = criterion_entry(up, "rvc");
  REQUIRE(c);
  CHECK(c->passed == Tri::yes);
  CHECK(figure(c->figures, "rvc_percent") == "40.00");
  CHECK(figure(c->figures, "headroom") == "0.00");
}

TEST_CASE("nom_not_above_om: VNM against VOM, equal passes") {
  auto eq = run(pem_program(), product("8511.10", list({mat("M1", "8511.90", "300.00"), mat("M2", "7408.11", "300.00", true)}),
                                       R"("processes":["assembly"])"));
  CHECK(eq.status == Status::originating);
  CHECK(figure(criterion_entry(eq, "nom_not_above_om")->figures, "headroom") == "0.00");
  auto over = run(pem_program(), product("8511.10", list({mat("M1", "8511.90", "300.01"), mat("M2", "7408.11", "300.00", true)}),
                                         R"("processes":["assembly"])"));
  CHECK(over.status == Status::not_originating);
}

// ---------------------------------------------------------------------------
// 5. Roll-up of self-produced materials

std::string rollup_source(std::string_view mode) {
  std::string s = R"roo(import std
agreement "Roll-up test" {
  basis   ex_works
  roll_up MODE
  origin_criterion psr "B"
  heading 8501: maxnom(40%)
  heading 8503: CTH
  heading 8504: CTH
  heading 8505: performed(assembly)
  insufficient std.minimal_operations
}
)roo";
  s.replace(s.find("MODE"), 4, mode);
  return s;
}

// Product 8501 at 1000.00: 300.00 of copper, and a rotor (8503, 500.00) made
// in-house from `rotor_materials`.
std::string motor(std::string_view rotor_materials, std::string_view rotor_extra = "") {
  std::string rotor = R"({"id":"R","hs":"8503.00","value":"500.00","origin":"GB","self_produced":true,)";
  if (!rotor_extra.empty()) {
    rotor += rotor_extra;
    rotor += ',';
  }
  rotor += "\"materials\":";
  rotor += rotor_materials;
  rotor += '}';
  return bom_json(R"("hs":"8501.10","ex_works":"1000.00","produced_in":"GB")", list({mat("M1", "7408.11", "300.00"), rotor}));
}

TEST_CASE("roll-up: an originating sub-assembly counts as originating at its full value") {
  auto p = program_from(rollup_source("absorb"));
  auto d = run(*p, motor(list({mat("R1", "7326.90", "400.00")})));
  CHECK(d.status == Status::originating);
  CHECK(figure_text(d.figures.vnm) == "300.00");
  CHECK(figure_text(d.figures.vom) == "500.00");
  CHECK(figure_text(d.figures.nom_percent) == "30.00");
  CHECK(messages_of(d, "roo-roll-up").find("counts as originating") != std::string::npos);
}

TEST_CASE("roll-up: a failing sub-assembly counts as non-originating at its full value") {
  auto p = program_from(rollup_source("absorb"));
  auto d = run(*p, motor(list({mat("R1", "8503.00", "50.00")})));
  CHECK(d.status == Status::not_originating);
  CHECK(figure_text(d.figures.vnm) == "800.00");
  CHECK(figure_text(d.figures.nom_percent) == "80.00");
  CHECK(messages_of(d, "roo-roll-up").find("not originating") != std::string::npos);
  REQUIRE(d.explanation);
  const auto* maxnom = find_node(*d.explanation, "maxnom");
  REQUIRE(maxnom);
  CHECK(figure(maxnom->figures, "value") == "800.00");
}

TEST_CASE("roll-up: look_through counts a failing sub-assembly's inputs instead") {
  auto p = program_from(rollup_source("look_through"));
  auto d = run(*p, motor(list({mat("R1", "8503.00", "100.00"), mat("R2", "7326.90", "50.00", true)})));
  CHECK(d.status == Status::originating);
  CHECK(figure_text(d.figures.vnm) == "400.00");  // 300.00 + R1's 100.00
  CHECK(figure_text(d.figures.vom) == "50.00");
  // An intermediate designated by the producer is not looked through.
  auto designated = run(*p, motor(list({mat("R1", "8503.00", "100.00")}), R"("intermediate":true)"));
  CHECK(designated.status == Status::not_originating);
  CHECK(figure_text(designated.figures.vnm) == "800.00");
}

TEST_CASE("roll-up: a declared origin replaces the sub-BOM's qualification") {
  auto p = program_from(rollup_source("absorb"));
  auto d = run(*p, motor(list({mat("R1", "8503.00", "50.00")}), R"("originating":true)"));
  CHECK(d.status == Status::originating);
  CHECK_FALSE(has_message(d, "roo-roll-up"));
  auto no_value = run(*p, bom_json(R"("hs":"8501.10","ex_works":"1000.00")",
                                   R"([{"id":"R","hs":"8503.00","self_produced":true,"materials":[{"id":"R1","hs":"7326.90","value":"1.00"}]}])"));
  CHECK(has_message(no_value, "roo-roll-up"));
  CHECK(no_value.status == Status::undetermined);  // maxnom needs R's value
}

TEST_CASE("roll-up nests: three levels, each decided by its own rule") {
  auto p = program_from(rollup_source("absorb"));
  // S (8504) fails CTH on S1 (8504); it counts as a non-originating 8504
  // material in R (8503), where it changes heading: R is originating.
  std::string s_fails = R"({"id":"S","hs":"8504.40","value":"300.00","origin":"GB","self_produced":true,"materials":[)" +
                        mat("S1", "8504.90", "200.00") + "]}";
  auto d = run(*p, motor(list({s_fails, mat("R2", "7326.90", "50.00")})));
  CHECK(d.status == Status::originating);
  CHECK(figure_text(d.figures.vnm) == "300.00");
  CHECK(figure_text(d.figures.vom) == "500.00");

  // S is originating, but R fails CTH on R2 (8503): R counts as non-originating.
  std::string s_ok = R"({"id":"S","hs":"8504.40","value":"300.00","origin":"GB","self_produced":true,"materials":[)" +
                     mat("S1", "7326.90", "200.00") + "]}";
  auto e = run(*p, motor(list({s_ok, mat("R2", "8503.00", "50.00")})));
  CHECK(e.status == Status::not_originating);
  CHECK(figure_text(e.figures.vnm) == "800.00");

  // Looked through, R's inputs count: S originating (300.00), R2 non-originating (50.00).
  auto lt = program_from(rollup_source("look_through"));
  auto f = run(*lt, motor(list({s_ok, mat("R2", "8503.00", "50.00")})));
  CHECK(f.status == Status::originating);
  CHECK(figure_text(f.figures.vnm) == "350.00");
  CHECK(figure_text(f.figures.vom) == "300.00");
}

// Product 8501 at 1000.00 with `copper` of non-originating copper and an
// electromagnet (8505, `magnet` value) made in-house, with `magnet_extra`.
std::string motor_with_magnet(std::string_view copper, std::string_view magnet, std::string_view magnet_extra = "") {
  std::string m = R"({"id":"E","hs":"8505.11","value":")" + std::string(magnet) + R"(","self_produced":true,)";
  if (!magnet_extra.empty()) {
    m += magnet_extra;
    m += ',';
  }
  m += R"("materials":[{"id":"E1","hs":"7505.12","value":"10.00"}]})";
  return bom_json(R"("hs":"8501.10","ex_works":"1000.00","produced_in":"GB","processes":["assembly"])",
                  list({mat("M1", "7408.11", copper), m}));
}

TEST_CASE("roll-up: a sub-assembly whose origin cannot be determined") {
  auto p = program_from(rollup_source("absorb"));
  // The magnet's rule needs its processes. Counted as non-originating the
  // motor fails (80%); counted as originating it would pass (30%): undetermined.
  auto d = run(*p, motor_with_magnet("300.00", "500.00"));
  CHECK(d.status == Status::undetermined);
  CHECK(has_message(d, "roo-missing"));
  CHECK(messages_of(d, "roo-missing").find("'processes'") != std::string::npos);
  // Whatever the magnet is, the motor fails (50% or more): not originating.
  auto e = run(*p, motor_with_magnet("500.00", "300.00"));
  CHECK(e.status == Status::not_originating);
  // Whatever the magnet is, the motor passes (at most 40%).
  auto f = run(*p, motor_with_magnet("100.00", "300.00"));
  CHECK(f.status == Status::originating);
  // Declared, it qualifies.
  auto g = run(*p, motor_with_magnet("300.00", "500.00", R"("processes":["assembly"])"));
  CHECK(g.status == Status::originating);
}

TEST_CASE("roll-up: insufficient operations on a sub-assembly keep it from qualifying") {
  auto p = program_from(rollup_source("absorb"));
  auto d = run(*p, motor_with_magnet("300.00", "500.00", R"("processes":["assembly","packing"])"));
  CHECK(d.status == Status::originating);
  auto e = run(*p, motor_with_magnet("300.00", "500.00", R"("processes":["simple_assembly","packing"])"));
  // performed(assembly) fails anyway; a rule met by insufficient operations alone:
  CHECK(e.status == Status::not_originating);
  // The rotor (8503, CTH) is met by a change of heading, but only packed and affixed with marks.
  auto f = run(*p, motor(list({mat("R1", "7326.90", "400.00")}), R"("processes":["packing","affixing_marks"])"));
  CHECK(f.status == Status::not_originating);
  CHECK(figure_text(f.figures.vnm) == "800.00");
  CHECK(messages_of(f, "roo-roll-up").find("R (8503.00) is not originating") != std::string::npos);
}

// ---------------------------------------------------------------------------
// 6. Cumulation

TEST_CASE("cumulation: materials originating in the other party count as originating") {
  std::string de = R"({"id":"M1","hs":"8501.20","value":"600.00","origin":"DE","originating":true})";
  auto d = run(pem_program(), product("8501.10", list({de, mat("M2", "7408.11", "300.00")}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::originating);
  CHECK(d.origin_criterion == "C");
  CHECK(figure_text(d.figures.vom) == "600.00");

  // The same material originating in the producing party is not cumulation.
  auto gb = run(pem_program(), product("8501.10", list({mat("M1", "8501.20", "600.00", true), mat("M2", "7408.11", "300.00")}),
                                       R"("processes":["assembly"])"));
  CHECK(gb.origin_criterion == "B");

  // Without a code for cumulation, the PSR's code.
  std::string src(pem);
  src.erase(src.find("  origin_criterion cumulation \"C\"\n"), std::string_view("  origin_criterion cumulation \"C\"\n").size());
  auto p = program_from(src);
  auto e = run(*p, product("8501.10", list({de, mat("M2", "7408.11", "300.00")}), R"("processes":["assembly"])"));
  CHECK(e.status == Status::originating);
  CHECK(e.origin_criterion == "B");

  // Originating in DE but not proven: non-originating; it fails CTH (600.00 is beyond the tolerance).
  std::string unproven = R"({"id":"M1","hs":"8501.20","value":"600.00","origin":"DE"})";
  auto f = run(pem_program(), product("8501.10", list({unproven, mat("M2", "7408.11", "300.00")}), R"("processes":["assembly"])"));
  CHECK(f.status == Status::not_originating);
}

TEST_CASE("originating_under: a material proven originating under this agreement (diagonal cumulation)") {
  std::string under = R"({"id":"M1","hs":"8501.20","value":"600.00","origin":"NO","originating_under":["other-fta","test-agreement"]})";
  auto d = run(pem_program(), product("8501.10", list({under, mat("M2", "7408.11", "300.00")}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::originating);
  CHECK(figure_text(d.figures.vom) == "600.00");
  std::string other = R"({"id":"M1","hs":"8501.20","value":"600.00","origin":"NO","originating_under":["other-fta"]})";
  auto e = run(pem_program(), product("8501.10", list({other, mat("M2", "7408.11", "300.00")}), R"("processes":["assembly"])"));
  CHECK(e.status == Status::not_originating);
  CHECK(figure_text(e.figures.vnm) == "900.00");
}

// ---------------------------------------------------------------------------
// 7. Processes and insufficient operations

TEST_CASE("performed(): decided on the declared processes; undetermined when none are declared") {
  auto yes = run(pem_program(), product("2902.11", list({mat("M1", "2710.12", "500.00")}), R"("processes":["chemical_reaction"])"));
  CHECK(yes.status == Status::originating);
  auto no = run(pem_program(), product("2902.11", list({mat("M1", "2710.12", "500.00")}), R"("processes":["mixing_and_blending"])"));
  CHECK(no.status == Status::not_originating);
  auto unknown = run(pem_program(), product("2902.11", list({mat("M1", "2710.12", "500.00")})));
  CHECK(unknown.status == Status::undetermined);
  CHECK(messages_of(unknown, "roo-missing").find("'processes'") != std::string::npos);
  CHECK_FALSE(has_message(unknown, "roo-no-processes"));
}

TEST_CASE("a process alternative undetermined, another alternative decides") {
  auto d = run(pem_program(), product("2903.11", list({mat("M1", "2710.12", "500.00")})));
  CHECK(d.status == Status::originating);  // maxnom(50%) at exactly 50%
  CHECK(has_message(d, "roo-no-processes"));
  CHECK_FALSE(has_message(d, "roo-missing"));
  auto e = run(pem_program(), product("2903.11", list({mat("M1", "2710.12", "500.01")})));
  CHECK(e.status == Status::undetermined);
  CHECK(messages_of(e, "roo-missing").find("'processes'") != std::string::npos);
}

TEST_CASE("insufficient operations defeat a rule that is met") {
  std::string materials = list({mat("M1", "7408.11", "300.00")});
  auto d = run(pem_program(), product("8501.10", materials, R"("processes":["packing","simple_assembly"])"));
  CHECK(d.status == Status::not_originating);
  CHECK_FALSE(d.origin_criterion);
  CHECK(messages_of(d, "roo-insufficient").find("packing, simple_assembly") != std::string::npos);
  REQUIRE(d.explanation);
  const auto* ins = find_node(*d.explanation, "insufficient operations");
  REQUIRE(ins);
  CHECK(ins->verdict == Tri::no);
  CHECK(d.explanation->verdict == Tri::no);

  auto ok = run(pem_program(), product("8501.10", materials, R"("processes":["assembly","packing"])"));
  CHECK(ok.status == Status::originating);
  CHECK_FALSE(has_message(ok, "roo-insufficient"));

  auto none = run(pem_program(), product("8501.10", materials));
  CHECK(none.status == Status::originating);
  CHECK(messages_of(none, "roo-no-processes") == "no processes declared: the insufficient-operations check was not made\n");
  REQUIRE(none.messages.size() == 1);
  CHECK(none.messages[0].severity == roo::Severity::warning);
}

// ---------------------------------------------------------------------------
// 8. Undetermined: missing data is named

TEST_CASE("undetermined: maxnom without the value base") {
  auto d = run(pem_program(), bom_json(R"("hs":"8504.10","processes":["assembly"])", list({mat("M1", "8504.90", "10.00")})));
  CHECK(d.status == Status::undetermined);
  CHECK(messages_of(d, "roo-missing").find("the product's 'ex_works'") != std::string::npos);
  CHECK_FALSE(d.figures.basis_value);
  CHECK_FALSE(d.figures.nom_percent);
  CHECK(figure_text(d.figures.vnm) == "10.00");
  CHECK(criterion_entry(d, "maxnom")->passed == Tri::unknown);
  CHECK_FALSE(d.origin_criterion);
}

TEST_CASE("undetermined: a weight rule without the weights") {
  std::string sugar = mat("M1", "1701.99", "100.00", false, R"("weight_kg":"2")");
  auto ok = run(pem_program(), product("0402.10", list({sugar, mat("M2", "0401.10", "300.00", true)}),
                                       R"("processes":["mixing_and_blending"],"weight_kg":"10")"));
  CHECK(ok.status == Status::originating);  // 2 kg of 10 kg: exactly 20%
  auto over = run(pem_program(), product("0402.10", list({mat("M1", "1701.99", "100.00", false, R"("weight_kg":"2.001")")}),
                                         R"("processes":["mixing_and_blending"],"weight_kg":"10")"));
  CHECK(over.status == Status::not_originating);
  auto no_product_weight = run(pem_program(), product("0402.10", list({sugar}), R"("processes":["mixing_and_blending"])"));
  CHECK(no_product_weight.status == Status::undetermined);
  CHECK(messages_of(no_product_weight, "roo-missing").find("'weight_kg'") != std::string::npos);
  auto no_material_weight = run(pem_program(), product("0402.10", list({mat("M1", "1701.99", "100.00")}),
                                                       R"("processes":["mixing_and_blending"],"weight_kg":"10")"));
  CHECK(no_material_weight.status == Status::undetermined);
  CHECK(messages_of(no_material_weight, "roo-missing").find("the weight of material M1") != std::string::npos);
  // A material the cap does not concern needs no weight.
  auto other = run(pem_program(), product("0402.10", list({sugar, mat("M2", "0401.10", "300.00")}),
                                          R"("processes":["mixing_and_blending"],"weight_kg":"10")"));
  CHECK(other.status == Status::originating);
}

TEST_CASE("undetermined: a material without a value, for a value rule") {
  auto d = run(pem_program(), product("8504.10", R"([{"id":"M1","hs":"8504.90","origin":"CN"}])", R"("processes":["assembly"])"));
  CHECK(d.status == Status::undetermined);
  CHECK(messages_of(d, "roo-missing").find("the value of material M1") != std::string::npos);
  CHECK_FALSE(d.figures.vnm);
  CHECK_FALSE(d.figures.nom_percent);
  // The tariff shift needs no value when nothing fails it.
  auto e = run(pem_program(), product("8501.10", R"([{"id":"M1","hs":"7408.11","origin":"CN"}])", R"("processes":["assembly"])"));
  CHECK(e.status == Status::originating);
}

TEST_CASE("an alternative that passes decides even when another is undetermined") {
  // No ex-works price: maxnom cannot be decided, CTH is met.
  auto d = run(pem_program(), bom_json(R"("hs":"8501.10","processes":["assembly"])", list({mat("M1", "7408.11", "300.00")})));
  CHECK(d.status == Status::originating);
  CHECK_FALSE(has_message(d, "roo-missing"));
  CHECK(d.origin_criterion == "B");
  // CTH fails (and the tolerance cannot be computed): undetermined, naming the price.
  auto e = run(pem_program(), bom_json(R"("hs":"8501.10","processes":["assembly"])", list({mat("M1", "8501.20", "300.00")})));
  CHECK(e.status == Status::undetermined);
  CHECK(messages_of(e, "roo-missing").find("'ex_works'") != std::string::npos);
  // An alternative on another base (fob) passes when ex_works is missing.
  auto f = run(pem_program(), bom_json(R"("hs":"8516.10","fob":"1000.00","processes":["assembly"])", list({mat("M1", "8516.90", "500.00")})));
  CHECK(f.status == Status::originating);
  CHECK(figure_text(f.figures.nom_percent) == "50.00");
}

// ---------------------------------------------------------------------------
// 9. Rule selection

TEST_CASE("ex rules are chosen by a product attribute; the residual rule otherwise") {
  std::string materials = list({mat("M1", "1701.99", "400.00", false, R"("weight_kg":"4")")});
  auto ex = run(pem_program(), product("1806.20", materials, R"("processes":["mixing_and_blending"],"weight_kg":"10","attributes":{"white_chocolate":true})"));
  CHECK(ex.status == Status::originating);
  REQUIRE(ex.rule);
  CHECK(ex.rule->scope == "ex heading 18.06 (white chocolate)");
  auto residual = run(pem_program(), product("1806.20", materials, R"("processes":["mixing_and_blending"],"weight_kg":"10","attributes":{"white_chocolate":false})"));
  CHECK(residual.status == Status::not_originating);  // maxnom(30%) at 40%
  REQUIRE(residual.rule);
  CHECK(residual.rule->scope == "heading 18.06");
  CHECK(figure_text(residual.figures.nom_percent) == "40.00");
  auto unknown = run(pem_program(), product("1806.20", materials, R"("processes":["mixing_and_blending"],"weight_kg":"10")"));
  CHECK(unknown.status == Status::undetermined);
  CHECK_FALSE(unknown.rule);
  CHECK(messages_of(unknown, "roo-missing").find("attribute 'white_chocolate' of the product") != std::string::npos);
}

TEST_CASE("validity dates choose the rule in force on the date") {
  std::string bom = product("8513.10", list({mat("M1", "8513.90", "400.00")}), R"("processes":["assembly"])");
  DetermineOptions before;
  before.date = roo::Date::parse("2025-06-01");
  auto old = run(pem_program(), bom, before);
  CHECK(old.status == Status::not_originating);  // CTH, until 2025-12-31
  CHECK(old.date == "2025-06-01");
  CHECK(old.rule->text == "A change from any other heading");
  auto now = run(pem_program(), bom);  // the BOM's date, 2026-06-01
  CHECK(now.status == Status::originating);
  CHECK(now.date == "2026-06-01");
  CHECK(now.rule->text.find("50%") != std::string::npos);
  DetermineOptions last_day;
  last_day.date = roo::Date::parse("2025-12-31");
  CHECK(run(pem_program(), bom, last_day).status == Status::not_originating);
  DetermineOptions first_day;
  first_day.date = roo::Date::parse("2026-01-01");
  CHECK(run(pem_program(), bom, first_day).status == Status::originating);
}

TEST_CASE("a rule past its validity is never used silently") {
  auto d = run(pem_program(), product("8514.10", list({mat("M1", "7408.11", "400.00")}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::undetermined);
  CHECK(has_message(d, "roo-no-rule"));
  CHECK(messages_of(d, "roo-rule-expired").find("not in force on 2026-06-01") != std::string::npos);
}

TEST_CASE("direction-specific rules follow the destination") {
  std::string bom = product("8515.11", list({mat("M1", "8515.90", "400.00")}), R"("processes":["assembly"])");
  DetermineOptions to_gb;
  to_gb.destination = "GB";
  CHECK(run(pem_program(), bom, to_gb).status == Status::not_originating);  // CTH
  DetermineOptions to_fr;
  to_fr.destination = "FR";  // an EU member state: the rule for EU
  CHECK(run(pem_program(), bom, to_fr).status == Status::originating);
  auto none = run(pem_program(), bom);
  CHECK(none.status == Status::undetermined);
  CHECK(has_message(none, "roo-no-rule"));
  CHECK(has_message(none, "roo-destination"));
  auto from_bom = run(pem_program(), product("8515.11", list({mat("M1", "8515.90", "400.00")}),
                                             R"("processes":["assembly"],"destination":"EU")"));
  CHECK(from_bom.status == Status::originating);
  // --to overrides the BOM's destination.
  CHECK(run(pem_program(), product("8515.11", list({mat("M1", "8515.90", "400.00")}),
                                   R"("processes":["assembly"],"destination":"EU")"),
            to_gb)
            .status == Status::not_originating);
}

TEST_CASE("a code with no rule is undetermined, not an error") {
  auto d = run(pem_program(), product("9403.10", list({mat("M1", "4407.11", "100.00")}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::undetermined);
  CHECK_FALSE(d.rule);
  CHECK(messages_of(d, "roo-no-rule") == "no rule of test-agreement applies to HS 9403.10 on 2026-06-01\n");
}

TEST_CASE("the most specific rule wins") {
  auto p = program_from(R"roo(import std
agreement "Specificity" {
  basis ex_works
  chapter 85:          maxnom(10%)
  heading 8501:        maxnom(20%)
  subheading 8501.10:  maxnom(30%)
}
)roo");
  auto bom = [](std::string_view hs) {
    return bom_json("\"hs\":\"" + std::string(hs) + "\",\"ex_works\":\"100.00\"", R"([{"id":"M","hs":"7408.11","value":"25.00"}])");
  };
  CHECK(run(*p, bom("8501.10")).status == Status::originating);      // 25% <= 30%
  CHECK(run(*p, bom("8501.20")).status == Status::not_originating);  // 25% > 20%
  CHECK(run(*p, bom("8502.11")).status == Status::not_originating);  // 25% > 10%
  CHECK(run(*p, bom("8501.10")).rule->scope == "subheading 8501.10");
}

std::string_view all_rules_source = R"roo(import std
agreement "All rules apply" {
  basis transaction_value
  all_rules_apply
  ex subheading 190120 "containing more than 25% by dry weight of butterfat"
      where product.number("butterfat_pct") > 25:
      CC(excluded: non_originating of headings 0401..0406)
  ex subheading 190120 "containing more than 30% by dry weight of rice flour"
      where product.number("rice_flour_pct") > 30:
      CC and max_value(non_originating of subheading 110290, 30%)
  subheading 190120: CC and maxnom(10%)
}
)roo";

std::string mix(std::string_view attributes, std::string_view materials) {
  std::string members = R"("hs":"1901.20","transaction_value":"1000.00","attributes":)";
  members += attributes;
  return bom_json(members, materials);
}

TEST_CASE("all_rules_apply: every applicable rule must hold") {
  auto p = program_from(all_rules_source);
  std::string both = R"({"butterfat_pct":"30","rice_flour_pct":"35"})";
  std::string dairy = mat("M1", "0402.10", "100.00");
  std::string rice = mat("M2", "1102.90", "300.00");
  std::string much_rice = mat("M2", "1102.90", "300.01");
  std::string sugar = mat("M3", "1701.99", "200.00");
  // Both ex rules apply; the butterfat rule fails on the dairy material.
  auto d = run(*p, mix(both, list({dairy, rice})));
  CHECK(d.status == Status::not_originating);
  REQUIRE(d.rule);
  CHECK(d.rule->scope.find("butterfat") != std::string::npos);
  CHECK(d.rule->scope.find("rice flour") != std::string::npos);
  // Both hold.
  CHECK(run(*p, mix(both, list({rice, sugar}))).status == Status::originating);
  // The rice flour rule fails at 30.001%.
  CHECK(run(*p, mix(both, list({much_rice, sugar}))).status == Status::not_originating);
  // Only the butterfat rule applies: the rice flour cap does not.
  CHECK(run(*p, mix(R"({"butterfat_pct":"30","rice_flour_pct":"10"})", list({much_rice, sugar}))).status ==
        Status::originating);
}

TEST_CASE("all_rules_apply: the residual rule is for any other product only") {
  auto p = program_from(all_rules_source);
  std::string sugar = mat("M3", "1701.99", "200.00");
  // No ex rule applies: the residual, CC and maxnom(10%), fails at 20%.
  auto residual = run(*p, mix(R"({"butterfat_pct":"10","rice_flour_pct":"10"})", list({sugar})));
  CHECK(residual.status == Status::not_originating);
  REQUIRE(residual.rule);
  CHECK(residual.rule->scope == "subheading 1901.20");
  // The butterfat rule applies: "any other product" does not, so its 10% cap does not bind.
  auto ex = run(*p, mix(R"({"butterfat_pct":"30","rice_flour_pct":"10"})", list({sugar})));
  CHECK(ex.status == Status::originating);
  CHECK(ex.rule->scope.find("subheading 1901.20;") == std::string::npos);
}

TEST_CASE("all_rules_apply: two rules of the same scope must both be met") {
  auto p = program_from(R"roo(import std
agreement "Two rules" {
  basis ex_works
  all_rules_apply
  heading 8501: CTH
  heading 8501: maxnom(40%)
  chapter 85:   maxnom(10%)
}
)roo");
  std::string copper = R"({"id":"M1","hs":"7408.11","value":"400.00"})";
  auto both = run(*p, bom_json(R"("hs":"8501.10","ex_works":"1000.00")", list({copper})));
  CHECK(both.status == Status::originating);  // the chapter rule is less specific: it does not apply
  CHECK(both.rule->scope == "heading 85.01; heading 85.01");
  auto cap = run(*p, bom_json(R"("hs":"8501.10","ex_works":"1000.00")", list({copper, R"({"id":"M2","hs":"7326.90","value":"0.01"})"})));
  CHECK(cap.status == Status::not_originating);
  auto shift = run(*p, bom_json(R"("hs":"8501.10","ex_works":"1000.00")", list({R"({"id":"M1","hs":"8501.20","value":"100.00"})"})));
  CHECK(shift.status == Status::not_originating);
}

TEST_CASE("all_rules_apply: an ex rule whose condition cannot be decided makes the result undetermined") {
  auto p = program_from(all_rules_source);
  std::string sugar = mat("M3", "1701.99", "200.00");
  std::string much_rice = mat("M2", "1102.90", "300.01");
  // The butterfat rule applies and holds; whether the rice flour rule applies is
  // unknown, and it would fail on the rice flour: undetermined.
  auto d = run(*p, mix(R"({"butterfat_pct":"30"})", list({much_rice})));
  CHECK(d.status == Status::undetermined);
  CHECK(messages_of(d, "roo-missing").find("attribute 'rice_flour_pct' of the product") != std::string::npos);
  // The rice flour rule would hold too: the product is originating either way.
  auto either = run(*p, mix(R"({"butterfat_pct":"30"})", list({sugar})));
  CHECK(either.status == Status::originating);
  CHECK(messages_of(either, "roo-ex-unknown").find("attribute 'rice_flour_pct' of the product") != std::string::npos);
  CHECK(messages_of(either, "roo-missing").empty());
  // A rule that applies and fails decides, whatever the unknown one would say.
  auto e = run(*p, mix(R"({"butterfat_pct":"30"})", list({sugar, mat("M1", "0402.10", "100.00")})));
  CHECK(e.status == Status::not_originating);
}

// ---------------------------------------------------------------------------
// 10. Non-preferential origin

constexpr std::string_view non_preferential = R"roo(import std
agreement "Non-preferential" {
  kind     non_preferential
  basis    ex_works
  residual major_portion_of_value
  chapter 85: CTH
}
)roo";

std::string transformer(std::string_view materials) {
  return bom_json(R"("hs":"8504.40","ex_works":"1000.00","produced_in":"CN")", materials);
}

std::string from(std::string_view id, std::string_view hs, std::string_view value, std::string_view origin) {
  return "{\"id\":\"" + std::string(id) + "\",\"hs\":\"" + std::string(hs) + "\",\"value\":\"" + std::string(value) +
         "\",\"origin\":\"" + std::string(origin) + "\"}";
}

TEST_CASE("non-preferential: the rule met gives the country of production") {
  auto p = program_from(non_preferential);
  auto d = run(*p, transformer(list({from("M1", "8541.10", "300.00", "JP"), from("M2", "8504.90", "200.00", "CN")})));
  CHECK(d.status == Status::originating);
  CHECK(d.country_of_origin == "CN");
  CHECK_FALSE(d.origin_criterion);
  CHECK(has_message(d, "roo-country"));
}

TEST_CASE("non-preferential: the rule not met gives the country of the major portion of value") {
  auto p = program_from(non_preferential);
  auto d = run(*p, transformer(list({from("M1", "8504.90", "300.00", "JP"), from("M2", "8541.10", "200.00", "KR"),
                                     from("M3", "7408.11", "150.00", "KR")})));
  CHECK(d.status == Status::originating);
  CHECK(d.country_of_origin == "KR");  // 350.00 against 300.00
  CHECK(messages_of(d, "roo-country").find("JP 300.00, KR 350.00") != std::string::npos);

  auto tie = run(*p, transformer(list({from("M1", "8504.90", "300.00", "JP"), from("M2", "8541.10", "300.00", "KR")})));
  CHECK(tie.status == Status::undetermined);
  CHECK_FALSE(tie.country_of_origin);
  CHECK(has_message(tie, "roo-residual-tie"));

  auto unknown = run(*p, transformer(list({from("M1", "8504.90", "300.00", "JP"), from("M2", "8541.10", "300.00", "unknown")})));
  CHECK(unknown.status == Status::undetermined);
  CHECK(messages_of(unknown, "roo-missing").find("origin of material M2") != std::string::npos);
}

TEST_CASE("non-preferential: without a residual rule, a rule not met decides nothing") {
  std::string src(non_preferential);
  src.erase(src.find("  residual major_portion_of_value\n"), std::string_view("  residual major_portion_of_value\n").size());
  auto p = program_from(src);
  auto d = run(*p, transformer(list({from("M1", "8504.90", "300.00", "JP")})));
  CHECK(d.status == Status::undetermined);
  CHECK(has_message(d, "roo-no-residual"));
}

TEST_CASE("two 'ex' rules that both apply: the first is used, with a warning") {
  auto p = program_from(R"roo(import std
agreement "Overlapping ex rules" {
  basis ex_works
  ex heading 8501 "small motors" where product.is("small"): maxnom(50%)
  ex heading 8501 "motors for vehicles" where product.is("vehicle"): maxnom(20%)
  heading 8501: CTH
}
)roo");
  auto d = run(*p, bom_json(R"("hs":"8501.10","ex_works":"100.00","attributes":{"small":true,"vehicle":true})",
                            R"([{"id":"M","hs":"8501.20","value":"40.00"}])"));
  CHECK(d.status == Status::originating);
  CHECK(d.rule->scope == "ex heading 85.01 (small motors)");
  CHECK(has_message(d, "roo-ex-overlap"));
}

TEST_CASE("a BOM in another HS edition than the rules: a warning, codes matched as given") {
  auto d = run(pem_program(), R"({"currency":"EUR","hs_edition":2017,"date":"2026-06-01","product":{"hs":"8504.10","ex_works":"100.00","processes":["assembly"]},"materials":[]})");
  CHECK(d.status == Status::originating);
  CHECK(messages_of(d, "roo-hs-edition").find("HS 2017") != std::string::npos);
}

// ---------------------------------------------------------------------------
// 11. Contradictory input

TEST_CASE("originating and originating_under that disagree: an error result") {
  std::string bad = R"({"id":"M1","hs":"7408.11","value":"100.00","origin":"DE","originating":true,"originating_under":["other-fta"]})";
  auto d = run(pem_program(), product("8501.10", list({bad}), R"("processes":["assembly"])"));
  CHECK(d.status == Status::error);
  CHECK(messages_of(d, "roo-origin-conflict").find("material M1") != std::string::npos);
  // Agreeing declarations are fine.
  std::string good = R"({"id":"M1","hs":"7408.11","value":"100.00","origin":"DE","originating":false,"originating_under":["other-fta"]})";
  CHECK(run(pem_program(), product("8501.10", list({good}), R"("processes":["assembly"])")).status == Status::originating);
  // The conflict in a sub-BOM is an error too.
  auto p = program_from(rollup_source("absorb"));
  std::string bad_inside = R"({"id":"R1","hs":"7408.11","value":"100.00","origin":"DE","originating":true,"originating_under":["other-fta"]})";
  auto e = run(*p, motor(list({bad_inside})));
  CHECK(e.status == Status::error);
}

// ---------------------------------------------------------------------------
// 12. Output

void check_string_or_null(const roo::json::Value& v, std::string_view key) {
  const auto* f = v.find(key);
  REQUIRE_MESSAGE(f, key);
  CHECK_MESSAGE((f->is(roo::json::Type::string) || f->is(roo::json::Type::null_value)), key);
}

TEST_CASE("to_json: every field of docs/determination-format.md, with its type") {
  auto d = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "500.00"), mat("M2", "8501.20", "80.00")})));
  auto parsed = roo::json::parse(roo::to_json(d, Explain::full));
  REQUIRE(parsed.value);
  const auto& v = *parsed.value;
  using T = roo::json::Type;
  REQUIRE(v.is(T::object));
  CHECK(v.find("format")->text == "roo-determination/1");
  CHECK(v.find("product")->text == "P");
  CHECK(v.find("line") == nullptr);  // only in batch
  CHECK(v.find("agreement")->text == "test-agreement");
  CHECK(v.find("date")->text == "2026-06-01");
  CHECK(v.find("status")->text == "originating");
  CHECK(v.find("originating")->is(T::boolean));
  CHECK(v.find("originating")->boolean);
  CHECK(v.find("country_of_origin")->is(T::null_value));
  CHECK(v.find("origin_criterion")->text == "T");
  const auto* rule = v.find("rule");
  REQUIRE(rule);
  REQUIRE(rule->is(T::object));
  for (auto key : {"scope", "text", "source", "citation"}) {
    REQUIRE_MESSAGE(rule->find(key), key);
    CHECK(rule->find(key)->is(T::string));
  }
  CHECK(rule->find("source")->text.rfind("test-agreement.roo:", 0) == 0);
  const auto* figures = v.find("figures");
  REQUIRE(figures);
  REQUIRE(figures->is(T::object));
  CHECK(figures->find("basis")->text == "ex_works");
  for (auto key : {"basis_value", "vnm", "vom", "nom_percent", "rvc_percent", "tolerance_limit", "tolerance_used"})
    check_string_or_null(*figures, key);
  CHECK(figures->find("basis_value")->text == "1000.00");
  CHECK(figures->find("vnm")->text == "580.00");
  CHECK(figures->find("tolerance_used")->text == "80.00");
  CHECK(figures->find("rvc_percent")->is(T::null_value));
  const auto* by = figures->find("by_criterion");
  REQUIRE(by);
  REQUIRE(by->is(T::array));
  REQUIRE(by->items.size() == 2);
  CHECK(by->items[0].find("criterion")->text == "CTH");
  CHECK(by->items[0].find("passed")->is(T::boolean));
  CHECK(by->items[0].find("tolerance_used")->text == "80.00");
  CHECK(by->items[1].find("criterion")->text == "maxnom");
  CHECK(by->items[1].find("passed")->boolean == false);
  CHECK(by->items[1].find("nom_percent")->text == "58.00");
  CHECK(by->items[1].find("limit_percent")->text == "50.00");
  CHECK(by->items[1].find("headroom")->text == "-80.00");
  const auto* ex = v.find("explanation");
  REQUIRE(ex);
  REQUIRE(ex->is(T::object));
  for (auto key : {"criterion", "text", "source"}) CHECK(ex->find(key)->is(T::string));
  CHECK(ex->find("passed")->is(T::boolean));
  CHECK(ex->find("figures")->is(T::object));
  CHECK(ex->find("materials")->is(T::array));
  CHECK(ex->find("missing")->is(T::array));
  CHECK(ex->find("children")->is(T::array));
  const auto* messages = v.find("messages");
  REQUIRE(messages);
  REQUIRE(messages->is(T::array));
  REQUIRE(messages->items.size() == 1);
  CHECK(messages->items[0].find("severity")->text == "warning");
  CHECK(messages->items[0].find("code")->text == "roo-no-processes");
  CHECK(messages->items[0].find("message")->is(T::string));
  const auto* engine = v.find("engine");
  REQUIRE(engine);
  CHECK(engine->find("version")->text == ROO_VERSION);
  CHECK(engine->find("rules_sha256")->text.size() == 64);
  // A material saved by the tolerance is marked in the tree.
  std::string json = roo::to_json(d, Explain::full);
  CHECK(json.find(R"("id":"M2","hs":"8501.20","value":"80.00")") != std::string::npos);
  CHECK(json.find(R"("saved_by_tolerance":true)") != std::string::npos);
}

TEST_CASE("to_json: undetermined and error results have null verdicts") {
  auto u = run(pem_program(), bom_json(R"("hs":"8504.10")", list({mat("M1", "8504.90", "10.00")})));
  auto parsed = roo::json::parse(roo::to_json(u, Explain::full));
  REQUIRE(parsed.value);
  CHECK(parsed.value->find("status")->text == "undetermined");
  CHECK(parsed.value->find("originating")->is(roo::json::Type::null_value));
  CHECK(parsed.value->find("figures")->find("basis_value")->is(roo::json::Type::null_value));
  CHECK(parsed.value->find("explanation")->find("passed")->is(roo::json::Type::null_value));

  auto no_rule = run(pem_program(), product("9403.10", "[]"));
  auto p2 = roo::json::parse(roo::to_json(no_rule, Explain::full));
  REQUIRE(p2.value);
  CHECK(p2.value->find("rule")->is(roo::json::Type::null_value));
  CHECK(p2.value->find("explanation")->is(roo::json::Type::null_value));

  auto e = roo::error_determination(pem_program(), "X", {});
  auto p3 = roo::json::parse(roo::to_json(e, Explain::full));
  REQUIRE(p3.value);
  CHECK(p3.value->find("status")->text == "error");
  CHECK(p3.value->find("originating")->is(roo::json::Type::null_value));
}

TEST_CASE("explain: fails keeps only what did not pass; none drops the tree") {
  // CTH fails on M2, maxnom passes.
  auto d = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "100.00"), mat("M2", "8501.20", "300.00")}),
                                      R"("processes":["assembly"])"));
  CHECK(d.status == Status::originating);
  auto full = roo::json::parse(roo::to_json(d, Explain::full));
  REQUIRE(full.value);
  CHECK(full.value->find("explanation")->find("children")->items.size() == 2);

  auto fails = roo::json::parse(roo::to_json(d, Explain::fails));
  REQUIRE(fails.value);
  const auto* root = fails.value->find("explanation");
  REQUIRE(root->is(roo::json::Type::object));
  const auto& children = root->find("children")->items;
  REQUIRE(children.size() == 1);
  CHECK(children[0].find("criterion")->text == "CTH");
  CHECK(children[0].find("materials")->items[0].find("id")->text == "M2");

  auto none = roo::json::parse(roo::to_json(d, Explain::none));
  REQUIRE(none.value);
  CHECK(none.value->find("explanation")->is(roo::json::Type::null_value));
  // Explain::none at evaluation builds no tree at all.
  DetermineOptions quiet;
  quiet.explain = Explain::none;
  auto q = run(pem_program(), product("8501.10", list({mat("M1", "7408.11", "100.00")}), R"("processes":["assembly"])"), quiet);
  CHECK_FALSE(q.explanation);
  CHECK(q.status == Status::originating);
  CHECK(roo::to_text(q, Explain::none).find("why:") == std::string::npos);
  CHECK(roo::to_text(d, Explain::fails).find("fails: M2 (8501.20, value 300.00)") != std::string::npos);
  CHECK(roo::to_markdown(d, Explain::full).find("## P under test-agreement on 2026-06-01: ORIGINATING (origin criterion B)") == 0);
}

}  // namespace
