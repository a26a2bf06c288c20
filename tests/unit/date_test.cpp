// Tests for roo::Date (interpreter/core/date.hpp).
#include "interpreter/core/date.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace {

using roo::Date;

Date ok(std::string_view text) {
  std::string error;
  auto d = Date::parse(text, &error);
  INFO("text: ", std::string(text), " error: ", error);
  REQUIRE(d.has_value());
  CHECK(error.empty());
  return *d;
}

std::string bad(std::string_view text) {
  std::string error;
  auto d = Date::parse(text, &error);
  INFO("text: ", std::string(text));
  CHECK_FALSE(d.has_value());
  CHECK_FALSE(error.empty());
  CHECK_FALSE(Date::parse(text).has_value());  // also without an error string
  return error;
}

}  // namespace

TEST_CASE("date: valid dates") {
  auto d = ok("2026-11-28");
  CHECK(d.year == 2026);
  CHECK(d.month == 11);
  CHECK(d.day == 28);
  for (std::string_view text : {"2024-01-01", "2024-01-31", "2024-03-31", "2024-04-30", "2024-12-31", "1970-01-01",
                                "0001-01-01", "0000-02-29", "9999-12-31"}) {
    INFO("text: ", std::string(text));
    CHECK(ok(text).to_string() == text);
  }
}

TEST_CASE("date: leap years") {
  CHECK(ok("2024-02-29").day == 29);  // divisible by 4
  CHECK(ok("2000-02-29").day == 29);  // divisible by 400
  CHECK(ok("1600-02-29").day == 29);
  CHECK(ok("2023-02-28").day == 28);
  CHECK(bad("2023-02-29") == "'2023-02-29' is not a day of the calendar");
  CHECK(bad("1900-02-29") == "'1900-02-29' is not a day of the calendar");  // divisible by 100, not 400
  CHECK(bad("2100-02-29") == "'2100-02-29' is not a day of the calendar");
  CHECK(bad("2024-02-30") == "'2024-02-30' is not a day of the calendar");
}

TEST_CASE("date: days and months out of range") {
  CHECK(bad("2024-04-31") == "'2024-04-31' is not a day of the calendar");
  CHECK(bad("2024-06-31") == "'2024-06-31' is not a day of the calendar");
  CHECK(bad("2024-09-31") == "'2024-09-31' is not a day of the calendar");
  CHECK(bad("2024-11-31") == "'2024-11-31' is not a day of the calendar");
  CHECK(bad("2024-01-32") == "'2024-01-32' is not a day of the calendar");
  CHECK(bad("2024-01-00") == "'2024-01-00' is not a day of the calendar");
  CHECK(bad("2024-13-01") == "'2024-13-01' has month 13; expected 01 to 12");
  CHECK(bad("2024-00-10") == "'2024-00-10' has month 0; expected 01 to 12");
  CHECK(bad("2024-99-99") == "'2024-99-99' has month 99; expected 01 to 12");
}

TEST_CASE("date: only YYYY-MM-DD is accepted") {
  for (std::string_view text : {"", "2024", "2024-1-01", "2024-01-1", "24-01-01", "2024/01/01", "20240101",
                                " 2024-01-01", "2024-01-01 ", "2024-01-01T00:00", "+024-01-01", "2024-+1-01",
                                "2024-01--1", "abcd-ef-gh", "2024-0a-01", "２０２４-01-01", "2024_01_01"}) {
    INFO("text: ", std::string(text));
    std::string expected = "'";
    expected += text;
    expected += "' is not a date; expected YYYY-MM-DD";
    CHECK(bad(text) == expected);
  }
  std::string with_nul("2024-01-0\0", 10);
  CHECK_FALSE(Date::parse(with_nul).has_value());
}

TEST_CASE("date: to_string pads to four, two and two digits") {
  CHECK(Date{2026, 11, 28}.to_string() == "2026-11-28");
  CHECK(Date{7, 3, 9}.to_string() == "0007-03-09");
  CHECK(Date{}.to_string() == "1970-01-01");
}

TEST_CASE("date: ordering") {
  CHECK(ok("2024-02-29") < ok("2024-03-01"));
  CHECK(ok("2023-12-31") < ok("2024-01-01"));
  CHECK(ok("2024-01-02") > ok("2024-01-01"));
  CHECK(ok("2024-05-05") == Date{2024, 5, 5});
  CHECK(ok("2024-05-05") != Date{2024, 5, 6});
}

TEST_CASE("date: today is a real date") {
  // Only that the clock's date is a valid date that reads back; no test
  // depends on which day it is (every determination in the tests is dated).
  auto t = Date::today();
  CHECK(t.year >= 1970);
  auto again = Date::parse(t.to_string());
  REQUIRE(again.has_value());
  CHECK(*again == t);
}
