// The public C++ API (include/roo/roo.hpp), used as a host would: only the
// public header.
#include <doctest/doctest.h>

#include <roo/roo.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

constexpr std::string_view rules = R"roo(import std

agreement "API test agreement" {
  citation "Annex T"
  parties  GB, EU
  basis    ex_works
  tolerance 10% of ex_works for chapters 84..85

  heading 8501: CTH or maxnom(50%)
  heading 8502: maxnom(40%)
  heading 6109: CC
}
)roo";

std::string bom(std::string_view hs, std::string_view ex_works, std::string_view material_value,
                std::string_view material_hs = "7408.11") {
  std::string ew = ex_works.empty() ? std::string() : ",\"ex_works\":\"" + std::string(ex_works) + "\"";
  return "{\"currency\":\"EUR\",\"date\":\"2026-11-28\",\"product\":{\"id\":\"P1\",\"hs\":\"" + std::string(hs) +
         "\",\"produced_in\":\"GB\"" + ew + "},\"materials\":[{\"id\":\"M1\",\"hs\":\"" + std::string(material_hs) +
         "\",\"value\":\"" + std::string(material_value) + "\",\"origin\":\"CN\",\"originating\":false}]}";
}

roo::Agreement load() {
  auto loaded = roo::Agreement::load_text("api-test.roo", std::string(rules));
  REQUIRE(loaded.agreement);
  return *loaded.agreement;
}

}  // namespace

TEST_CASE("api: an agreement loads from text and says what it is") {
  roo::Agreement a = load();
  CHECK(a.id() == "api-test");
  CHECK(a.title() == "API test agreement");
  CHECK(a.parties() == std::vector<std::string>{"EU", "GB"});
  CHECK(a.rules_sha256().size() == 64);
  CHECK(roo::version() == ROO_VERSION);
}

TEST_CASE("api: rules with errors give located diagnostics and no agreement") {
  auto loaded = roo::Agreement::load_text("bad.roo", "agreement \"x\" {\n  heading 8501: CTH or\n}\n");
  CHECK_FALSE(loaded.agreement);
  REQUIRE_FALSE(loaded.diagnostics.empty());
  CHECK(loaded.diagnostics.front().file == "bad.roo");
  CHECK(loaded.diagnostics.front().line >= 2);
  CHECK(roo::diagnostics_json(loaded.diagnostics).starts_with("[{"));
}

TEST_CASE("api: figures are exact numbers beside their display") {
  roo::Agreement a = load();
  // 1 of 3 is 33.333...%: no decimal holds it, the ratio does.
  auto in = roo::read_bom(bom("8502.11", "3.00", "1.00"));
  REQUIRE(in.ok());
  roo::Determination d = a.determine(in);
  CHECK(d.status == roo::Status::originating);
  REQUIRE(d.figures.nom_percent);
  CHECK(d.figures.nom_percent->value == "33.33");
  CHECK(d.figures.nom_percent->numerator == *roo::Decimal::parse("100.00"));
  CHECK(d.figures.nom_percent->denominator == *roo::Decimal::parse("3"));
  REQUIRE(d.figures.vnm);
  CHECK(d.figures.vnm->numerator == *roo::Decimal::parse("1"));
  CHECK(d.figures.vnm->denominator == roo::Decimal::from_int(1));
  // One cent over the 40% limit of 100.00.
  roo::Determination over = a.determine(roo::read_bom(bom("8502.11", "100.00", "40.01")));
  CHECK(over.status == roo::Status::not_originating);
  REQUIRE_FALSE(over.figures.by_criterion.empty());
  bool found = false;
  for (const auto& f : over.figures.by_criterion.front().figures)
    if (f.name == "headroom") {
      found = true;
      CHECK(f.numerator == *roo::Decimal::parse("-0.01"));
    }
  CHECK(found);
}

TEST_CASE("api: missing data is structured: field, material, rule") {
  roo::Agreement a = load();
  // No ex-works price, and a material of the same heading: CTH fails, maxnom cannot be computed.
  roo::Determination d = a.determine(roo::read_bom(bom("8501.10", "", "10.00", "8501.20")));
  CHECK(d.status == roo::Status::undetermined);
  auto price = std::find_if(d.missing.begin(), d.missing.end(),
                            [](const roo::MissingData& m) { return m.field == "ex_works" && m.purpose == "rule"; });
  REQUIRE(price != d.missing.end());
  CHECK(price->material.empty());
  CHECK(price->needed_by.starts_with("api-test.roo:"));
  // The tolerance (10% of the ex-works price) needs the price too, and says so.
  CHECK(std::any_of(d.missing.begin(), d.missing.end(),
                    [](const roo::MissingData& m) { return m.field == "ex_works" && m.purpose == "tolerance"; }));
  // A material's value.
  std::string no_value = bom("8502.11", "100.00", "1.00");
  no_value.replace(no_value.find(",\"value\":\"1.00\""), 15, "");
  roo::Determination m = a.determine(roo::read_bom(no_value));
  CHECK(m.status == roo::Status::undetermined);
  REQUIRE_FALSE(m.missing.empty());
  CHECK(m.missing.front().field == "value");
  CHECK(m.missing.front().material == "M1");
}

TEST_CASE("api: a BOM that cannot be read gives an error determination, not an exception") {
  roo::Agreement a = load();
  auto in = roo::read_bom("{\"product\":", roo::BomFormat::json, "broken.json");
  CHECK_FALSE(in.ok());
  REQUIRE_FALSE(in.diagnostics.empty());
  CHECK(in.diagnostics.front().file == "broken.json");
  roo::Determination d = a.determine(in);
  CHECK(d.status == roo::Status::error);
  CHECK(d.product == "broken.json");
  CHECK(roo::render(d, roo::Format::json).find("\"status\":\"error\"") != std::string::npos);
}

TEST_CASE("api: JSON Lines from a buffer: one input per non-blank line, each with its line") {
  std::string text = bom("8502.11", "100.00", "10.00") + "\n\n   \n" + bom("8502.11", "100.00", "50.00") + "\nnot json\n";
  std::vector<roo::BomInput> inputs;
  roo::read_boms(text, {roo::BomFormat::json_lines, "boms.jsonl", {}}, [&](roo::BomInput&& in) { inputs.push_back(std::move(in)); });
  REQUIRE(inputs.size() == 3);
  CHECK(inputs[0].line == 1u);
  CHECK(inputs[1].line == 4u);
  CHECK(inputs[2].line == 5u);
  CHECK_FALSE(inputs[2].ok());
  CHECK(inputs[2].label() == "boms.jsonl:5");
  roo::Agreement a = load();
  CHECK(a.determine(inputs[0]).status == roo::Status::originating);
  CHECK(a.determine(inputs[1]).status == roo::Status::not_originating);
  CHECK(a.determine(inputs[2]).line == 5u);
}

TEST_CASE("api: a file that cannot be read still gives one input") {
  int calls = 0;
  roo::read_bom_file("no/such/file.json", {}, [&](roo::BomInput&& in) {
    ++calls;
    CHECK_FALSE(in.ok());
    REQUIRE(in.diagnostics.size() == 1);
    CHECK(in.diagnostics.front().code == "bom-io");
  });
  // A folder named like a JSON Lines file.
  auto folder = std::filesystem::temp_directory_path() / "roo-api-test-folder.jsonl";
  std::filesystem::create_directories(folder);
  roo::read_bom_file(folder.string(), {}, [&](roo::BomInput&& in) {
    ++calls;
    CHECK_FALSE(in.ok());
  });
  std::filesystem::remove(folder);
  CHECK(calls == 2);
}

TEST_CASE("api: the rule for a code, as text and as roo-rule/1 JSON") {
  roo::Agreement a = load();
  roo::RuleLookup r = a.rule("8501.10");
  REQUIRE(r.ok());
  CHECK(r.dotted == "8501.10");
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].scope == "heading 85.01");
  CHECK(r.rules[0].source.starts_with("api-test.roo:"));
  std::string json = roo::render(r, roo::Format::json);
  CHECK(json.starts_with("{\"format\":\"roo-rule/1\",\"code\":\"8501.10\",\"agreement\":\"api-test\""));
  CHECK(json.find("\"error\":null") != std::string::npos);
  roo::RuleLookup none = a.rule("9999.99");
  CHECK_FALSE(none.ok());
  CHECK(roo::render(none, roo::Format::json).find("\"rules\":[]") != std::string::npos);
  roo::RuleLookup bad = a.rule("85x");
  CHECK_FALSE(bad.ok());
  CHECK(bad.dotted.empty());
}

TEST_CASE("api: one agreement shared by many threads gives the same answers as one thread") {
  roo::Agreement a = load();
  std::vector<roo::BomInput> inputs;
  for (int i = 0; i < 64; ++i) {
    std::string cents = std::to_string(3000 + i * 37);
    inputs.push_back(roo::read_bom(bom(i % 2 ? "8502.11" : "8501.10", "100.00",
                                       cents.substr(0, cents.size() - 2) + "." + cents.substr(cents.size() - 2),
                                       i % 3 ? "7408.11" : "8501.20")));
  }
  std::vector<std::string> expected;
  for (const auto& in : inputs) expected.push_back(roo::render(a.determine(in), roo::Format::json));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      roo::Agreement copy = a;  // copies share the program
      for (int round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          const roo::Agreement& use = (t % 2) ? copy : a;
          if (roo::render(use.determine(inputs[(i + t) % inputs.size()]), roo::Format::json) !=
              expected[(i + t) % inputs.size()])
            ++mismatches;
        }
    });
  for (auto& th : threads) th.join();
  CHECK(mismatches == 0);
}
