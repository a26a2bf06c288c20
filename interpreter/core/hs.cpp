// Harmonized System codes, ranges and sets. See hs.hpp.
#include "interpreter/core/hs.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <utility>

namespace roo {

namespace {

constexpr int kMaxDigits = 10;

// 10^n for n in [0, 10].
constexpr std::array<std::uint64_t, kMaxDigits + 1> kPow10 = [] {
  std::array<std::uint64_t, kMaxDigits + 1> p{};
  std::uint64_t v = 1;
  for (auto& x : p) {
    x = v;
    v *= 10;
  }
  return p;
}();

constexpr bool valid_length(int length) noexcept {
  return length >= 2 && length <= kMaxDigits && length % 2 == 0;
}

// The input as it should appear inside quotes in a one-line message: control
// characters are escaped and very long input is cut short.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  const std::size_t shown = std::min(text.size(), kMaxShown);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (shown < text.size()) out += "...";
  out += '\'';
  return out;
}

// The offending character at text[i], as one quoted item: a whole UTF-8
// sequence when it starts one, an escape for control characters.
std::string quoted_char_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t len = 1;
  if (lead >= 0x80 && lead < 0xc0) {  // a stray continuation byte
    constexpr char kHex[] = "0123456789abcdef";
    return std::string("'\\x") + kHex[lead >> 4] + kHex[lead & 0xf] + "'";
  }
  if (lead >= 0xc0) {
    len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    // Only take continuation bytes that are really there.
    std::size_t n = 1;
    while (n < len && i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xc0) == 0x80) {
      ++n;
    }
    len = n;
  }
  return quoted(text.substr(i, len));
}

// "4, 6, 8 or 10 digits" for min_digits 4.
std::string expected_lengths(int min_digits) {
  std::string out;
  for (int n = min_digits; n <= kMaxDigits; n += 2) {
    if (!out.empty()) out += n == kMaxDigits ? " or " : ", ";
    out += std::to_string(n);
  }
  out += " digits";
  return out;
}

std::string two_digits(std::uint64_t v) {
  std::string s(2, '0');
  s[0] = static_cast<char>('0' + (v / 10) % 10);
  s[1] = static_cast<char>('0' + v % 10);
  return s;
}

void fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

}  // namespace

// ---------------------------------------------------------------- HsCode

std::optional<HsCode> HsCode::parse(std::string_view text, std::string* error, int min_digits) {
  // Normalise min_digits to an even number in [2, 10].
  min_digits = std::clamp(min_digits, 2, kMaxDigits);
  if (min_digits % 2 != 0) ++min_digits;

  std::uint64_t digits = 0;
  int count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' || c == ' ') continue;
    if (c < '0' || c > '9') {
      fail(error,
           "HS code " + quoted(text) + " contains " + quoted_char_at(text, i) + "; expected digits, dots and spaces");
      return std::nullopt;
    }
    if (count < kMaxDigits) digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
    ++count;
  }

  if (count == 0) {
    fail(error, "HS code " + quoted(text) + " has no digits; expected " + expected_lengths(min_digits));
    return std::nullopt;
  }
  if (count < min_digits || count > kMaxDigits || count % 2 != 0) {
    fail(error, "HS code " + quoted(text) + " has " + std::to_string(count) + (count == 1 ? " digit" : " digits") +
                    "; expected " + expected_lengths(min_digits));
    return std::nullopt;
  }

  const HsCode code = from_digits(digits, count);
  const int chapter = code.chapter_number();
  if (chapter == 0) {
    fail(error, "HS code " + quoted(text) + " is in chapter 00; chapter numbers start at 01");
    return std::nullopt;
  }
  if (chapter == 77) {
    fail(error, "HS code " + quoted(text) + " is in chapter 77; chapter 77 is reserved in the Harmonized System");
    return std::nullopt;
  }
  if (chapter > 97) {
    fail(error, "HS code " + quoted(text) + " is in chapter " + std::to_string(chapter) +
                    "; the Harmonized System ends at chapter 97");
    return std::nullopt;
  }
  if (count >= 4 && code.heading().digits_value() % 100 == 0) {
    const std::string heading = two_digits(static_cast<std::uint64_t>(chapter)) + ".00";
    fail(error, "HS code " + quoted(text) + " is in heading " + heading + "; heading " + heading +
                    " does not exist: heading numbers start at 01");
    return std::nullopt;
  }
  return code;
}

HsCode HsCode::from_digits(std::uint64_t digits, int length) {
  HsCode code;
  if (!valid_length(length) || digits >= kPow10[static_cast<std::size_t>(length)]) return code;
  code.digits_ = digits;
  code.length_ = static_cast<std::uint8_t>(length);
  return code;
}

int HsCode::chapter_number() const noexcept {
  if (!valid()) return 0;
  return static_cast<int>(digits_ / kPow10[length_ - 2u]);
}

HsCode HsCode::chapter() const noexcept {
  return truncated(2);
}
HsCode HsCode::heading() const noexcept {
  return truncated(4);
}
HsCode HsCode::subheading() const noexcept {
  return truncated(6);
}

HsCode HsCode::truncated(int length) const noexcept {
  if (length >= length_) return *this;
  if (length < 2) return HsCode();
  length -= length % 2;  // an odd request keeps the whole pairs only
  HsCode code;
  code.digits_ = digits_ / kPow10[static_cast<std::size_t>(length_ - length)];
  code.length_ = static_cast<std::uint8_t>(length);
  return code;
}

std::string HsCode::digits() const {
  std::string s(length_, '0');
  std::uint64_t v = digits_;
  for (int i = length_ - 1; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return s;
}

std::string HsCode::dotted() const {
  const std::string d = digits();
  switch (length_) {
    case 0:
      return {};
    case 2:
      return d;
    case 4:
      return d.substr(0, 2) + "." + d.substr(2);
    default: {
      // "8501.52", then ".20", ".10" for each further pair.
      std::string out = d.substr(0, 4);
      for (std::size_t i = 4; i < d.size(); i += 2) {
        out += '.';
        out += d.substr(i, 2);
      }
      return out;
    }
  }
}

std::uint64_t HsCode::low10() const noexcept {
  if (!valid()) return 0;
  return digits_ * kPow10[static_cast<std::size_t>(kMaxDigits - length_)];
}

std::uint64_t HsCode::high10() const noexcept {
  if (!valid()) return 0;
  return low10() + kPow10[static_cast<std::size_t>(kMaxDigits - length_)] - 1;
}

bool HsCode::contains(const HsCode& other) const noexcept {
  if (!valid() || !other.valid() || other.length_ < length_) return false;
  return other.digits_ / kPow10[static_cast<std::size_t>(other.length_ - length_)] == digits_;
}

std::strong_ordering operator<=>(const HsCode& a, const HsCode& b) noexcept {
  if (auto c = a.low10() <=> b.low10(); c != 0) return c;
  return a.length_ <=> b.length_;
}

// ---------------------------------------------------------------- HsRange

bool HsRange::contains(const HsCode& code) const noexcept {
  if (!code.valid() || !first.valid() || !last.valid()) return false;
  return low10() <= code.low10() && code.high10() <= high10();
}

bool HsRange::overlaps(const HsCode& code) const noexcept {
  if (!code.valid() || !first.valid() || !last.valid()) return false;
  return code.low10() <= high10() && low10() <= code.high10();
}

std::string HsRange::dotted() const {
  return first.dotted() + ".." + last.dotted();
}

// ---------------------------------------------------------------- HsSet

namespace {

using Interval = HsSet::Interval;

// The first interval whose low is above `value`; the one before it, if any, is
// the only interval that can hold `value` (intervals are sorted and disjoint).
std::vector<Interval>::const_iterator first_above(const std::vector<Interval>& v, std::uint64_t value) {
  return std::upper_bound(v.begin(), v.end(), value, [](std::uint64_t x, const Interval& iv) { return x < iv.low; });
}

// Intervals merge when they overlap or touch (high + 1 == next low).
bool joins(const Interval& a, const Interval& b) noexcept {
  // a.low <= b.low is assumed.
  return b.low <= a.high || b.low - a.high == 1;
}

}  // namespace

void HsSet::add(const HsCode& code) {
  if (!code.valid()) return;
  add(HsRange{code, code});
}

void HsSet::add(const HsRange& range) {
  if (!range.first.valid() || !range.last.valid()) return;
  Interval iv{range.low10(), range.high10()};
  if (iv.low > iv.high) return;  // a reversed range is empty

  // Every interval that joins iv is in [lo, hi): the one starting at or before
  // iv.low (if it reaches iv) and those starting within iv.high + 1.
  auto lo = intervals_.begin() + (first_above(intervals_, iv.low) - intervals_.cbegin());
  if (lo != intervals_.begin() && joins(*std::prev(lo), iv)) --lo;
  auto hi = lo;
  while (hi != intervals_.end() && (hi->low <= iv.high || hi->low - iv.high == 1)) {
    iv.low = std::min(iv.low, hi->low);
    iv.high = std::max(iv.high, hi->high);
    ++hi;
  }
  if (lo == hi) {
    intervals_.insert(lo, iv);
  } else {
    *lo = iv;
    intervals_.erase(std::next(lo), hi);
  }
}

void HsSet::add(const HsSet& other) {
  if (other.intervals_.empty()) return;
  if (intervals_.empty()) {
    intervals_ = other.intervals_;
    return;
  }
  // Merge two sorted lists, then join neighbours: O(n + m).
  std::vector<Interval> all;
  all.reserve(intervals_.size() + other.intervals_.size());
  std::merge(intervals_.begin(), intervals_.end(), other.intervals_.begin(), other.intervals_.end(),
             std::back_inserter(all), [](const Interval& a, const Interval& b) { return a.low < b.low; });
  std::vector<Interval> merged;
  merged.reserve(all.size());
  for (const Interval& iv : all) {
    if (!merged.empty() && joins(merged.back(), iv)) {
      merged.back().high = std::max(merged.back().high, iv.high);
    } else {
      merged.push_back(iv);
    }
  }
  intervals_ = std::move(merged);
}

bool HsSet::contains(const HsCode& code) const noexcept {
  if (!code.valid()) return false;
  auto it = first_above(intervals_, code.low10());
  if (it == intervals_.begin()) return false;
  return code.high10() <= std::prev(it)->high;
}

bool HsSet::overlaps(const HsCode& code) const noexcept {
  if (!code.valid()) return false;
  // The last interval starting at or before the code's last line is the one
  // reaching furthest right among those that could touch the code.
  auto it = first_above(intervals_, code.high10());
  if (it == intervals_.begin()) return false;
  return std::prev(it)->high >= code.low10();
}

bool HsSet::overlaps(const HsSet& other) const noexcept {
  auto a = intervals_.begin();
  auto b = other.intervals_.begin();
  while (a != intervals_.end() && b != other.intervals_.end()) {
    if (a->high < b->low) {
      ++a;
    } else if (b->high < a->low) {
      ++b;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace roo
