// libFuzzer target: the JSON Lines reader over a stream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::uint32_t last = 0;
  roo::read_bom_json_lines(in, "fuzz.bom.jsonl", [&](std::uint32_t line, roo::BomReadResult&& r) {
    // Records come in order, one per line at most.
    if (line <= last) std::abort();
    last = line;
    roo_fuzz::check(r);
    for (const auto& d : r.diagnostics)
      if (d.line != line) std::abort();  // a record is one line
  });
  return 0;
}
