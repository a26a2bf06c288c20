// libFuzzer target: the JSON parser and the JSON BOM reader.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = roo::json::parse(text);
  // Exactly one of value and error.
  if (parsed.value.has_value() == parsed.error.has_value()) std::abort();
  if (parsed.error && parsed.error->offset > size) std::abort();
  if (parsed.value && parsed.value->end > size) std::abort();

  roo_fuzz::check(roo::read_bom_json(text, "fuzz.bom.json"));
  // The fast path reads only what the located reader reads without a word, and
  // reads it the same.
  if (auto fast = roo::read_bom_json_fast(text)) {
    auto located = roo::read_bom_json_located(text, "fuzz.bom.json");
    if (!located.bom || !located.diagnostics.empty() || !(*fast == *located.bom)) std::abort();
  }
  // A JSON Lines record starts on a later line.
  roo_fuzz::check(roo::read_bom_json(text, "fuzz.bom.jsonl", 7));
  return 0;
}
