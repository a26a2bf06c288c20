// Tests for roo::Decimal (interpreter/core/decimal.hpp).
#include "interpreter/core/decimal.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace roo {
// Test-only view of the representation (the header befriends DecimalAccess).
struct DecimalAccess {
  static bool is_big(const Decimal& d) { return d.big_ != nullptr; }
};
}  // namespace roo

namespace {

using roo::Decimal;
using roo::DecimalAccess;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Decimal D(std::string_view text) {
  std::string error;
  auto d = Decimal::parse(text, &error);
  INFO("text: ", std::string(text), " error: ", error);
  REQUIRE(d.has_value());
  CHECK(error.empty());
  return *d;
}

std::string parse_error(std::string_view text, bool allow_exponent = true) {
  std::string error;
  auto d = Decimal::parse(text, &error, allow_exponent);
  INFO("text: ", std::string(text));
  CHECK_FALSE(d.has_value());
  return error;
}

std::string S(const Decimal& d) {
  return d.to_string();
}

bool is_big(const Decimal& d) {
  return DecimalAccess::is_big(d);
}

std::string repeat(char c, std::size_t n) {
  return std::string(n, c);
}

}  // namespace

TEST_CASE("decimal: construction and to_string keep the written scale") {
  CHECK(S(Decimal()) == "0");
  CHECK(Decimal().scale() == 0);
  CHECK(S(Decimal::from_int(42)) == "42");
  CHECK(S(Decimal::from_int(-7)) == "-7");
  CHECK(S(Decimal::from_int(kMin)) == "-9223372036854775808");
  CHECK(S(Decimal::from_int(kMax)) == "9223372036854775807");
  CHECK(S(Decimal::from_scaled(104000, 2)) == "1040.00");
  CHECK(Decimal::from_scaled(104000, 2).scale() == 2);
  CHECK(S(Decimal::from_scaled(4000, 2)) == "40.00");
  CHECK(S(Decimal::from_scaled(-5, 1)) == "-0.5");
  CHECK(S(Decimal::from_scaled(5, 3)) == "0.005");
  CHECK(S(Decimal::from_scaled(0, 2)) == "0.00");
  CHECK(S(Decimal::from_scaled(kMin, 19)) == "-0.9223372036854775808");
  CHECK(S(Decimal::from_scaled(15, -2)) == "1500");
  CHECK(S(Decimal::from_scaled(kMax, -2)) == "922337203685477580700");
  CHECK(is_big(Decimal::from_scaled(kMax, -2)));
}

TEST_CASE("decimal: parse and to_string round trip") {
  for (const char* text : {"1040.00", "1040", "-0.5", "0", "0.00", "12.345", "-12.345", "0.001", "9223372036854775807",
                           "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                           "123456789012345678901234567890123456789",
                           "-123456789012345678901234567890123456789.1234567890123456789012345678901234567890",
                           "0.0000000000000000000000000000000000000001"}) {
    CHECK(S(D(text)) == text);
  }
  CHECK(S(D("+3")) == "3");
  CHECK(S(D("-0")) == "0");
  CHECK(S(D("-0.00")) == "0.00");
  CHECK(D("-0.00").sign() == 0);
  CHECK(S(D("007.5")) == "7.5");
  CHECK(S(D("-000")) == "0");
  CHECK(S(D("0.50")) == "0.50");
  CHECK(D("1040.00").scale() == 2);
  CHECK(D("1040").scale() == 0);
  // The error string is left alone on success.
  std::string error = "untouched";
  CHECK(Decimal::parse("1.5", &error).has_value());
  CHECK(error == "untouched");
  CHECK(Decimal::parse("1.5").has_value());
  CHECK_FALSE(Decimal::parse("1.5.").has_value());
}

TEST_CASE("decimal: exponent forms move the point") {
  CHECK(S(D("1e3")) == "1000");
  CHECK(D("1e3").scale() == 0);
  CHECK(S(D("1.5e2")) == "150");
  CHECK(D("1.5e2").scale() == 0);
  CHECK(S(D("15e-3")) == "0.015");
  CHECK(D("15e-3").scale() == 3);
  CHECK(S(D("2.5E-2")) == "0.025");
  CHECK(S(D("1E+2")) == "100");
  CHECK(S(D("-1.25e1")) == "-12.5");
  CHECK(S(D("1.50e1")) == "15.0");
  CHECK(S(D("0e5")) == "0");
  CHECK(S(D("0.0e-2")) == "0.000");
  CHECK(S(D("1e0")) == "1");
  CHECK(S(D("1e39")) == "1" + repeat('0', 39));
  CHECK(is_big(D("1e39")));
  CHECK(S(D("1e-40")) == "0." + repeat('0', 39) + "1");
  CHECK(S(D("12345e-40")) == "0." + repeat('0', 35) + "12345");
  CHECK(S(D("0.001e3")) == "1");
  CHECK(D("0.001e3").scale() == 0);

  std::string error = parse_error("1e3", /*allow_exponent=*/false);
  CHECK(error == "exponent notation is not accepted here");
  error = parse_error("2.5E-2", false);
  CHECK_FALSE(error.empty());
  std::string ok_error;
  CHECK(S(*Decimal::parse("2.5", &ok_error, false)) == "2.5");
}

TEST_CASE("decimal: malformed text is rejected with a one-line reason") {
  for (const char* text :
       {".5",   "5.",    "1,000.00", " 1",  "1 ",  "",     "-",     "+",   "inf",      "nan",   "-inf",
        "0x10", "1e",    "1e+",      "1e-", "e5",  "1..2", "1.2.3", "--1", "+-1",      "1e5.0", "1.e5",
        "-.5",  "1_000", "١",        "1\n", "\t1", "1e 5", "12a",   "NaN", "Infinity", "1.5f",  "$1"}) {
    const std::string error = parse_error(text);
    INFO("text: '", text, "' error: ", error);
    CHECK_FALSE(error.empty());
    CHECK(error.find('\n') == std::string::npos);
    CHECK(error.back() != '.');
    CHECK(error.front() >= 'a');
    CHECK(error.front() <= 'z');
  }
  CHECK(parse_error("") == "expected a number, found empty text");
  CHECK(parse_error("-") == "expected a digit after the sign");
  CHECK(parse_error(".5") == "expected a digit before '.'");
  CHECK(parse_error("5.") == "expected a digit after '.'");
  CHECK(parse_error("1e") == "expected a digit in the exponent");
  CHECK(parse_error("1e+") == "expected a digit in the exponent");
  CHECK(parse_error(" 1") == "expected a digit, found a space");
  CHECK(parse_error("1 ") == "unexpected a space in number");
  CHECK(parse_error("inf") == "expected a digit, found 'i'");
  CHECK(parse_error("0x10") == "unexpected 'x' in number");
  CHECK(parse_error("1\n") == "unexpected byte 0x0a in number");
  CHECK(parse_error("1,000.00") == "unexpected ',' in number (thousands separators are not accepted)");
  // No error pointer: just nullopt.
  CHECK_FALSE(Decimal::parse("abc").has_value());
}

TEST_CASE("decimal: digit limits") {
  const std::string forty = "1" + repeat('2', 39);
  CHECK(S(D(forty)) == forty);
  CHECK(S(D("-" + forty + "." + repeat('9', 40))) == "-" + forty + "." + repeat('9', 40));
  CHECK(parse_error(forty + "3") == "number has 41 digits before the point; at most 40 are accepted");
  CHECK(parse_error(repeat('9', 45)) == "number has 45 digits before the point; at most 40 are accepted");
  CHECK(parse_error("0." + repeat('0', 40) + "1") == "number has 41 digits after the point; at most 40 are accepted");
  CHECK(parse_error("1." + repeat('0', 41)) == "number has 41 digits after the point; at most 40 are accepted");
  // Leading zeros are not significant.
  CHECK(S(D(repeat('0', 60) + "1.5")) == "1.5");
  // Limits apply after the exponent.
  CHECK(parse_error("1e40") == "number has 41 digits before the point; at most 40 are accepted");
  CHECK(parse_error("1e-41") == "number has 41 digits after the point; at most 40 are accepted");
  CHECK(parse_error("0.5e-40") == "number has 41 digits after the point; at most 40 are accepted");
  CHECK(parse_error(repeat('1', 30) + "e11") == "number has 41 digits before the point; at most 40 are accepted");
  CHECK(S(D(repeat('1', 30) + "e10")) == repeat('1', 30) + repeat('0', 10));
  // A long mantissa can be brought into range by the exponent.
  CHECK(S(D(repeat('1', 50) + "e-20")) == repeat('1', 30) + "." + repeat('1', 20));

  // Huge exponents are rejected without overflow and without expanding them:
  // a reader that materialised 10^12 digits would run out of memory or never
  // finish (ctest's timeout is the hang guard). No wall-clock check here: how
  // long these take depends on the machine and its load, not on the code.
  CHECK(parse_error("1e999999999999") == "number has 1000000000000 digits before the point; at most 40 are accepted");
  CHECK(parse_error("1e-999999999999") == "number has 999999999999 digits after the point; at most 40 are accepted");
  CHECK(parse_error("1e" + repeat('9', 10000)) == "exponent is out of range");
  CHECK(parse_error("1e-" + repeat('9', 10000)) == "exponent is out of range");
  CHECK(parse_error("0e99999999999999999999") == "exponent is out of range");
  CHECK(parse_error(repeat('7', 100000)) == "number has 100000 digits before the point; at most 40 are accepted");
}

TEST_CASE("decimal: addition is exact and keeps the larger scale") {
  CHECK(D("0.1") + D("0.2") == D("0.3"));
  CHECK(S(D("0.1") + D("0.2")) == "0.3");
  CHECK(S(D("1.5") + D("2.25")) == "3.75");
  CHECK(D("1.5") + D("2.25") == D("3.75"));
  CHECK(S(D("1.50") + D("2")) == "3.50");
  CHECK(S(D("1040.00") - D("40")) == "1000.00");
  CHECK(S(D("1.00") - D("1")) == "0.00");
  CHECK((D("1.00") - D("1")).is_zero());
  CHECK(S(D("1") - D("1.25")) == "-0.25");
  CHECK(S(D("-1.25") + D("0.25")) == "-1.00");

  Decimal total;
  const Decimal cent = D("0.01");
  for (int i = 0; i < 100000; ++i) total += cent;
  CHECK(S(total) == "1000.00");
  for (int i = 0; i < 100000; ++i) total -= cent;
  CHECK(S(total) == "0.00");

  Decimal x = D("10");
  const Decimal& same = x;
  x += same;  // self-aliasing
  CHECK(S(x) == "20");
  x -= same;
  CHECK(S(x) == "0");
}

TEST_CASE("decimal: multiplication adds scales") {
  CHECK(S(D("1.5") * D("2.0")) == "3.00");
  CHECK(D("1.5") * D("2.0") == D("3"));
  CHECK(S(D("-1.5") * D("-1.5")) == "2.25");
  CHECK(S(D("-1.5") * D("2")) == "-3.0");
  CHECK(S(D("0.1") * D("0.1")) == "0.01");
  CHECK(S(D("1040.00") * D("0.40")) == "416.0000");
  CHECK(S(D("0") * D("-3.5")) == "0.0");
}

TEST_CASE("decimal: comparisons compare values") {
  CHECK(D("1.0") == D("1.00"));
  CHECK(D("1.0") == D("1"));
  CHECK(D("-0.0") == D("0"));
  CHECK(D("1.01") > D("1.0"));
  CHECK(D("-1.01") < D("-1.0"));
  CHECK(D("-5") < D("0.001"));
  CHECK(D("0") < D("0.001"));
  CHECK(D("2") != D("2.0001"));
  CHECK((D("3.10") <=> D("3.1")) == std::strong_ordering::equal);
  CHECK((D("3.11") <=> D("3.1")) == std::strong_ordering::greater);
  CHECK((D("-3.11") <=> D("3.1")) == std::strong_ordering::less);
  CHECK(D("7").compare(D("7.000")) == 0);
  CHECK(D("7").compare(D("7.001")) == -1);
  CHECK(D("7.001").compare(D("7")) == 1);

  // Scale alignment overflowing int64 in the small path.
  const Decimal almost_ten = Decimal::from_scaled(kMax, 18);  // 9.223...
  CHECK(Decimal::from_int(5) < almost_ten);
  CHECK(Decimal::from_int(10) > almost_ten);
  CHECK(almost_ten < Decimal::from_int(10));
  CHECK(-Decimal::from_int(10) < -almost_ten);
  CHECK(-almost_ten > -Decimal::from_int(10));
  CHECK(Decimal::from_int(1) > Decimal::from_scaled(1, 40));
  CHECK(Decimal::from_scaled(1, 40) < Decimal::from_int(1));
  CHECK(Decimal::from_scaled(1, 40) > Decimal::from_scaled(-1, 20));

  std::vector<Decimal> values = {D("3"), D("-1.5"), D("1e30"), D("0.25"), D("-1e30"), D("0")};
  std::sort(values.begin(), values.end());
  std::vector<std::string> sorted;
  for (const auto& v : values) sorted.push_back(S(v));
  CHECK(sorted == std::vector<std::string>{"-1" + repeat('0', 30), "-1.5", "0", "0.25", "3", "1" + repeat('0', 30)});
}

TEST_CASE("decimal: sign queries") {
  CHECK(D("0.00").is_zero());
  CHECK_FALSE(D("0.00").is_negative());
  CHECK(D("0.00").sign() == 0);
  CHECK(D("-0.01").is_negative());
  CHECK(D("-0.01").sign() == -1);
  CHECK(D("0.01").sign() == 1);
  CHECK_FALSE(D("0.01").is_zero());
  CHECK(D("1" + repeat('0', 30)).sign() == 1);
  CHECK(D("-1" + repeat('0', 30)).sign() == -1);
  CHECK_FALSE(D("-1" + repeat('0', 30)).is_zero());
  CHECK(D("-1" + repeat('0', 30)).is_negative());
}

TEST_CASE("decimal: negation") {
  CHECK(S(-D("1.50")) == "-1.50");
  CHECK(S(-D("-1.50")) == "1.50");
  CHECK(S(-D("0.00")) == "0.00");
  const Decimal min = Decimal::from_int(kMin);
  CHECK(S(-min) == "9223372036854775808");
  CHECK(is_big(-min));
  CHECK(S(-(-min)) == "-9223372036854775808");
  CHECK_FALSE(is_big(-(-min)));
}

TEST_CASE("decimal: ratio thresholds are exact") {
  const Decimal av = D("1000.00");
  const Decimal forty = D("40");
  const Decimal hundred = D("100");
  CHECK(roo::compare_ratio(av - D("600.00"), av, forty, hundred) == 0);
  CHECK(roo::compare_ratio(av - D("600.01"), av, forty, hundred) == -1);
  CHECK(roo::compare_ratio(av - D("599.99"), av, forty, hundred) == 1);
  CHECK(roo::compare_ratio(D("1000") - D("600"), D("1000"), D("40"), D("100")) == 0);
  CHECK(roo::compare_ratio(D("1"), D("3"), D("33.33"), D("100")) == 1);
  CHECK(roo::compare_ratio(D("1"), D("3"), D("0.3333333333333333333333333333333333333334"), D("1")) == -1);
  CHECK(roo::compare_ratio(D("-1"), D("3"), D("-1"), D("3.0")) == 0);
  CHECK(roo::compare_ratio(D("-1"), D("3"), D("0"), D("1")) == -1);
  // Large operands go through the big path.
  const Decimal big = D("123456789012345678901234567890");
  CHECK(roo::compare_ratio(big, big + D("1"), D("1"), D("1")) == -1);
  CHECK(roo::compare_ratio(big * D("2"), big, D("2"), D("1")) == 0);
}

TEST_CASE("decimal: display rounding is half away from zero") {
  CHECK(D("2.345").format(2) == "2.35");
  CHECK(D("2.335").format(2) == "2.34");
  CHECK(D("2.344").format(2) == "2.34");
  CHECK(D("-2.345").format(2) == "-2.35");
  CHECK(D("-2.335").format(2) == "-2.34");
  CHECK(D("-2.344").format(2) == "-2.34");
  CHECK(D("0.5").format(0) == "1");
  CHECK(D("-0.5").format(0) == "-1");
  CHECK(D("1.4").format(0) == "1");
  CHECK(D("1.005").format(2) == "1.01");
  CHECK(D("0.995").format(2) == "1.00");
  CHECK(D("9.999").format(2) == "10.00");
  CHECK(D("-9.999").format(2) == "-10.00");
  CHECK(D("7").format(2) == "7.00");
  CHECK(D("7").format(0) == "7");
  CHECK(D("1.5").format(3) == "1.500");
  CHECK(D("1.50").format(2) == "1.50");
  CHECK(D("-0.004").format(2) == "0.00");
  CHECK(D("-0.005").format(2) == "-0.01");
  CHECK(D("0.0049999").format(2) == "0.00");
  CHECK(D("-0.4").format(0) == "0");
  CHECK(D("0.00").format(0) == "0");
  CHECK(D("1e-40").format(2) == "0.00");
  CHECK(D("5e-40").format(39) == "0." + repeat('0', 38) + "1");
  CHECK(Decimal::from_scaled(kMax, 19).format(0) == "1");
  CHECK(Decimal::from_scaled(kMin, 19).format(0) == "-1");
  CHECK(Decimal::from_scaled(kMin, 0).format(1) == "-9223372036854775808.0");
  // Big coefficients.
  CHECK(D(repeat('9', 30) + ".995").format(2) == "1" + repeat('0', 30) + ".00");
  CHECK(D("-" + repeat('9', 30) + ".994").format(2) == "-" + repeat('9', 30) + ".99");
  CHECK(D("0." + repeat('0', 20) + "5" + repeat('0', 19)).format(20) == "0." + repeat('0', 19) + "1");
}

TEST_CASE("decimal: divide rounds half away from zero") {
  auto div = [](const char* a, const char* b, int places) {
    auto q = Decimal::divide(D(a), D(b), places);
    REQUIRE(q.has_value());
    CHECK(q->scale() == places);
    return S(*q);
  };
  CHECK(div("1", "3", 2) == "0.33");
  CHECK(div("2", "3", 2) == "0.67");
  CHECK(div("-2", "3", 2) == "-0.67");
  CHECK(div("2", "-3", 2) == "-0.67");
  CHECK(div("-2", "-3", 2) == "0.67");
  CHECK(div("1", "8", 2) == "0.13");
  CHECK(div("-1", "8", 2) == "-0.13");
  CHECK(div("10.00", "4", 0) == "3");
  CHECK(div("100", "0.25", 2) == "400.00");
  CHECK(div("0.001", "1000", 2) == "0.00");
  CHECK(div("-0.001", "1000", 2) == "0.00");
  CHECK(div("1", "7", 10) == "0.1428571429");
  CHECK(div("355", "113", 6) == "3.141593");
  CHECK(div("1.23", "0.0001", 0) == "12300");
  CHECK(div("1", "3", 40) == "0." + repeat('3', 40));
  CHECK(div(("1" + repeat('0', 30)).c_str(), "3", 1) == repeat('3', 30) + ".3");
  CHECK(div("1", ("3" + repeat('0', 30)).c_str(), 32) == "0." + repeat('0', 30) + "33");
  CHECK(div("-9223372036854775808", "-1", 0) == "9223372036854775808");
  CHECK(div("-9223372036854775808", "1", 0) == "-9223372036854775808");
  CHECK(div("9223372036854775807", "2", 0) == "4611686018427387904");
  CHECK_FALSE(Decimal::divide(D("1"), D("0.00"), 2).has_value());
  CHECK_FALSE(Decimal::divide(D("0"), D("0"), 2).has_value());
}

TEST_CASE("decimal: percentages of ratios") {
  CHECK(roo::format_ratio_percent(D("630"), D("1000")) == "63.00");
  CHECK(roo::format_ratio_percent(D("1"), D("3")) == "33.33");
  CHECK(roo::format_ratio_percent(D("2"), D("3")) == "66.67");
  CHECK(roo::format_ratio_percent(D("5"), D("8")) == "62.50");
  CHECK(roo::format_ratio_percent(D("-2"), D("3")) == "-66.67");
  CHECK(roo::format_ratio_percent(D("1"), D("3"), 0) == "33");
  CHECK(roo::format_ratio_percent(D("1"), D("8"), 1) == "12.5");
  CHECK(roo::format_ratio_percent(D("1"), D("16"), 1) == "6.3");
  CHECK(roo::format_ratio_percent(D("400.00"), D("1000.00")) == "40.00");
  CHECK(roo::format_ratio_percent(D("0"), D("7")) == "0.00");
  CHECK(roo::format_ratio_percent(D("1"), D("0")) == "n/a");
  CHECK(roo::format_ratio_percent(D("1"), D("0.00"), 2) == "n/a");
}

TEST_CASE("decimal: shifted multiplies by a power of ten exactly") {
  CHECK(S(D("1.5").shifted(2)) == "150");
  CHECK(D("1.5").shifted(2).scale() == 0);
  CHECK(S(D("1.50").shifted(1)) == "15.0");
  CHECK(S(D("15").shifted(-3)) == "0.015");
  CHECK(D("15").shifted(-3).scale() == 3);
  CHECK(S(D("-2.5").shifted(0)) == "-2.5");
  CHECK(S(D("7").shifted(2)) == "700");
  CHECK(S(D("1").shifted(30)) == "1" + repeat('0', 30));
  CHECK(is_big(D("1").shifted(30)));
  CHECK(S(D("1").shifted(30).shifted(-30)) == "1." + repeat('0', 30));
  CHECK(D("1").shifted(30).shifted(-30) == D("1"));
  CHECK(S(D("123456789012345678901234567890").shifted(-40)) == "0.0000000000123456789012345678901234567890");
  CHECK(S(D("0.000").shifted(5)) == "0");
}

TEST_CASE("decimal: large values overflow into the big form and back") {
  const Decimal max = Decimal::from_int(kMax);
  CHECK_FALSE(is_big(max));
  const Decimal over = max + Decimal::from_int(1);
  CHECK(is_big(over));
  CHECK(S(over) == "9223372036854775808");
  const Decimal back = over - Decimal::from_int(1);
  CHECK_FALSE(is_big(back));
  CHECK(back == max);
  CHECK(S(back) == "9223372036854775807");

  const Decimal under = Decimal::from_int(kMin) - Decimal::from_int(1);
  CHECK(is_big(under));
  CHECK(S(under) == "-9223372036854775809");
  CHECK_FALSE(is_big(under + Decimal::from_int(1)));

  Decimal acc = max;
  acc += max;
  CHECK(is_big(acc));
  CHECK(S(acc) == "18446744073709551614");
  acc -= max;
  CHECK_FALSE(is_big(acc));
  CHECK(acc == max);

  // Mixed scale alignment overflowing: 1 + 1e-40.
  const Decimal tiny = D("0.0000000000000000000000000000000000000001");
  CHECK_FALSE(is_big(tiny));
  const Decimal one_and_tiny = D("1") + tiny;
  CHECK(is_big(one_and_tiny));
  CHECK(S(one_and_tiny) == "1.0000000000000000000000000000000000000001");
  CHECK(one_and_tiny > D("1"));
  CHECK(S(one_and_tiny - D("1")) == "0.0000000000000000000000000000000000000001");
  CHECK_FALSE(is_big(one_and_tiny - D("1")));
  CHECK(one_and_tiny - D("1") == tiny);

  const Decimal a = D("123456789012345678901234567890123456789");
  const Decimal b = D("987654321098765432109876543210987654321");
  CHECK(is_big(a));
  CHECK(S(a + b) == "1111111110111111111011111111101111111110");
  CHECK(S(b - a) == "864197532086419753208641975320864197532");
  CHECK(S(a - b) == "-864197532086419753208641975320864197532");
  CHECK(S(a * b) == "121932631137021795226185032733866788594487120865336229233322374638011112635269");
  CHECK(S(D("1e20") * D("1e20")) == "1" + repeat('0', 40));
  CHECK(S(D("-1.5e30") * D("2.0")) == "-3" + repeat('0', 30) + ".0");
  CHECK(S(max * max) == "85070591730234615847396907784232501249");
  CHECK(S(max * Decimal::from_scaled(1, 2)) == "92233720368547758.07");
  CHECK(S((max * D("2")) * D("0.5")) == "9223372036854775807.0");
  CHECK(S(a - a) == "0");
  CHECK_FALSE(is_big(a - a));
  CHECK((a - a).is_zero());
  CHECK(S(-a) == "-123456789012345678901234567890123456789");

  // Big values at different scales compare by value.
  CHECK(D("100000000000000000000.0") == D("100000000000000000000"));
  CHECK(D("100000000000000000000.01") > D("100000000000000000000"));
  // Small against big, in both directions and signs.
  CHECK(a > max);
  CHECK(max < a);
  CHECK(-a < Decimal::from_int(kMin));
  CHECK(Decimal::from_int(kMin) > -a);
  CHECK(-a < D("0.5"));
  CHECK(D("0.5") > -a);
  CHECK(D("0.000000000000000000001") < a);
  CHECK(a.compare(a) == 0);
  CHECK(a == D("123456789012345678901234567890123456789.000"));
}

TEST_CASE("decimal: copy and move of big values") {
  const Decimal big = D("123456789012345678901234567890.5");
  Decimal copy(big);
  CHECK(copy == big);
  CHECK(is_big(copy));
  copy += D("1");
  CHECK(S(copy) == "123456789012345678901234567891.5");
  CHECK(S(big) == "123456789012345678901234567890.5");

  Decimal assigned = D("3");
  assigned = big;  // small <- big
  CHECK(S(assigned) == "123456789012345678901234567890.5");
  assigned = copy;  // big <- big
  CHECK(S(assigned) == "123456789012345678901234567891.5");
  assigned = D("2.5");  // big <- small (move)
  CHECK(S(assigned) == "2.5");
  CHECK_FALSE(is_big(assigned));
  Decimal small_copy = D("4.25");
  assigned = big;
  assigned = small_copy;  // big <- small (copy)
  CHECK(S(assigned) == "4.25");
  CHECK_FALSE(is_big(assigned));

  const Decimal& self = assigned;
  assigned = self;  // self-assignment
  CHECK(S(assigned) == "4.25");
  Decimal big_self = big;
  const Decimal& big_ref = big_self;
  big_self = big_ref;
  CHECK(big_self == big);

  Decimal source = big;
  Decimal moved(std::move(source));
  CHECK(S(moved) == "123456789012345678901234567890.5");
  source = D("1.25");  // a moved-from value can be reassigned
  CHECK(S(source) == "1.25");

  Decimal target = D("9");
  target = std::move(moved);
  CHECK(S(target) == "123456789012345678901234567890.5");
  CHECK(is_big(target));

  std::vector<Decimal> values;
  for (int i = 0; i < 50; ++i) values.push_back(big + Decimal::from_int(i));  // reallocations move
  CHECK(S(values[49]) == "123456789012345678901234567939.5");
  std::vector<Decimal> values_copy = values;
  CHECK(values_copy == values);
}
