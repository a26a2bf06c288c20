// libFuzzer target: the CSV BOM reader, with and without command-line overrides.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  roo_fuzz::check(roo::read_bom_csv(text, "fuzz.bom.csv"));
  static const roo::ProductFields overrides = {{"hs", "8501.52"}, {"currency", "EUR"}, {"ex_works", "100.00"}};
  roo_fuzz::check(roo::read_bom_csv(text, "fuzz.bom.csv", overrides));
  return 0;
}
