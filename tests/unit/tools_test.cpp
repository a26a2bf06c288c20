// The tools API (include/roo/tools.hpp), used as roo's own command uses it:
// only the public headers.
#include <doctest/doctest.h>

#include "tests/unit/temp_dir.hpp"

#include <roo/tools.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

constexpr std::string_view nomenclature_csv =
    "section,hscode,description,parent,level\n"
    "XVI,85,\"Electrical machinery\",TOTAL,2\n"
    "XVI,8501,\"Electric motors\",85,4\n"
    "XVI,850110,\"Motors of an output not exceeding 37.5 W\",8501,6\n"
    "XVI,850120,\"Universal AC/DC motors, of an output exceeding 37.5 W\",8501,6\n"
    "XVI,8502,\"Generating sets\",85,4\n"
    "XVI,850211,\"Generating sets, diesel\",8502,6\n";

roo::Nomenclature nomenclature() {
  std::string error;
  auto n = roo::parse_nomenclature(nomenclature_csv, "hs.csv", error);
  REQUIRE_MESSAGE(n, error);
  return *n;
}

roo::Agreement agreement(std::string name, std::string text) {
  auto loaded = roo::Agreement::load_text(std::move(name), std::move(text));
  REQUIRE(loaded.agreement);
  return *loaded.agreement;
}

struct TempDir : roo::test::TempDir {
  TempDir() : roo::test::TempDir("tools-test") {}
};

}  // namespace

TEST_CASE("tools: format_rules gives the canonical layout, comments kept") {
  auto result = roo::format_rules(
      "import std\nagreement \"T\" {\nparties GB, EU\n    heading 8501:   CTH   // motors\n  headings 8502..8503: CC\n}\n",
      "t.roo");
  REQUIRE(result.ok());
  CHECK(result.diagnostics.empty());
  CHECK(result.text ==
        "import std\n"
        "agreement \"T\" {\n"
        "  parties GB, EU\n"
        "  heading 8501:        CTH  // motors\n"
        "  headings 8502..8503: CC\n"
        "}\n");
  // Formatting the result again changes nothing.
  CHECK(roo::format_rules(result.text, "t.roo").text == result.text);
}

TEST_CASE("tools: format_rules on text with syntax errors gives located errors and no text") {
  auto result = roo::format_rules("agreement \"T\" {\n  heading 8501: CTH or\n}\n", "bad.roo");
  CHECK_FALSE(result.ok());
  CHECK_FALSE(result.meaning_changed);
  CHECK(result.text.empty());
  REQUIRE(roo::has_errors(result.diagnostics));
  CHECK(result.diagnostics.front().file == "bad.roo");
  CHECK(result.diagnostics.front().code == "roo-syntax");
}

TEST_CASE("tools: a nomenclature keeps chapters, headings and subheadings; one without subheadings is refused") {
  roo::Nomenclature n = nomenclature();
  CHECK(n.known.size() == 6);
  CHECK(n.known.at("8502") == "Generating sets");
  REQUIRE(n.subheadings.size() == 3);
  CHECK(n.subheadings[1].code == "850120");
  CHECK(n.subheadings[1].description == "Universal AC/DC motors, of an output exceeding 37.5 W");  // quoted comma

  std::string error;
  CHECK_FALSE(roo::parse_nomenclature("section,hscode,description,parent,level\nXVI,85,\"x\",TOTAL,2\n", "c.csv", error));
  CHECK(error == "c.csv holds no six-digit subheadings");
  CHECK_FALSE(roo::read_nomenclature("/nonexistent/hs.csv", error));
  CHECK(error == "cannot read /nonexistent/hs.csv: no such file");
}

TEST_CASE("tools: lint finds uncovered subheadings, codes the nomenclature lacks, expired rules; explained ones are notes") {
  roo::Agreement a = agreement("lint.roo", R"roo(import std
agreement "Lint" {
  parties   GB, EU
  basis     ex_works
  explained heading 8503 "kept as the annex names it"
  heading 8501: CTH
  heading 8503: CTH
  heading 8504: CC valid until 2020-12-31
}
)roo");
  roo::LintReport report = roo::lint(a, nomenclature(), *roo::Date::parse("2025-01-01"));
  CHECK(report.file == "lint.roo");
  REQUIRE(report.findings.size() == 4);

  const auto& uncovered = report.findings[0];
  CHECK(uncovered.kind == roo::LintFinding::Kind::uncovered);
  CHECK(uncovered.severity == roo::Severity::warning);
  CHECK(uncovered.code == "8502.11");
  CHECK(uncovered.where == "lint.roo");
  CHECK(uncovered.message == "subheading 8502.11 (Generating sets, diesel) has no rule in force on 2025-01-01");

  const auto& explained = report.findings[1];
  CHECK(explained.kind == roo::LintFinding::Kind::not_in_nomenclature);
  CHECK(explained.severity == roo::Severity::note);
  CHECK(explained.where == "lint.roo:7:3");
  CHECK(explained.message == "heading 85.03 is not in the nomenclature");
  CHECK(explained.explanation == "kept as the annex names it");

  CHECK(report.findings[2].kind == roo::LintFinding::Kind::not_in_nomenclature);
  CHECK(report.findings[2].code == "85.04");

  const auto& expired = report.findings[3];
  CHECK(expired.kind == roo::LintFinding::Kind::expired);
  CHECK(expired.severity == roo::Severity::warning);
  CHECK(expired.where == "lint.roo:8:3");
  CHECK(expired.message == "the rule ended on 2020-12-31 and no later rule replaces it");

  CHECK(report.unexplained() == 3);
  CHECK(report.explained() == 1);

  // Before the end of the rule's validity, it is not a finding.
  CHECK(roo::lint(a, nomenclature(), *roo::Date::parse("2020-06-01")).unexplained() == 2);
}

TEST_CASE("tools: diff_rules groups neighbouring subheadings with the same change") {
  constexpr std::string_view before_text = R"roo(import std
agreement "Diff" {
  parties GB, EU
  basis   ex_works
  heading 8501: CTH
  heading 8502: CTH
}
)roo";
  std::string after_text(before_text);
  after_text.replace(after_text.find("heading 8501: CTH"), 17, "heading 8501: CC");
  roo::Agreement before = agreement("before.roo", std::string(before_text));
  roo::Agreement after = agreement("after.roo", after_text);

  roo::RuleDiff diff = roo::diff_rules(before, after, nomenclature());
  CHECK(diff.compared == 3);
  CHECK(diff.changed == 2);
  REQUIRE(diff.groups.size() == 1);
  const auto& g = diff.groups.front();
  CHECK(g.first == "8501.10");
  CHECK(g.last == "8501.20");
  CHECK(g.count == 2);
  CHECK(g.description == "Motors of an output not exceeding 37.5 W");
  CHECK(g.before == std::vector<std::string>{"heading 85.01: A change from any other heading"});
  CHECK(g.after == std::vector<std::string>{"heading 85.01: A change from any other chapter"});

  // The same version: nothing differs.
  roo::RuleDiff none = roo::diff_rules(before, before, nomenclature());
  CHECK(none.changed == 0);
  CHECK(none.groups.empty());
}

TEST_CASE("tools: run_test_files passes and fails cases, saying what differs") {
  TempDir dir;
  dir.write("rules/t.roo", R"roo(import std
agreement "Test runner" {
  parties GB, EU
  basis   ex_works
  heading 8501: CTH or maxnom(50%)
}
)roo");
  std::string bom = R"({ "currency": "EUR", "date": "2026-11-28",
    "product": { "id": "M1", "hs": "8501.52", "ex_works": "1000.00", "produced_in": "GB", "processes": ["assembly"] },
    "materials": [ { "id": "S1", "hs": "8503.00", "value": "300.00", "origin": "CN" } ] })";
  dir.write("cases/motor.test.json", R"({ "rules": "../rules/t.roo", "cases": [
    { "name": "passes", "bom": )" + bom + R"(, "expect": { "status": "originating", "figures": { "vnm": "300.00" } } },
    { "name": "fails", "bom": )" + bom + R"(, "expect": { "status": "not_originating", "figures": { "nom_percent": "40.00" } } },
    { "name": "no bom", "expect": {} } ] })");
  dir.write("cases/ignored.json", "{}");

  std::string error;
  auto files = roo::find_test_files({dir.path.string()}, error);
  REQUIRE_MESSAGE(files, error);
  REQUIRE(files->size() == 1);
  CHECK(files->front().ends_with("motor.test.json"));

  roo::TestRun run = roo::run_test_files(*files);
  REQUIRE(run.cases.size() == 3);
  CHECK(run.passed() == 1);
  CHECK(run.failed() == 2);
  CHECK(run.cases[0].name == "passes");
  CHECK(run.cases[0].passed);
  CHECK(run.cases[0].differences.empty());

  const auto& failed = run.cases[1];
  CHECK(failed.file == files->front());
  CHECK(failed.name == "fails");
  CHECK_FALSE(failed.passed);
  CHECK(failed.differences == std::vector<std::string>{"status: expected \"not_originating\", got \"originating\"",
                                                       "figures.nom_percent: expected \"40.00\", got \"30.00\""});
  CHECK(run.cases[2].differences == std::vector<std::string>{"no \"bom\" or \"bom_file\""});

  CHECK_FALSE(roo::find_test_files({(dir.path / "missing").string()}, error));
  CHECK(error == "no such file or folder: " + (dir.path / "missing").string());
}

TEST_CASE("tools: rules that cannot be loaded fail their cases, their diagnostics given once") {
  TempDir dir;
  dir.write("bad.roo", "agreement \"x\" {\n  heading 8501: CTH or\n}\n");
  std::string file = dir.write("bad.test.json", R"({ "rules": "bad.roo", "cases": [
    { "name": "one", "bom_file": "none.bom.json", "expect": {} },
    { "name": "two", "bom_file": "none.bom.json", "expect": {} } ] })");
  roo::TestRun run = roo::run_test_files({file});
  REQUIRE(run.cases.size() == 2);
  CHECK(run.failed() == 2);
  CHECK(roo::has_errors(run.cases[0].rules_diagnostics));
  CHECK(run.cases[1].rules_diagnostics.empty());
  CHECK(run.cases[1].differences == std::vector<std::string>{"cannot use the rules bad.roo: the rules have errors"});
}

TEST_CASE("tools: nearest_name suggests a likely typo only") {
  std::vector<std::string_view> names = {"rules", "date", "format"};
  CHECK(roo::nearest_name("rule", names) == "rules");
  CHECK(roo::nearest_name("nomenclature", names).empty());
}
