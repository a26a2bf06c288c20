// Calendar dates (proleptic Gregorian), for the determination date and rule
// validity windows.
#pragma once

#include <roo/config.hpp>

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace roo {

struct ROO_API Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Exactly "YYYY-MM-DD" with a real calendar day (2024-02-29 yes, 2023-02-29 no).
  static std::optional<Date> parse(std::string_view text, std::string* error = nullptr);
  static Date today();            // UTC
  std::string to_string() const;  // "2026-11-28"

  friend auto operator<=>(const Date&, const Date&) = default;
};

}  // namespace roo
