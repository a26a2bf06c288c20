// Agreements split over files: `include`, `rules { ... }` blocks, folders of
// agreements (issue 10 item 4: a folder agreement must not drop files silently).
#include <doctest/doctest.h>

#include "grammar/parse.hpp"
#include "tests/unit/temp_dir.hpp"

#include <roo/roo.hpp>
#include <roo/tools.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace {

struct Folder : roo::test::TempDir {
  Folder() : roo::test::TempDir("include-test") {}
};

constexpr std::string_view main_roo = R"roo(import std

agreement "Split agreement" {
  parties GB, EU
  basis   ex_works

  heading 1703: CTH
}

include "chapters/85.roo"
)roo";

constexpr std::string_view chapter_85 = R"roo(rules {
  let copper "copper" = materials of chapter 74

  heading 8544: CTH except copper
}
)roo";

std::string cable_bom(std::string_view material_hs) {
  return R"({"currency":"EUR","date":"2026-11-28","product":{"id":"C1","hs":"8544.49","produced_in":"GB",)"
         R"("ex_works":"100.00"},"materials":[{"id":"M1","hs":")" +
         std::string(material_hs) + R"(","value":"30.00","origin":"CN","originating":false}]})";
}

bool has_code(const std::vector<roo::Diagnostic>& ds, std::string_view code, roo::Severity severity) {
  return std::any_of(ds.begin(), ds.end(), [&](const roo::Diagnostic& d) { return d.code == code && d.severity == severity; });
}

}  // namespace

TEST_CASE("include: a rule in an included file decides, and the explanation cites that file") {
  Folder f;
  f.write("tca/main.roo", main_roo);
  f.write("tca/chapters/85.roo", chapter_85);
  auto loaded = roo::Agreement::load(f.at("tca"));
  REQUIRE(loaded.agreement);
  CHECK(loaded.diagnostics.empty());
  CHECK(loaded.agreement->id() == "tca");
  // Copper wire (7408) is excepted from the change of heading; plastics are not.
  auto copper = loaded.agreement->determine(roo::read_bom(cable_bom("7408.11")));
  CHECK(copper.status == roo::Status::not_originating);
  auto plastics = loaded.agreement->determine(roo::read_bom(cable_bom("3926.90")));
  CHECK(plastics.status == roo::Status::originating);
  REQUIRE(plastics.rule);
  CHECK(plastics.rule->source.find("chapters/85.roo:4:3") != std::string::npos);
  // Before the fix the second file was not read: no rule for 8544.
  CHECK(loaded.agreement->rule("8544.49").ok());
}

TEST_CASE("include: a .roo file of the folder that nothing includes is a warning, another agreement's is not") {
  Folder f;
  f.write("tca/main.roo", main_roo);
  f.write("tca/chapters/85.roo", chapter_85);
  std::string stray = f.write("tca/chapters/94.roo", "rules {\n  heading 9401: CTH\n}\n");
  f.write("tca/other/main.roo", "import std\nagreement \"Other\" {\n  parties GB, JP\n  heading 1703: CTH\n}\n");
  auto ds = roo::check_rules(f.at("tca"));
  CHECK_FALSE(roo::has_errors(ds));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "roo-unreached");
  CHECK(ds[0].severity == roo::Severity::warning);
  CHECK(ds[0].file == stray);
}

TEST_CASE("include: files outside the folder, twice, missing or not .roo are located errors") {
  Folder f;
  f.write("outside.roo", "rules {\n  heading 9401: CTH\n}\n");
  f.write("a/part.roo", "include \"part.roo\"\nrules {\n  heading 9401: CTH\n}\n");
  fs::create_symlink(f.at("outside.roo"), f.at("a/link.roo"));
  f.write("a/main.roo",
          "import std\nagreement \"A\" {\n  parties GB, EU\n  heading 1703: CC\n}\n"
          "include \"../outside.roo\"\ninclude \"link.roo\"\ninclude \"part.roo\"\ninclude \"missing.roo\"\n"
          "include \"notes.txt\"\ninclude \"main.roo\"\n");
  auto ds = roo::check_rules(f.at("a"));
  std::vector<std::pair<std::string, std::uint64_t>> places;
  for (const auto& d : ds)
    if (d.code == "roo-include") places.push_back({fs::path(d.file).filename().string(), d.line});
  std::sort(places.begin(), places.end());
  // The link resolves outside the folder too; part.roo including itself is the second reading.
  CHECK(places == std::vector<std::pair<std::string, std::uint64_t>>{
                      {"main.roo", 6}, {"main.roo", 7}, {"main.roo", 9}, {"main.roo", 10}, {"main.roo", 11}, {"part.roo", 1}});
  CHECK_FALSE(roo::Agreement::load(f.at("a")).agreement);
}

TEST_CASE("include: a rules block takes rules and definitions, not settings; checked alone it is an error") {
  Folder f;
  f.write("b/main.roo", "import std\nagreement \"B\" {\n  parties GB, EU\n  heading 1703: CC\n}\ninclude \"p.roo\"\n");
  std::string part = f.write("b/p.roo", "rules {\n  tolerance 10% of ex_works\n  heading 1704: CC\n}\n");
  auto ds = roo::check_rules(f.at("b"));
  REQUIRE(roo::has_errors(ds));
  CHECK(ds.front().code == "roo-setting");
  CHECK(ds.front().file == part);
  CHECK(ds.front().line == 2);  // of p.roo
  auto alone = roo::check_rules(part);
  CHECK(has_code(alone, "roo-rules-block", roo::Severity::error));
}

TEST_CASE("include: a name defined in two files is a duplicate that points at the first") {
  Folder f;
  f.write("c/main.roo",
          "import std\nagreement \"C\" {\n  parties GB, EU\n  let copper = materials of chapter 74\n  heading 1703: CC\n}\n"
          "include \"p.roo\"\n");
  f.write("c/p.roo", "rules {\n  let copper = materials of chapter 75\n}\n");
  auto ds = roo::check_rules(f.at("c"));
  REQUIRE(has_code(ds, "roo-duplicate", roo::Severity::error));
  auto dup = std::find_if(ds.begin(), ds.end(), [](const roo::Diagnostic& d) { return d.code == "roo-duplicate"; });
  CHECK(fs::path(dup->file).filename() == "p.roo");
  REQUIRE_FALSE(dup->notes.empty());
  CHECK(dup->notes.front().find("main.roo:4:7") != std::string::npos);
}

TEST_CASE("include: an agreement whose rules are all in included files has rules; one with none is an error") {
  Folder f;
  f.write("d/main.roo", "import std\nagreement \"D\" {\n  parties GB, EU\n}\ninclude \"p.roo\"\n");
  f.write("d/p.roo", "rules {\n  heading 1703: CC\n}\n");
  CHECK(roo::Agreement::load(f.at("d")).agreement);
  f.write("d/p.roo", "rules {\n}\n");
  CHECK(has_code(roo::check_rules(f.at("d")), "roo-no-rules", roo::Severity::error));
}

TEST_CASE("include: rules given as text cannot include") {
  auto loaded = roo::Agreement::load_text("t.roo", "import std\nagreement \"T\" {\n  parties GB, EU\n  heading 1703: CC\n}\ninclude \"x.roo\"\n");
  CHECK_FALSE(loaded.agreement);
  REQUIRE(has_code(loaded.diagnostics, "roo-include", roo::Severity::error));
}

TEST_CASE("include: a folder without main.roo holds one agreement per file and per subfolder with main.roo") {
  Folder f;
  f.write("set/b.roo", "import std\nagreement \"B\" {\n  parties GB, EU\n  heading 1703: CC\n}\n");
  f.write("set/a/main.roo", "import std\nagreement \"A\" {\n  parties GB, EU\n}\ninclude \"x.roo\"\n");
  f.write("set/a/x.roo", "rules {\n  heading 1703: CC\n}\n");
  f.write("set/notes/readme.txt", "not rules");
  f.write("set/c.txt", "not rules");
  CHECK(roo::agreement_paths(f.at("set")) == std::vector<std::string>{f.at("set/a"), f.at("set/b.roo")});
  CHECK(roo::agreement_paths(f.at("set/a")) == std::vector<std::string>{f.at("set/a")});
  CHECK(roo::agreement_paths(f.at("set/b.roo")) == std::vector<std::string>{f.at("set/b.roo")});
  CHECK(roo::agreement_paths(f.at("set/notes")).empty());
  for (const auto& p : roo::agreement_paths(f.at("set"))) CHECK(roo::Agreement::load(p).agreement);
}

TEST_CASE("include: the formatter keeps includes and rules blocks") {
  auto r = roo::format_rules("include   \"a.roo\"\nrules {\nheading 1703:   CC\n  let x = materials of chapter 74\n}\n", "p.roo");
  REQUIRE(r.ok());
  CHECK(r.text == "include \"a.roo\"\nrules {\n  heading 1703: CC\n  let x = materials of chapter 74\n}\n");
}

TEST_CASE("include: the size limit holds for an agreement's files together, not each alone") {
  Folder f;
  f.write("e/main.roo", "import std\nagreement \"E\" {\n  parties GB, EU\n  heading 1703: CC\n}\ninclude \"big.roo\"\n");
  // Under the limit alone; over it with main.roo.
  std::string filler(roo::max_source_bytes - 16, ' ');
  for (std::size_t i = 79; i < filler.size(); i += 80) filler[i] = '\n';
  f.write("e/big.roo", "rules {\n" + filler + "}\n");
  auto ds = roo::check_rules(f.at("e"));
  REQUIRE(has_code(ds, "roo-include", roo::Severity::error));
  CHECK(std::any_of(ds.begin(), ds.end(), [](const roo::Diagnostic& d) { return d.message.find("in all") != std::string::npos; }));
}
