#include "interpreter/core/hs.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using roo::HsCode;
using roo::HsRange;
using roo::HsSet;

namespace {

HsCode code(std::string_view text, int min_digits = 4) {
  std::string error;
  auto parsed = HsCode::parse(text, &error, min_digits);
  INFO("parsing '", std::string(text), "': ", error);
  REQUIRE(parsed.has_value());
  return *parsed;
}

// The error message for text that must be rejected.
std::string rejection(std::string_view text, int min_digits = 4) {
  std::string error;
  auto parsed = HsCode::parse(text, &error, min_digits);
  INFO("parsing '", std::string(text), "'");
  CHECK_FALSE(parsed.has_value());
  REQUIRE_FALSE(error.empty());
  CHECK(error.find('\n') == std::string::npos);
  CHECK(error.back() != '.');
  return error;
}

bool has(const std::string& haystack, std::string_view needle) {
  const bool found = haystack.find(needle) != std::string::npos;
  if (!found) MESSAGE("message was: ", haystack);
  return found;
}

HsRange range(std::string_view first, std::string_view last) {
  return HsRange{code(first), code(last)};
}

}  // namespace

TEST_CASE("HsCode parses the three spellings of a subheading") {
  const HsCode a = code("8501.52");
  const HsCode b = code("850152");
  CHECK(a == b);
  CHECK(a.length() == 6);
  CHECK(a.digits_value() == 850152u);
  CHECK(a.digits() == "850152");

  const HsCode c = code("8501 52 20");
  CHECK(c.length() == 8);
  CHECK(c.digits_value() == 85015220u);
  CHECK(c.subheading() == a);

  CHECK(code("85.01") == code("8501"));
  CHECK(code(" 8501.52.20.10 ").length() == 10);
  CHECK(code("8501. 52").length() == 6);
}

TEST_CASE("HsCode chapter, heading, subheading and truncation") {
  const HsCode c = code("8501.52.20.10");
  CHECK(c.chapter_number() == 85);
  CHECK(c.chapter().digits() == "85");
  CHECK(c.chapter().length() == 2);
  CHECK(c.heading().digits() == "8501");
  CHECK(c.subheading().digits() == "850152");
  CHECK(c.truncated(8).digits() == "85015220");
  CHECK(c.truncated(10) == c);
  CHECK(c.truncated(12) == c);

  const HsCode h = code("8501");
  CHECK(h.heading() == h);
  CHECK(h.subheading() == h);  // itself when shorter
  CHECK(h.chapter() == code("85", 2));

  CHECK(code("0101").chapter_number() == 1);
  CHECK(code("0101").digits() == "0101");
  CHECK(code("0101").digits_value() == 101u);
}

TEST_CASE("HsCode dotted form") {
  CHECK(code("85", 2).dotted() == "85");
  CHECK(code("8501").dotted() == "85.01");
  CHECK(code("850152").dotted() == "8501.52");
  CHECK(code("85015220").dotted() == "8501.52.20");
  CHECK(code("8501522010").dotted() == "8501.52.20.10");
  CHECK(code("0102.21").dotted() == "0102.21");
  CHECK(HsCode().dotted().empty());
}

TEST_CASE("HsCode 10-digit interval") {
  CHECK(code("7208").low10() == 7208000000u);
  CHECK(code("7208").high10() == 7208999999u);
  CHECK(code("72", 2).low10() == 7200000000u);
  CHECK(code("72", 2).high10() == 7299999999u);
  CHECK(code("7208.10").low10() == 7208100000u);
  CHECK(code("7208.10").high10() == 7208109999u);
  CHECK(code("7208101500").low10() == 7208101500u);
  CHECK(code("7208101500").high10() == 7208101500u);
  CHECK(code("0101").low10() == 101000000u);
}

TEST_CASE("HsCode contains") {
  CHECK(code("8501").contains(code("850152")));
  CHECK(code("8501").contains(code("8501")));
  CHECK(code("85", 2).contains(code("8501522010")));
  CHECK_FALSE(code("850152").contains(code("8501")));
  CHECK_FALSE(code("8501").contains(code("850210")));
  CHECK_FALSE(HsCode().contains(code("8501")));
  CHECK_FALSE(code("8501").contains(HsCode()));
}

TEST_CASE("HsCode rejects malformed text with a helpful message") {
  SUBCASE("wrong digit count") {
    const std::string e = rejection("85015");
    CHECK(has(e, "HS code '85015' has 5 digits; expected 4, 6, 8 or 10 digits"));
    CHECK(has(rejection("85"), "has 2 digits; expected 4, 6, 8 or 10 digits"));
    CHECK(has(rejection("850152201011"), "has 12 digits"));
    CHECK(has(rejection("8"), "has 1 digit;"));
    CHECK(has(rejection("8501.5"), "HS code '8501.5' has 5 digits"));
  }
  SUBCASE("nothing but separators") {
    CHECK(has(rejection(""), "HS code '' has no digits; expected 4, 6, 8 or 10 digits"));
    CHECK(has(rejection(" . . "), "has no digits"));
  }
  SUBCASE("other characters") {
    CHECK(has(rejection("85x1"), "HS code '85x1' contains 'x'; expected digits, dots and spaces"));
    CHECK(has(rejection("8501-52"), "contains '-'"));
    CHECK(has(rejection("8501,52"), "contains ','"));
    CHECK(has(rejection("x8501"), "contains 'x'"));
    CHECK(has(rejection("8501;"), "contains ';'"));
    CHECK(has(rejection("8501\t52"), "contains '\\t'"));
    CHECK(has(rejection("85\xc3\xa9"
                        "1"),
              "contains '\xc3\xa9'"));
    CHECK(has(rejection("HS 8501"), "contains 'H'"));
  }
  SUBCASE("chapter 00") {
    CHECK(has(rejection("0012"), "chapter 00; chapter numbers start at 01"));
    CHECK(has(rejection("00", 2), "chapter 00"));
  }
  SUBCASE("reserved chapter 77") {
    CHECK(has(rejection("7701"), "chapter 77 is reserved in the Harmonized System"));
    CHECK(has(rejection("77", 2), "chapter 77 is reserved in the Harmonized System"));
  }
  SUBCASE("chapters above 97") {
    CHECK(has(rejection("9801"), "HS code '9801' is in chapter 98; the Harmonized System ends at chapter 97"));
    CHECK(has(rejection("99", 2), "is in chapter 99; the Harmonized System ends at chapter 97"));
    CHECK(code("9701").chapter_number() == 97);
  }
  SUBCASE("heading 00") {
    CHECK(has(rejection("8500"), "heading 85.00 does not exist: heading numbers start at 01"));
    CHECK(has(rejection("850000"), "heading 85.00 does not exist: heading numbers start at 01"));
    CHECK(has(rejection("0100.10"), "heading 01.00 does not exist"));
    // A subheading 00 is fine: headings without subdivisions use it.
    CHECK(code("0501.00").dotted() == "0501.00");
  }
  SUBCASE("no error out-parameter") {
    CHECK_FALSE(HsCode::parse("85x1").has_value());
    CHECK(HsCode::parse("8501").has_value());
  }
}

TEST_CASE("HsCode min_digits") {
  CHECK(code("01", 2).chapter_number() == 1);
  CHECK(code("01", 2).length() == 2);
  CHECK(code("85", 2).dotted() == "85");
  CHECK(has(rejection("8501", 6), "expected 6, 8 or 10 digits"));
  CHECK(has(rejection("85015220", 10), "expected 10 digits"));
  CHECK(has(rejection("855", 2), "expected 2, 4, 6, 8 or 10 digits"));
  CHECK(code("850152", 6).length() == 6);
}

TEST_CASE("HsCode from_digits") {
  CHECK(HsCode::from_digits(850152, 6) == code("8501.52"));
  CHECK(HsCode::from_digits(101, 4) == code("0101"));
  CHECK_FALSE(HsCode::from_digits(850152, 5).valid());
  CHECK_FALSE(HsCode::from_digits(850152, 4).valid());  // too many digits for the length
  CHECK_FALSE(HsCode().valid());
  CHECK(HsCode().length() == 0);
}

TEST_CASE("HsCode ordering: by first line, then shorter first") {
  std::vector<HsCode> codes = {code("8502"),     code("850152"), code("85", 2), code("8501"),      code("850110"),
                               code("85010000"), code("850100"), code("0101"),  code("8501100010")};
  std::sort(codes.begin(), codes.end());
  std::vector<std::string> dotted;
  for (const HsCode& c : codes) dotted.push_back(c.dotted());
  const std::vector<std::string> expected = {"01.01",         "85",      "85.01", "8501.00", "8501.00.00", "8501.10",
                                             "8501.10.00.10", "8501.52", "85.02"};
  CHECK(dotted == expected);
  CHECK(code("8501") < code("850100"));
  CHECK(code("8501") != code("850100"));
  CHECK((code("8501") <=> code("85.01")) == std::strong_ordering::equal);
  CHECK(code("8501.99") < code("8502"));
}

TEST_CASE("HsRange containment") {
  const HsRange r = range("7208", "7217");
  CHECK(r.low10() == 7208000000u);
  CHECK(r.high10() == 7217999999u);
  CHECK(r.contains(code("7210.30")));
  CHECK(r.contains(code("7208")));
  CHECK(r.contains(code("7217.90.00.10")));
  CHECK_FALSE(r.contains(code("7218")));
  CHECK_FALSE(r.contains(code("7207.99")));
  CHECK_FALSE(r.contains(code("72", 2)));
  CHECK(r.overlaps(code("72", 2)));
  CHECK_FALSE(r.overlaps(code("7218")));
  CHECK_FALSE(r.overlaps(code("7207.99")));
  CHECK(r.dotted() == "72.08..72.17");
}

TEST_CASE("HsRange with endpoints of different lengths") {
  const HsRange r = range("841311", "841510");
  CHECK(r.low10() == 8413110000u);
  CHECK(r.high10() == 8415109999u);
  CHECK(r.contains(code("8413.11")));
  CHECK(r.contains(code("8413.19")));
  CHECK(r.contains(code("8414")));
  CHECK(r.contains(code("8415.10.90")));
  CHECK_FALSE(r.contains(code("8413")));  // 8413.10 lies before the range
  CHECK(r.overlaps(code("8413")));
  CHECK_FALSE(r.contains(code("8413.10")));
  CHECK_FALSE(r.contains(code("8415.20")));
  CHECK_FALSE(r.contains(code("8415")));
  CHECK(r.overlaps(code("8415")));
  CHECK(r.dotted() == "8413.11..8415.10");
}

TEST_CASE("HsSet merges overlapping and adjacent intervals") {
  HsSet s;
  CHECK(s.empty());
  s.add(code("7208"));
  s.add(code("7210"));
  REQUIRE(s.intervals().size() == 2);
  s.add(code("7209"));  // fills the gap: [7208..7210] as one interval
  REQUIRE(s.intervals().size() == 1);
  CHECK(s.intervals()[0].low == 7208000000u);
  CHECK(s.intervals()[0].high == 7210999999u);

  s.add(code("7209.15"));  // already inside
  CHECK(s.intervals().size() == 1);

  s.add(range("7205", "7207"));  // adjacent on the left
  CHECK(s.intervals().size() == 1);
  CHECK(s.intervals()[0].low == 7205000000u);

  s.add(code("7301"));
  s.add(code("7101"));
  CHECK(s.intervals().size() == 3);
  s.add(range("7102", "7301"));  // bridges everything
  REQUIRE(s.intervals().size() == 1);
  CHECK(s.intervals()[0].low == 7101000000u);
  CHECK(s.intervals()[0].high == 7301999999u);

  HsSet t;
  t.add(HsCode());                             // ignored
  t.add(HsRange{code("7210"), code("7208")});  // reversed: empty
  CHECK(t.empty());
}

TEST_CASE("HsSet contains versus overlaps") {
  HsSet s;
  s.add(range("7208", "7210"));
  CHECK(s.contains(code("720810")));
  CHECK(s.contains(code("7209")));
  CHECK(s.overlaps(code("72", 2)));
  CHECK_FALSE(s.contains(code("72", 2)));
  CHECK_FALSE(s.contains(code("7211")));
  CHECK_FALSE(s.overlaps(code("7211")));
  CHECK_FALSE(s.overlaps(code("7207.99")));
  CHECK_FALSE(s.contains(HsCode()));
  CHECK_FALSE(s.overlaps(HsCode()));
  CHECK_FALSE(HsSet().contains(code("7208")));
  CHECK_FALSE(HsSet().overlaps(code("7208")));

  HsSet other;
  other.add(code("7211"));
  CHECK_FALSE(s.overlaps(other));
  other.add(code("7210.70"));
  CHECK(s.overlaps(other));
  CHECK(other.overlaps(s));
  CHECK_FALSE(s.overlaps(HsSet()));

  HsSet both = s;
  both.add(other);  // 7208..7210 plus 7211: one interval
  REQUIRE(both.intervals().size() == 1);
  CHECK(both.contains(code("7211.14")));
}

namespace {

// A random code in chapters 84..85 so that neighbours are common.
HsCode random_code(std::mt19937_64& rng, int min_length) {
  std::uniform_int_distribution<int> chapter(84, 85);
  std::uniform_int_distribution<int> heading(1, 30);
  std::uniform_int_distribution<int> pair(0, 9);  // few pairs: many neighbours
  std::uniform_int_distribution<int> length(min_length / 2, 5);
  const int len = length(rng) * 2;
  std::uint64_t digits = static_cast<std::uint64_t>(chapter(rng));
  if (len >= 4) digits = digits * 100 + static_cast<std::uint64_t>(heading(rng));
  for (int n = 6; n <= len; n += 2) digits = digits * 100 + static_cast<std::uint64_t>(pair(rng));
  return HsCode::from_digits(digits, len);
}

bool intersect(const HsCode& a, const HsCode& b) {
  return a.low10() <= b.high10() && b.low10() <= a.high10();
}

}  // namespace

TEST_CASE("HsSet binary search agrees with a brute-force scan") {
  std::mt19937_64 rng(20240607);
  std::vector<HsCode> inserted;
  int attempts = 0;
  while (inserted.size() < 500 && attempts < 200000) {
    ++attempts;
    const HsCode c = random_code(rng, 4);
    bool clash = false;
    for (const HsCode& x : inserted) clash = clash || intersect(x, c);
    if (!clash) inserted.push_back(c);
  }
  REQUIRE(inserted.size() == 500);

  HsSet one_by_one;
  for (const HsCode& c : inserted) one_by_one.add(c);

  // The same set built from two halves joined with add(HsSet).
  HsSet left, right;
  for (std::size_t i = 0; i < inserted.size(); ++i) (i % 2 ? left : right).add(inserted[i]);
  left.add(right);

  const auto& iv = one_by_one.intervals();
  REQUIRE(iv.size() == left.intervals().size());
  for (std::size_t i = 0; i < iv.size(); ++i) {
    CHECK(iv[i].low == left.intervals()[i].low);
    CHECK(iv[i].high == left.intervals()[i].high);
    CHECK(iv[i].low <= iv[i].high);
    if (i > 0) CHECK(iv[i - 1].high + 1 < iv[i].low);  // sorted, disjoint, not touching
  }
  CHECK(iv.size() < inserted.size());  // some neighbours were merged
  CHECK(iv.size() > 50);               // and binary search has something to search

  std::vector<HsCode> queries = inserted;
  for (int i = 0; i < 3000; ++i) queries.push_back(random_code(rng, 2));
  int contained = 0, overlapping = 0;
  for (const HsCode& q : queries) {
    // Brute force: the inserted codes are disjoint, so q is covered exactly
    // when the lines they share with q add up to all of q's lines.
    std::uint64_t covered = 0;
    bool any = false;
    for (const HsCode& x : inserted) {
      if (!intersect(x, q)) continue;
      any = true;
      covered += std::min(x.high10(), q.high10()) - std::max(x.low10(), q.low10()) + 1;
    }
    const bool expect_contains = covered == q.high10() - q.low10() + 1;
    INFO("query ", q.dotted());
    CHECK(one_by_one.contains(q) == expect_contains);
    CHECK(one_by_one.overlaps(q) == any);
    contained += expect_contains;
    overlapping += any;

    HsSet single;
    single.add(q);
    CHECK(one_by_one.overlaps(single) == any);
  }
  CHECK(contained > 500);          // every inserted code, and then some
  CHECK(overlapping > contained);  // the test exercises both outcomes
  CHECK(overlapping < static_cast<int>(queries.size()));
}
