// Shared by the benchmark tools: the seeded random generator and the shape of
// the generated rules. No floating point anywhere (figures are integer cents).
#pragma once

#include <cstdint>
#include <string>

namespace roo::bench {

// splitmix64: small, fast, and the same sequence on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n > 0); the bias of the modulo is negligible for our n.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [lo, hi].
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  // True with probability num/den.
  bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }

 private:
  std::uint64_t state_;
};

// The tariff-shift level a rule asks for.
enum class Shift : std::uint8_t { none, cc, cth, ctsh };

inline int shift_digits(Shift s) { return s == Shift::cc ? 2 : s == Shift::cth ? 4 : s == Shift::ctsh ? 6 : 0; }

// "1234.56" from 123456 cents (cents >= 0).
inline std::string cents_text(std::int64_t cents) {
  std::string out = std::to_string(cents / 100);
  out += '.';
  out += static_cast<char>('0' + cents % 100 / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

// "0101" from 101.
inline std::string heading_text(int heading) {
  char buf[4] = {static_cast<char>('0' + heading / 1000 % 10), static_cast<char>('0' + heading / 100 % 10),
                 static_cast<char>('0' + heading / 10 % 10), static_cast<char>('0' + heading % 10)};
  return std::string(buf, 4);
}

}  // namespace roo::bench
