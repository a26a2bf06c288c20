// Properties of determinations over generated BOMs (seeded, deterministic):
//  P1 proving one more material originating never takes an originating
//     verdict away;
//  P2 a product exactly at a MaxNOM threshold passes "<=" and fails "<", and
//     one cent over fails "<=";
//  P3 `roo batch` gives the same results as `roo determine`, BOM by BOM.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/workload.hpp"
#include "eval_support.hpp"
#include "interpreter/json/json.hpp"

namespace {

using roo::DetermineOptions;
using roo::Status;
using namespace roo::test;

// The benchmark's generator: the same sequence on every platform.
using roo::bench::Rng;

using roo::bench::cents_text;  // 12345 -> "123.45"

// "M3" and the like.
std::string numbered(char prefix, std::int64_t n) {
  std::string out(1, prefix);
  out += std::to_string(n);
  return out;
}

struct GenMaterial {
  std::string id;
  std::string hs;  // six digits
  std::int64_t value = 0;  // cents
  bool originating = false;
};

struct GenBom {
  std::string id;
  std::string hs;
  std::int64_t ex_works = 0;  // cents
  std::vector<GenMaterial> materials;

  std::string json() const {
    std::string m = "[";
    for (std::size_t i = 0; i < materials.size(); ++i) {
      const auto& x = materials[i];
      if (i) m += ',';
      m += R"({"id":")" + x.id + R"(","hs":")" + x.hs + R"(","value":")" + cents_text(x.value) + R"(","origin":")" +
           (x.originating ? "DE" : "CN") + R"(","originating":)" + (x.originating ? "true" : "false") + "}";
    }
    m += ']';
    std::string out = R"({"format":"roo-bom/1","currency":"EUR","date":"2026-06-01","product":{"id":")" + id +
                      R"(","hs":")" + hs + R"(","produced_in":"GB","ex_works":")" + cents_text(ex_works) +
                      R"(","processes":["assembly"]},"materials":)" + m + "}";
    return out;
  }
};

// Tariff shifts at three levels, exceptions, MaxNOM alternatives and caps,
// and a 10% tolerance for every chapter.
constexpr std::string_view property_rules = R"roo(import std

criterion maxnom_below(limit: percent, base: money = price) reports nom
  "the value of all the non-originating materials used is less than {limit} of the {base}" =
  vnm(materials) < limit of base

agreement "Property test agreement" {
  parties    GB, EU
  basis      ex_works
  cumulation bilateral with GB, EU
  tolerance  10% of ex_works
  origin_criterion psr "B"
  origin_criterion tolerance "T"

  chapter 72:          CC except headings 7401..7403
  chapter 73:          CTH or maxnom(37.5%)
  heading 7408:        CTSH except headings 7208..7217 or maxnom(45%)
  heading 8501:        CTH except heading 8503 or maxnom(50%)
  heading 8502:        CTSH or maxnom(40%)
  headings 8503..8504: CTH and maxnom(60%)
  heading 8505:        CC or CTH and maxnom(30%)
  heading 8506:        maxnom(35%)
  heading 8507:        maxnom_below(35%)
  heading 8508:        maxnom(12.5%)
  heading 8509:        maxnom_below(12.5%)
}
)roo";

const roo::Program& property_program() {
  static auto p = program_from(property_rules, "prop-agreement");
  return *p;
}

const std::vector<std::string> product_headings = {"7208", "7304", "7318", "7408", "8501", "8502", "8503", "8504", "8505"};
const std::vector<std::string> material_headings = {"7208", "7210", "7216", "7304", "7318", "7401", "7403", "7408",
                                                    "8501", "8502", "8503", "8504", "8505", "8544", "3907", "4016"};

std::string subheading(Rng& rng, const std::string& heading) {
  static const char* subs[] = {"10", "11", "19", "20", "90"};
  return heading + subs[rng.below(5)];
}

GenBom generate(Rng& rng, int n) {
  GenBom b;
  b.id = numbered('G', n);
  b.hs = subheading(rng, product_headings[rng.below(product_headings.size())]);
  int count = static_cast<int>(rng.range(1, 6));
  std::int64_t total = 0;
  for (int i = 0; i < count; ++i) {
    GenMaterial m;
    m.id = numbered('M', i + 1);
    // Often the product's own heading, so that shifts fail and tolerances matter.
    m.hs = rng.chance(25, 100) ? subheading(rng, b.hs.substr(0, 4)) : subheading(rng, material_headings[rng.below(material_headings.size())]);
    m.value = rng.chance(30, 100) ? rng.range(1, 12000) : rng.range(1, 60000);
    m.originating = rng.chance(40, 100);
    total += m.value;
    b.materials.push_back(m);
  }
  b.ex_works = total + rng.range(0, total + 20000);
  return b;
}

roo::Determination determine_gen(const GenBom& b) {
  DetermineOptions options;
  options.explain = roo::Explain::none;
  return run(property_program(), b.json(), options);
}

TEST_CASE("P1: proving one more material originating never takes an originating verdict away") {
  Rng rng(20260601);
  int flips = 0, statuses[4] = {0, 0, 0, 0};
  for (int n = 0; n < 400; ++n) {
    GenBom b = generate(rng, n);
    auto d = determine_gen(b);
    ++statuses[static_cast<int>(d.status)];
    REQUIRE_MESSAGE(d.status != Status::error, b.json());
    if (d.status != Status::originating) continue;
    for (std::size_t i = 0; i < b.materials.size(); ++i) {
      if (b.materials[i].originating) continue;
      GenBom c = b;
      c.materials[i].originating = true;
      auto e = determine_gen(c);
      ++flips;
      CHECK_MESSAGE(e.status == Status::originating, c.json(), "\n", all_messages(e));
    }
  }
  // The generator exercises every verdict, and the property many times.
  CHECK(statuses[static_cast<int>(Status::originating)] > 80);
  CHECK(statuses[static_cast<int>(Status::not_originating)] > 80);
  CHECK(flips > 200);
}

TEST_CASE("P1: tolerance is exercised by the generated BOMs") {
  Rng rng(20260601);
  int with_tolerance = 0;
  for (int n = 0; n < 400; ++n) {
    auto d = determine_gen(generate(rng, n));
    if (d.figures.tolerance_used) {
      ++with_tolerance;
      CHECK(d.origin_criterion == "T");
    }
  }
  CHECK(with_tolerance > 10);
}

// A product of `heading` whose non-originating materials total exactly
// `limit_percent`% of its ex-works price (limit_percent * 10 given, to keep 12.5 exact).
GenBom at_threshold(Rng& rng, const std::string& heading, std::int64_t limit_tenths, int n) {
  GenBom b;
  b.id = numbered('T', n);
  b.hs = subheading(rng, heading);
  // A multiple of 40 cents, so that 35% and 12.5% of it are whole cents.
  b.ex_works = 40 * rng.range(25, 250000);
  std::int64_t threshold = b.ex_works * limit_tenths / 1000;
  REQUIRE(threshold * 1000 == b.ex_works * limit_tenths);
  int parts = static_cast<int>(std::min<std::int64_t>(rng.range(1, 5), threshold));
  std::int64_t left = threshold;
  for (int i = 0; i < parts; ++i) {
    GenMaterial m;
    m.id = numbered('N', i + 1);
    m.hs = subheading(rng, material_headings[rng.below(material_headings.size())]);
    m.value = i + 1 == parts ? left : rng.range(1, left - (parts - i - 1));
    left -= m.value;
    b.materials.push_back(m);
  }
  for (int i = 0, k = static_cast<int>(rng.below(3)); i < k; ++i) {
    GenMaterial m;
    m.id = numbered('O', i + 1);
    m.hs = subheading(rng, material_headings[rng.below(material_headings.size())]);
    m.value = rng.range(1, b.ex_works - threshold);
    m.originating = true;
    b.materials.push_back(m);
  }
  return b;
}

TEST_CASE("P2: exactly at a MaxNOM threshold passes <= and fails <; one cent over fails <=") {
  Rng rng(7);
  struct Case {
    std::string le, lt;
    std::int64_t tenths;
    std::string shown;
  };
  const Case cases[] = {{"8506", "8507", 350, "35.00"}, {"8508", "8509", 125, "12.50"}};
  for (int n = 0; n < 300; ++n) {
    const Case& c = cases[n % 2];
    GenBom b = at_threshold(rng, c.le, c.tenths, n);
    auto at = determine_gen(b);
    CHECK_MESSAGE(at.status == Status::originating, b.json());
    CHECK(figure_text(at.figures.nom_percent) == c.shown);
    REQUIRE(!at.figures.by_criterion.empty());
    CHECK(figure(at.figures.by_criterion[0].figures, "headroom") == "0.00");

    GenBom strict = b;
    strict.hs = c.lt + b.hs.substr(4);
    auto lt = determine_gen(strict);
    CHECK_MESSAGE(lt.status == Status::not_originating, strict.json());
    CHECK(figure_text(lt.figures.nom_percent) == c.shown);

    GenBom over = b;
    std::size_t k = rng.below(over.materials.size());
    over.materials[k].value += 1;  // a cent more, non-originating or originating
    bool more_nom = !over.materials[k].originating;
    auto o = determine_gen(over);
    if (more_nom) {
      CHECK_MESSAGE(o.status == Status::not_originating, over.json());
      CHECK(figure(o.figures.by_criterion[0].figures, "headroom") == "-0.01");
      // The headline percentage is shown on its side of the limit.
      auto shown = roo::Decimal::parse(figure_text(o.figures.nom_percent).value_or("0"));
      REQUIRE(shown);
      CHECK(*shown > *roo::Decimal::parse(c.shown));
    } else {
      CHECK(o.status == Status::originating);
    }

    GenBom under = b;
    bool less = false;
    for (auto& m : under.materials)
      if (!m.originating && m.value > 1 && !less) {
        m.value -= 1;
        less = true;
      }
    if (less) {
      auto u = determine_gen(under);
      CHECK(u.status == Status::originating);
      strict = under;
      strict.hs = c.lt + b.hs.substr(4);
      CHECK(determine_gen(strict).status == Status::originating);
    }
  }
}

// ---- P3: roo batch against roo determine ------------------------------------

std::string read_all(FILE* f) {
  std::string out;
  char buffer[4096];
  std::size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, got);
  return out;
}

// Runs a shell command; its standard output.
std::string capture(const std::string& command, int& status) {
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string out = read_all(pipe);
  status = pclose(pipe);
  return out;
}

// A determination's JSON without its "line" member.
std::string without_line(std::string json) {
  auto at = json.find(",\"line\":");
  if (at != std::string::npos) json.erase(at, json.find(',', at + 1) - at);
  return json;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

TEST_CASE("P3: roo batch gives the same results as roo determine, BOM by BOM") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("roo-property-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path rules = dir / "prop-agreement.roo";
  std::ofstream(rules) << property_rules;
  auto loaded = roo::load_program(rules.string());
  REQUIRE(loaded.program);

  Rng rng(42);
  std::vector<std::string> boms;
  for (int n = 0; n < 30; ++n) boms.push_back(generate(rng, n).json());
  // A line that cannot be read gets an error result, and the run goes on.
  std::size_t bad_line = 17;
  std::string input;
  for (std::size_t i = 0; i < boms.size(); ++i) {
    if (i + 1 == bad_line) input += "{\"product\": {\"hs\": \"85\"}\n";
    input += boms[i] + "\n";
  }
  fs::path jsonl = dir / "input.jsonl";
  std::ofstream(jsonl, std::ios::binary) << input;

  const std::string roo = ROO_BINARY;
  int status = 0;
  std::string batch = capture(shell_quote(roo) + " batch --rules " + shell_quote(rules.string()) + " < " + shell_quote(jsonl.string()),
                              status);
  CHECK(WEXITSTATUS(status) == 1);  // one line got an error result
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = batch.find('\n', at)) != std::string::npos; at = end + 1) lines.push_back(batch.substr(at, end - at));
  REQUIRE(lines.size() == boms.size() + 1);

  auto bad = roo::json::parse(lines[bad_line - 1]);
  REQUIRE(bad.value);
  CHECK(bad.value->find("status")->text == "error");
  CHECK(bad.value->find("line")->text == std::to_string(bad_line));

  std::size_t line = 0;
  for (std::size_t i = 0; i < boms.size(); ++i) {
    ++line;
    if (line == bad_line) ++line;
    const std::string& from_batch = lines[line - 1];
    auto parsed = roo::json::parse(from_batch);
    REQUIRE(parsed.value);
    CHECK(parsed.value->find("line")->text == std::to_string(line));

    fs::path file = dir / ("bom-" + std::to_string(i) + ".json");
    std::ofstream(file, std::ios::binary) << boms[i];
    std::string one = capture(shell_quote(roo) + " determine --format json --rules " + shell_quote(rules.string()) + " " +
                                  shell_quote(file.string()),
                              status);
    CHECK(WEXITSTATUS(status) == 0);
    REQUIRE(!one.empty());
    one.pop_back();  // the newline
    CHECK_MESSAGE(without_line(from_batch) == one, boms[i]);
    // And the library agrees with both.
    CHECK(roo::to_json(run(*loaded.program, boms[i]), roo::Explain::full) == one);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
