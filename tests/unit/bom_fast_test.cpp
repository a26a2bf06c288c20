// The fast path of the JSON BOM reader against the located reader: on every
// BOM of the repository (examples, golden corpora, the BOMs of the agreements'
// test cases), their truncations and single-byte changes, the fast path either
// declines or gives exactly the BOM the located reader gives without any
// diagnostic.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/json/json.hpp"

namespace {

std::string slurp(const std::filesystem::path& path) {
  std::string error;
  auto text = roo::read_file(path.string(), roo::max_bom_bytes, error);
  REQUIRE_MESSAGE(text, error);
  return *text;
}

// Every BOM text of the repository: whole files, JSON Lines records, and the
// "bom" members of the test cases, cut out of their files as written.
std::vector<std::string> corpus() {
  namespace fs = std::filesystem;
  const fs::path root = ROO_SOURCE_DIR;
  std::vector<std::string> out;
  for (const char* dir : {"examples", "tests/bom/ok", "tests/bom/bad"}) {
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      std::string name = entry.path().filename().string();
      if (name.ends_with(".json")) out.push_back(slurp(entry.path()));
      if (name.ends_with(".jsonl")) {
        std::string text = slurp(entry.path());
        std::size_t start = 0;
        while (start < text.size()) {
          std::size_t end = text.find('\n', start);
          if (end == std::string::npos) end = text.size();
          out.push_back(text.substr(start, end - start));
          start = end + 1;
        }
      }
    }
  }
  for (const char* file : {"rules/uk-eu-tca.test.json", "rules/cptpp.test.json"}) {
    std::string text = slurp(root / file);
    auto parsed = roo::json::parse(text);
    REQUIRE(parsed.value);
    const auto* cases = parsed.value->find("cases");
    REQUIRE(cases);
    for (const auto& c : cases->items)
      if (const auto* bom = c.find("bom")) out.push_back(text.substr(bom->offset, bom->end - bom->offset));
  }
  return out;
}

// True when the fast path read `text`; fails the test when it disagrees.
bool agrees(const std::string& text) {
  auto fast = roo::read_bom_json_fast(text, 3);
  if (!fast) return false;
  auto located = roo::read_bom_json_located(text, "t.json", 3);
  INFO(text);
  REQUIRE(located.bom);
  CHECK(located.diagnostics.empty());
  CHECK(*fast == *located.bom);
  return true;
}

}  // namespace

TEST_CASE("bom json fast path: declines or agrees with the located reader") {
  auto texts = corpus();
  REQUIRE(texts.size() > 150);
  std::size_t read = 0, variants = 0, variants_read = 0;
  for (const auto& text : texts) {
    if (agrees(text)) ++read;
    // Truncations and single-byte changes (every 5th place, to keep the test quick).
    for (std::size_t i = 0; i < text.size(); i += 5) {
      ++variants;
      variants_read += agrees(text.substr(0, i));
      for (char c : {'"', '}', ']', ',', '0', 'x', '\\', ' ', '\n', '\x80'}) {
        std::string changed = text;
        changed[i] = c;
        ++variants;
        variants_read += agrees(changed);
      }
    }
  }
  // Most BOMs of the repository are clean, and a change in a figure, a name or
  // the spacing often leaves a BOM that is still clean: both paths are exercised.
  CHECK(read > texts.size() / 2);
  CHECK(variants_read > 1000);
  MESSAGE(read << " of " << texts.size() << " BOMs and " << variants_read << " of " << variants
                << " variants read by the fast path");
}

TEST_CASE("bom json fast path: what it leaves to the located reader") {
  const std::string clean = R"({"currency":"EUR","product":{"hs":"8501.52","ex_works":"10"},"materials":[{"hs":"8503.00","value":"1"}]})";
  CHECK(roo::read_bom_json_fast(clean));
  // Escapes, non-ASCII text and a byte order mark: valid, read by the located reader.
  for (std::string text : {
           std::string(R"({"currency":"EUR","product":{"hs":"8501.52","description":"a \"b\""}})"),
           std::string("{\"currency\":\"EUR\",\"product\":{\"hs\":\"8501.52\",\"description\":\"caf\xc3\xa9\"}}"),
           std::string("\xef\xbb\xbf") + clean,
       }) {
    INFO(text);
    CHECK_FALSE(roo::read_bom_json_fast(text));
    auto full = roo::read_bom_json(text, "t.json");
    CHECK(full.bom);
    CHECK(full.diagnostics.empty());
  }
  // null, an unknown field, an unknown process, a repeated member: reported.
  for (std::string text : {
           std::string(R"({"currency":null,"product":{"hs":"8501.52"}})"),
           std::string(R"({"product":{"hs":"8501.52","colour":"red"}})"),
           std::string(R"({"product":{"hs":"8501.52","processes":["welding"]}})"),
           std::string(R"({"product":{"hs":"8501.52"},"product":{"hs":"8501.52"}})"),
       }) {
    INFO(text);
    CHECK_FALSE(roo::read_bom_json_fast(text));
    CHECK_FALSE(roo::read_bom_json(text, "t.json").diagnostics.empty());
  }
}
