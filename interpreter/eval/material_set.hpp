// Sets of a product's materials as evaluation builds them: a bit per material
// of the run's material list (MaterialView, product_run.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <boost/container/small_vector.hpp>

namespace roo::eval {

class Bits {
public:
  explicit Bits(std::size_t n = 0) : words_((n + 63) / 64, 0) {}
  void set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
  void reset(std::size_t i) { words_[i / 64] &= ~(std::uint64_t{1} << (i % 64)); }
  bool test(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  bool any() const {
    for (auto w : words_)
      if (w) return true;
    return false;
  }
  Bits& operator|=(const Bits& o) {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= o.words_[i];
    return *this;
  }
  Bits& operator&=(const Bits& o) {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= o.words_[i];
    return *this;
  }
  Bits& minus(const Bits& o) {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= ~o.words_[i];
    return *this;
  }
  template <typename F>
  void each(F&& f) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t word = words_[w];
      while (word) {
        int bit = __builtin_ctzll(word);
        f(w * 64 + static_cast<std::size_t>(bit));
        word &= word - 1;
      }
    }
  }

private:
  // Two words hold 128 materials without an allocation: most BOMs.
  boost::container::small_vector<std::uint64_t, 2> words_;
};

// The value of a material-set expression: the materials surely in it, and
// those whose membership is unknown because data the test needs is missing.
struct MaterialSet {
  Bits sure;
  Bits maybe;
};

}  // namespace roo::eval
