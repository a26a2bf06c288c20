// Reading BOMs: JSON (one BOM per file), JSON Lines (one BOM per line, streamed)
// and CSV (flat BOMs). Every defect becomes a located Diagnostic; a BOM is
// returned only when there is no error (warnings may accompany it).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <roo/roo.hpp>

#include "interpreter/bom/bom.hpp"
#include "interpreter/core/diagnostic.hpp"

namespace roo {

struct BomReadResult {
  std::optional<Bom> bom;  // set when the input has no error
  std::vector<Diagnostic> diagnostics;
};

// One BOM from JSON text. `first_line` is the line number of the text's first
// line in its file (for JSON Lines records).
BomReadResult read_bom_json(std::string_view text, std::string_view file, std::uint64_t first_line = 1);

// The two halves of read_bom_json, exposed for the tests that compare them.
// The fast path, tried first: the BOM of text that is well formed and has
// nothing to report (no error, no warning), read without a JSON tree; nullopt
// for any other text. The located reader, used when the fast path declines:
// reads any text, and reports each defect at its place.
std::optional<Bom> read_bom_json_fast(std::string_view text, std::uint64_t first_line = 1);
BomReadResult read_bom_json_located(std::string_view text, std::string_view file, std::uint64_t first_line = 1);

// One flat BOM from CSV text. `overrides` take precedence over the file's
// "# product:" line.
BomReadResult read_bom_csv(std::string_view text, std::string_view file, const ProductFields& overrides = {});

// JSON Lines: calls `on_record(line_number, result)` for every line that is not
// blank, in order, reading one line at a time (memory stays flat however long
// the stream is).
void read_bom_json_lines(std::istream& in, std::string_view file,
                         const std::function<void(std::uint64_t, BomReadResult&&)>& on_record,
                         std::uint64_t first_line = 1);

}  // namespace roo
