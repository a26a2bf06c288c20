// Exact decimal numbers for money, weights, quantities and percentages.
//
// A Decimal is coefficient * 10^-scale with scale >= 0. Small values live in a
// 64-bit coefficient; any operation that would overflow it moves to an
// arbitrary-precision coefficient (Boost.Multiprecision cpp_int). No binary
// floating point is used anywhere.
//
// Scale is kept like a written figure: "1040.00" has scale 2 and prints back as
// "1040.00"; addition keeps the larger scale, multiplication adds scales.
// Equality and ordering compare values, so 1.0 == 1.00.
//
// Display rounding (format, format_ratio_percent) is half away from zero:
// 2.345 -> "2.35", -2.345 -> "-2.35". Comparisons never round.
#pragma once

#include <roo/config.hpp>

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace roo {

class ROO_API Decimal {
 public:
  // Limits on parsed text: at most this many digits before the point and this
  // many after it (after applying an exponent). Larger inputs are rejected with
  // an error rather than computed slowly.
  static constexpr int max_integer_digits = 40;
  static constexpr int max_fraction_digits = 40;

  Decimal() noexcept = default;  // 0
  Decimal(const Decimal& other);
  Decimal(Decimal&&) noexcept = default;
  Decimal& operator=(const Decimal& other);
  Decimal& operator=(Decimal&&) noexcept = default;
  ~Decimal();

  static Decimal from_int(std::int64_t value) noexcept;
  // coefficient * 10^-scale, e.g. from_scaled(4000, 2) == 40.00
  static Decimal from_scaled(std::int64_t coefficient, int scale);

  // Parses "1040.00", "1040", "-0.5", "+3", "1e3", "2.5E-2" (exponent forms only
  // when allow_exponent). Rejects empty text, spaces, thousands separators, a
  // leading or trailing '.', "inf"/"nan", and values outside the digit limits.
  // On failure returns nullopt and, when error is given, a one-line reason such
  // as "expected a digit after '.'".
  static std::optional<Decimal> parse(std::string_view text, std::string* error = nullptr, bool allow_exponent = true);

  int scale() const noexcept { return scale_; }
  bool is_zero() const noexcept;
  bool is_negative() const noexcept;
  int sign() const noexcept;  // -1, 0, 1

  Decimal operator-() const;
  Decimal operator+(const Decimal& rhs) const;
  Decimal operator-(const Decimal& rhs) const;
  Decimal operator*(const Decimal& rhs) const;
  Decimal& operator+=(const Decimal& rhs);
  Decimal& operator-=(const Decimal& rhs);

  friend bool operator==(const Decimal& a, const Decimal& b) { return a.compare(b) == 0; }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    int c = a.compare(b);
    return c < 0 ? std::strong_ordering::less : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
  }
  int compare(const Decimal& rhs) const;  // -1, 0, 1

  // Exact text with the value's own scale: "1040.00", "-0.5", "0".
  std::string to_string() const;
  // Rounded to `places` decimals (half away from zero), always exactly `places`
  // digits after the point: format(2) of 2.345 is "2.35", of 7 is "7.00".
  std::string format(int places) const;

  // Quotient rounded half away from zero to `places` decimals. Denominator must
  // not be zero (returns nullopt when it is).
  static std::optional<Decimal> divide(const Decimal& num, const Decimal& den, int places);

  // Multiplies by 10^n (n may be negative; the result stays exact).
  Decimal shifted(int n) const;

 private:
  struct Big;
  struct Ops;  // implementation helpers (decimal.cpp)
  // Deletes out of line so the defaulted special members above stay inline
  // while Big is incomplete here.
  struct BigDeleter {
    void operator()(Big* big) const noexcept;
  };
  std::int64_t coef_ = 0;  // used when big_ is null (kept 0 when big_ is set)
  std::int32_t scale_ = 0;
  std::unique_ptr<Big, BigDeleter> big_;  // arbitrary-precision coefficient, when set

  friend struct DecimalAccess;
};

}  // namespace roo
