#include "interpreter/core/date.hpp"

#include <fmt/format.h>

#include <chrono>

namespace roo {

namespace {
bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}
}  // namespace

std::optional<Date> Date::parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<Date> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  auto digits = [&](std::size_t from, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  Date d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, d.year) || !digits(5, 2, d.month) ||
      !digits(8, 2, d.day))
    return fail(fmt::format("'{}' is not a date; expected YYYY-MM-DD", text));
  if (d.month < 1 || d.month > 12) return fail(fmt::format("'{}' has month {}; expected 01 to 12", text, d.month));
  if (d.day < 1 || d.day > days_in_month(d.year, d.month))
    return fail(fmt::format("'{}' is not a day of the calendar", text));
  return d;
}

Date Date::today() {
  auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::chrono::year_month_day ymd{now};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string Date::to_string() const {
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

}  // namespace roo
