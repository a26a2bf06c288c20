// Shared by the fuzz targets: formats every diagnostic (text and JSON) so the
// formatting code runs on whatever the readers produce, and checks the
// invariants every reader promises.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/core/diagnostic.hpp"
#include "interpreter/json/json.hpp"

namespace roo_fuzz {

inline void exercise(const std::vector<roo::Diagnostic>& diagnostics) {
  std::size_t total = 0;
  for (const auto& d : diagnostics) {
    total += roo::format_diagnostic(d).size();
    std::string j = roo::diagnostic_json(d);
    // The JSON form must always be valid JSON.
    if (!roo::json::parse(j).value) std::abort();
    total += j.size();
  }
  (void)total;
}

inline void check(const roo::BomReadResult& r) {
  // A BOM is returned exactly when there is no error.
  if (r.bom.has_value() == roo::has_errors(r.diagnostics)) std::abort();
  if (!r.bom && r.diagnostics.empty()) std::abort();
  exercise(r.diagnostics);
}

}  // namespace roo_fuzz
