// Harmonized System codes, ranges and sets.
//
// An HsCode is 2, 4, 6, 8 or 10 digits: a chapter, heading, subheading or a
// national tariff line. It is stored as its digits packed into an integer plus
// its length, so copies are cheap and comparisons are integer comparisons.
//
// Every code stands for an interval of 10-digit lines: heading 7208 is
// [7208000000, 7208999999]. Ranges and sets are unions of such intervals, and
// containment is an interval test, which is what the rule index rests on.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roo {

class HsCode {
 public:
  HsCode() = default;  // invalid/empty code (length 0)

  // Parses "8501.52", "850152", "8501 52 20", "85.01", "01" (dots and spaces are
  // ignored). Accepts min_digits..10 digits, an even count. Rejects other
  // characters, odd lengths, chapter 00, chapters above 97 and the reserved
  // chapter 77, and heading numbers 00 (xx00). On failure returns nullopt and,
  // when error is given, says what is wrong ("HS code '85015' has 5 digits;
  // expected 4, 6, 8 or 10").
  static std::optional<HsCode> parse(std::string_view text, std::string* error = nullptr, int min_digits = 4);

  // From exact digits (no validation beyond length); for tests and generated data.
  static HsCode from_digits(std::uint64_t digits, int length);

  int length() const noexcept { return length_; }  // 0, 2, 4, 6, 8 or 10
  bool valid() const noexcept { return length_ > 0; }
  std::uint64_t digits_value() const noexcept { return digits_; }  // 850152 for "8501.52"

  int chapter_number() const noexcept;          // 85
  HsCode chapter() const noexcept;              // 85
  HsCode heading() const noexcept;              // 8501 (itself when shorter)
  HsCode subheading() const noexcept;           // 850152 (itself when shorter)
  HsCode truncated(int length) const noexcept;  // the first `length` digits

  std::string digits() const;  // "850152"
  std::string dotted() const;  // "85", "85.01", "8501.52", "8501.52.20", "8501.52.20.10"

  // The 10-digit interval this code stands for, inclusive.
  std::uint64_t low10() const noexcept;
  std::uint64_t high10() const noexcept;

  // True when `other` lies within this code (this is a prefix of other).
  bool contains(const HsCode& other) const noexcept;

  friend bool operator==(const HsCode&, const HsCode&) = default;
  // Orders by 10-digit low bound, then shorter (wider) code first.
  friend std::strong_ordering operator<=>(const HsCode& a, const HsCode& b) noexcept;

 private:
  std::uint64_t digits_ = 0;
  std::uint8_t length_ = 0;
};

// An inclusive range of codes "7208..7217" or "841311..841510": every line from
// the first line of `first` to the last line of `last`. first and last may have
// different lengths.
struct HsRange {
  HsCode first;
  HsCode last;
  std::uint64_t low10() const noexcept { return first.low10(); }
  std::uint64_t high10() const noexcept { return last.high10(); }
  bool contains(const HsCode& code) const noexcept;  // the whole code lies inside
  bool overlaps(const HsCode& code) const noexcept;  // any line of code lies inside
  std::string dotted() const;                        // "72.08..72.17"
};

// A set of codes and ranges, normalised to sorted, merged intervals.
class HsSet {
 public:
  void add(const HsCode& code);
  void add(const HsRange& range);
  void add(const HsSet& other);
  bool empty() const noexcept { return intervals_.empty(); }
  // The whole code lies inside the union (binary search).
  bool contains(const HsCode& code) const noexcept;
  // Some line of the code lies inside the union.
  bool overlaps(const HsCode& code) const noexcept;
  bool overlaps(const HsSet& other) const noexcept;

  struct Interval {
    std::uint64_t low, high;  // inclusive, 10-digit lines
  };
  const std::vector<Interval>& intervals() const noexcept { return intervals_; }

 private:
  std::vector<Interval> intervals_;
};

}  // namespace roo
