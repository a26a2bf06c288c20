// Exact decimal arithmetic: see decimal.hpp for the contract.
//
// Invariants:
//  * small form: big_ is null and the value is coef_ * 10^-scale_;
//  * big form: big_ holds a coefficient that does NOT fit in int64 and coef_
//    is 0 (so a moved-from big value reads as zero);
//  * scale_ >= 0 always.
// Every operation tries the int64 path first with overflow checks and falls
// back to cpp_int only when that path would overflow. Results are normalised
// back to the small form whenever they fit.
#include "interpreter/core/decimal.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <utility>

namespace roo {

namespace {

using BigInt = boost::multiprecision::cpp_int;

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kScaleMax = std::numeric_limits<std::int32_t>::max();

// 10^0 .. 10^19 (10^19 still fits in uint64; 10^18 is the largest int64 power).
constexpr std::uint64_t kPow10U[20] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL,
};

// out = v * 10^k (k >= 0); false when the product does not fit in int64.
inline bool mul_pow10(std::int64_t v, std::int64_t k, std::int64_t& out) noexcept {
  if (v == 0) {
    out = 0;
    return true;
  }
  if (k > 18) return false;
  return !__builtin_mul_overflow(v, static_cast<std::int64_t>(kPow10U[k]), &out);
}

BigInt big_pow10(std::int64_t k) {
  if (k <= 19) return BigInt(kPow10U[k]);
  return boost::multiprecision::pow(BigInt(10), static_cast<unsigned>(k));
}

inline std::uint64_t magnitude(std::int64_t v) noexcept {
  return v < 0 ? 0ULL - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

// |n| / |d| rounded half away from zero (d != 0). The remainder test avoids
// computing 2*r, which could overflow.
inline std::uint64_t round_div_u64(std::uint64_t n, std::uint64_t d) noexcept {
  std::uint64_t q = n / d;
  std::uint64_t r = n % d;
  if (r >= d - r) ++q;
  return q;
}

// Applies a sign to a magnitude; false when the result does not fit in int64.
inline bool signed_from_magnitude(std::uint64_t m, bool negative, std::int64_t& out) noexcept {
  constexpr std::uint64_t kMaxPositive = static_cast<std::uint64_t>(kInt64Max);
  if (negative) {
    if (m > kMaxPositive + 1) return false;
    out = m == kMaxPositive + 1 ? kInt64Min : -static_cast<std::int64_t>(m);
  } else {
    if (m > kMaxPositive) return false;
    out = static_cast<std::int64_t>(m);
  }
  return true;
}

// n / d rounded half away from zero (d != 0).
BigInt round_div_big(const BigInt& n, const BigInt& d) {
  const bool negative = (n.sign() < 0) != (d.sign() < 0);
  BigInt un = boost::multiprecision::abs(n);
  BigInt ud = boost::multiprecision::abs(d);
  BigInt q;
  BigInt r;
  boost::multiprecision::divide_qr(un, ud, q, r);
  r <<= 1;
  if (r >= ud) ++q;
  if (negative) q = -q;
  return q;
}

std::int32_t checked_scale(std::int64_t scale) {
  if (scale < 0 || scale > kScaleMax) throw std::overflow_error("decimal scale out of range");
  return static_cast<std::int32_t>(scale);
}

inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

std::string describe_char(char c) {
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "byte 0x";
  out += kHex[u >> 4];
  out += kHex[u & 0xf];
  return out;
}

}  // namespace

struct Decimal::Big {
  BigInt coef;
};

void Decimal::BigDeleter::operator()(Big* big) const noexcept {
  delete big;
}

struct Decimal::Ops {
  static Decimal small(std::int64_t coef, std::int32_t scale) noexcept {
    Decimal d;
    d.coef_ = coef;
    d.scale_ = scale;
    return d;
  }

  static BigInt value(const Decimal& d) { return d.big_ ? d.big_->coef : BigInt(d.coef_); }

  // Stores v * 10^-scale into d, choosing the small form when v fits.
  static void assign(Decimal& d, BigInt&& v, std::int32_t scale) {
    d.scale_ = scale;
    if (v >= kInt64Min && v <= kInt64Max) {
      d.coef_ = v.convert_to<std::int64_t>();
      d.big_.reset();
    } else {
      d.coef_ = 0;
      if (d.big_) {
        d.big_->coef = std::move(v);
      } else {
        d.big_.reset(new Big{std::move(v)});
      }
    }
  }

  static Decimal make(BigInt&& v, std::int32_t scale) {
    Decimal d;
    assign(d, std::move(v), scale);
    return d;
  }

  // out = a ± b; out may alias a (used by += and -=).
  static void add(Decimal& out, const Decimal& a, const Decimal& b, bool subtract) {
    if (!a.big_ && !b.big_) [[likely]] {
      std::int64_t x = a.coef_;
      std::int64_t y = b.coef_;
      std::int32_t scale = a.scale_;
      bool ok = true;
      if (a.scale_ < b.scale_) {
        scale = b.scale_;
        ok = mul_pow10(x, static_cast<std::int64_t>(b.scale_) - a.scale_, x);
      } else if (b.scale_ < a.scale_) {
        ok = mul_pow10(y, static_cast<std::int64_t>(a.scale_) - b.scale_, y);
      }
      std::int64_t r;
      if (ok && !(subtract ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r))) {
        out.big_.reset();
        out.coef_ = r;
        out.scale_ = scale;
        return;
      }
    }
    add_slow(out, a, b, subtract);
  }

  static void add_slow(Decimal& out, const Decimal& a, const Decimal& b, bool subtract) {
    BigInt x = value(a);
    BigInt y = value(b);
    const std::int32_t scale = a.scale_ < b.scale_ ? b.scale_ : a.scale_;
    if (a.scale_ < scale) x *= big_pow10(static_cast<std::int64_t>(scale) - a.scale_);
    if (b.scale_ < scale) y *= big_pow10(static_cast<std::int64_t>(scale) - b.scale_);
    if (subtract) {
      x -= y;
    } else {
      x += y;
    }
    assign(out, std::move(x), scale);
  }

  static int compare_big(const Decimal& a, const Decimal& b) {
    const int sa = a.sign();
    const int sb = b.sign();
    if (sa != sb) return sa < sb ? -1 : 1;
    if (sa == 0) return 0;
    BigInt x = value(a);
    BigInt y = value(b);
    if (a.scale_ < b.scale_) x *= big_pow10(static_cast<std::int64_t>(b.scale_) - a.scale_);
    if (b.scale_ < a.scale_) y *= big_pow10(static_cast<std::int64_t>(a.scale_) - b.scale_);
    return (x > y) - (x < y);
  }

  // The coefficient of d divided by 10^k (k > 0), rounded half away from zero.
  static Decimal round_coefficient(const Decimal& d, std::int64_t k, std::int32_t new_scale) {
    if (!d.big_) {
      const std::uint64_t m = magnitude(d.coef_);
      // |coef| < 2^63 < 10^20 / 2, so for k >= 20 the result rounds to zero.
      const std::uint64_t q = k >= 20 ? 0 : round_div_u64(m, kPow10U[k]);
      std::int64_t out = 0;
      signed_from_magnitude(q, d.coef_ < 0, out);  // q <= |coef|, always fits
      return small(out, new_scale);
    }
    return make(round_div_big(d.big_->coef, big_pow10(k)), new_scale);
  }

  static std::string abs_digits(const Decimal& d) {
    if (d.big_) return BigInt(boost::multiprecision::abs(d.big_->coef)).str();
    return std::to_string(magnitude(d.coef_));
  }
};

Decimal::Decimal(const Decimal& other) : coef_(other.coef_), scale_(other.scale_) {
  if (other.big_) big_.reset(new Big{other.big_->coef});
}

Decimal& Decimal::operator=(const Decimal& other) {
  if (this == &other) return *this;
  if (other.big_) {
    if (big_) {
      big_->coef = other.big_->coef;
    } else {
      big_.reset(new Big{other.big_->coef});
    }
  } else {
    big_.reset();
  }
  coef_ = other.coef_;
  scale_ = other.scale_;
  return *this;
}

Decimal::~Decimal() = default;

Decimal Decimal::from_int(std::int64_t value) noexcept {
  return Ops::small(value, 0);
}

Decimal Decimal::from_scaled(std::int64_t coefficient, int scale) {
  if (scale >= 0) return Ops::small(coefficient, scale);
  // A negative scale multiplies: from_scaled(15, -2) == 1500.
  const std::int64_t k = -static_cast<std::int64_t>(scale);
  std::int64_t r;
  if (mul_pow10(coefficient, k, r)) return Ops::small(r, 0);
  return Ops::make(BigInt(coefficient) * big_pow10(k), 0);
}

std::optional<Decimal> Decimal::parse(std::string_view text, std::string* error, bool allow_exponent) {
  auto fail = [error](std::string message) -> std::optional<Decimal> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };

  const std::size_t n = text.size();
  if (n == 0) return fail("expected a number, found empty text");
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    ++i;
  }

  const std::size_t int_begin = i;
  while (i < n && is_digit(text[i])) ++i;
  const std::size_t int_end = i;
  if (int_end == int_begin) {
    if (i == n) return fail("expected a digit after the sign");
    if (text[i] == '.') return fail("expected a digit before '.'");
    return fail("expected a digit, found " + describe_char(text[i]));
  }

  std::size_t frac_begin = i;
  std::size_t frac_end = i;
  if (i < n && text[i] == '.') {
    ++i;
    frac_begin = i;
    while (i < n && is_digit(text[i])) ++i;
    frac_end = i;
    if (frac_end == frac_begin) return fail("expected a digit after '.'");
  }

  // The exponent saturates at kExponentCap so absurd exponents are rejected by
  // the digit limits below without overflowing.
  constexpr std::int64_t kExponentCap = 1000000000000000LL;  // 10^15
  std::int64_t exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    if (!allow_exponent) return fail("exponent notation is not accepted here");
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    const std::size_t exp_begin = i;
    while (i < n && is_digit(text[i])) {
      if (exponent < kExponentCap) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (i == exp_begin) return fail("expected a digit in the exponent");
    if (exponent >= kExponentCap) return fail("exponent is out of range");
    if (exponent_negative) exponent = -exponent;
  }

  if (i < n) {
    if (text[i] == ',') return fail("unexpected ',' in number (thousands separators are not accepted)");
    return fail("unexpected " + describe_char(text[i]) + " in number");
  }

  // Significant digits: the mantissa digits (integer then fraction part)
  // from the first non-zero one.
  std::size_t first = int_begin;
  while (first < int_end && text[first] == '0') ++first;
  const bool in_fraction = first == int_end;
  if (in_fraction) {
    first = frac_begin;
    while (first < frac_end && text[first] == '0') ++first;
  }
  const auto frac_len = static_cast<std::int64_t>(frac_end - frac_begin);
  std::int64_t significant = 0;
  if (!in_fraction) {
    significant = static_cast<std::int64_t>(int_end - first) + frac_len;
  } else {
    significant = static_cast<std::int64_t>(frac_end - first);
  }

  // value = significant digits * 10^-new_scale
  const std::int64_t new_scale = frac_len - exponent;
  std::int64_t integer_digits = 0;
  std::int64_t trailing_zeros = 0;
  if (new_scale >= 0) {
    integer_digits = significant > new_scale ? significant - new_scale : 0;
  } else {
    trailing_zeros = -new_scale;
    integer_digits = significant > 0 ? significant + trailing_zeros : 0;
  }
  const std::int64_t fraction_digits = new_scale > 0 ? new_scale : 0;
  if (integer_digits > max_integer_digits) {
    return fail("number has " + std::to_string(integer_digits) + " digits before the point; at most " +
                std::to_string(max_integer_digits) + " are accepted");
  }
  if (fraction_digits > max_fraction_digits) {
    return fail("number has " + std::to_string(fraction_digits) + " digits after the point; at most " +
                std::to_string(max_fraction_digits) + " are accepted");
  }
  if (significant == 0) return Ops::small(0, static_cast<std::int32_t>(fraction_digits));

  // At most max_integer_digits + max_fraction_digits digits remain: read them
  // in chunks of 18 (always fits int64).
  auto digit_at = [&](std::size_t pos) -> int { return text[pos] - '0'; };
  std::int64_t chunk = 0;
  int chunk_len = 0;
  BigInt big;
  bool use_big = false;
  auto flush = [&]() {
    if (!use_big) {
      big = chunk;
      use_big = true;
    } else {
      big *= static_cast<std::int64_t>(kPow10U[chunk_len]);
      big += chunk;
    }
    chunk = 0;
    chunk_len = 0;
  };
  auto push = [&](std::size_t pos) {
    if (chunk_len == 18) flush();
    chunk = chunk * 10 + digit_at(pos);
    ++chunk_len;
  };
  for (std::size_t p = first; p < int_end; ++p) push(p);
  for (std::size_t p = in_fraction ? first : frac_begin; p < frac_end; ++p) push(p);

  const auto scale = static_cast<std::int32_t>(fraction_digits);
  if (!use_big) {
    std::int64_t coef = negative ? -chunk : chunk;
    if (mul_pow10(coef, trailing_zeros, coef)) return Ops::small(coef, scale);
    big = negative ? -chunk : chunk;
  } else {
    flush();
    if (negative) big = -big;
  }
  if (trailing_zeros > 0) big *= big_pow10(trailing_zeros);
  return Ops::make(std::move(big), scale);
}

bool Decimal::is_zero() const noexcept {
  return !big_ && coef_ == 0;
}

bool Decimal::is_negative() const noexcept {
  return sign() < 0;
}

int Decimal::sign() const noexcept {
  if (big_) return big_->coef.sign() < 0 ? -1 : 1;
  return (coef_ > 0) - (coef_ < 0);
}

Decimal Decimal::operator-() const {
  if (!big_ && coef_ != kInt64Min) return Ops::small(-coef_, scale_);
  return Ops::make(-Ops::value(*this), scale_);
}

Decimal Decimal::operator+(const Decimal& rhs) const {
  Decimal out;
  Ops::add(out, *this, rhs, false);
  return out;
}

Decimal Decimal::operator-(const Decimal& rhs) const {
  Decimal out;
  Ops::add(out, *this, rhs, true);
  return out;
}

Decimal& Decimal::operator+=(const Decimal& rhs) {
  Ops::add(*this, *this, rhs, false);
  return *this;
}

Decimal& Decimal::operator-=(const Decimal& rhs) {
  Ops::add(*this, *this, rhs, true);
  return *this;
}

Decimal Decimal::operator*(const Decimal& rhs) const {
  const std::int32_t scale = checked_scale(static_cast<std::int64_t>(scale_) + rhs.scale_);
  if (!big_ && !rhs.big_) [[likely]] {
    std::int64_t r;
    if (!__builtin_mul_overflow(coef_, rhs.coef_, &r)) return Ops::small(r, scale);
  }
  return Ops::make(Ops::value(*this) * Ops::value(rhs), scale);
}

int Decimal::compare(const Decimal& rhs) const {
  if (!big_ && !rhs.big_) [[likely]] {
    std::int64_t x = coef_;
    std::int64_t y = rhs.coef_;
    if (scale_ == rhs.scale_) return (x > y) - (x < y);
    const int sx = (x > 0) - (x < 0);
    const int sy = (y > 0) - (y < 0);
    if (sx != sy) return sx < sy ? -1 : 1;
    if (sx == 0) return 0;
    // Same non-zero sign: align the smaller scale. If that overflows, the
    // aligned value's magnitude exceeds every int64, so it is the larger one.
    if (scale_ < rhs.scale_) {
      if (!mul_pow10(x, static_cast<std::int64_t>(rhs.scale_) - scale_, x)) return sx;
    } else {
      if (!mul_pow10(y, static_cast<std::int64_t>(scale_) - rhs.scale_, y)) return -sy;
    }
    return (x > y) - (x < y);
  }
  return Ops::compare_big(*this, rhs);
}

std::string Decimal::to_string() const {
  std::string digits = Ops::abs_digits(*this);
  if (scale_ > 0) {
    const auto scale = static_cast<std::size_t>(scale_);
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
  }
  if (sign() < 0) digits.insert(0, 1, '-');
  return digits;
}

std::string Decimal::format(int places) const {
  if (places < 0) places = 0;
  if (places >= scale_) {
    std::string out = to_string();
    if (places > scale_) {
      if (scale_ == 0) out += '.';
      out.append(static_cast<std::size_t>(places - scale_), '0');
    }
    return out;
  }
  return Ops::round_coefficient(*this, static_cast<std::int64_t>(scale_) - places, places).to_string();
}

std::optional<Decimal> Decimal::divide(const Decimal& num, const Decimal& den, int places) {
  if (den.is_zero()) return std::nullopt;
  if (places < 0) places = 0;
  // num / den * 10^places = (num.coef * 10^k) / den.coef with
  // k = den.scale - num.scale + places.
  const std::int64_t k = static_cast<std::int64_t>(den.scale_) - num.scale_ + places;
  if (!num.big_ && !den.big_) {
    std::int64_t n = num.coef_;
    std::int64_t d = den.coef_;
    const bool ok = k >= 0 ? mul_pow10(n, k, n) : mul_pow10(d, -k, d);
    if (ok) {
      const std::uint64_t q = round_div_u64(magnitude(n), magnitude(d));
      std::int64_t out;
      if (signed_from_magnitude(q, (n < 0) != (d < 0), out)) return Ops::small(out, places);
    }
  }
  BigInt n = Ops::value(num);
  BigInt d = Ops::value(den);
  if (k >= 0) {
    n *= big_pow10(k);
  } else {
    d *= big_pow10(-k);
  }
  return Ops::make(round_div_big(n, d), places);
}

Decimal Decimal::shifted(int n) const {
  if (n <= 0) {
    Decimal out(*this);
    out.scale_ = checked_scale(static_cast<std::int64_t>(scale_) - n);
    return out;
  }
  if (n <= scale_) {
    Decimal out(*this);
    out.scale_ = scale_ - n;
    return out;
  }
  const std::int64_t k = static_cast<std::int64_t>(n) - scale_;
  if (!big_) {
    std::int64_t r;
    if (mul_pow10(coef_, k, r)) return Ops::small(r, 0);
  }
  return Ops::make(Ops::value(*this) * big_pow10(k), 0);
}

int compare_ratio(const Decimal& a, const Decimal& b, const Decimal& c, const Decimal& d) {
  // a/b - c/d = (a*d - c*b) / (b*d); the sign of b*d is only flipped for
  // callers that pass negative denominators despite the contract.
  const int cross = (a * d).compare(c * b);
  return b.sign() * d.sign() < 0 ? -cross : cross;
}

std::string format_ratio_percent(const Decimal& num, const Decimal& den, int places) {
  auto q = Decimal::divide(num.shifted(2), den, places);
  if (!q) return "n/a";
  return q->to_string();
}

}  // namespace roo
