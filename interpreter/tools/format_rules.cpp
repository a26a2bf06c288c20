// format_rules (roo fmt) and reading rules source: include/roo/tools.hpp.
#include <roo/tools.hpp>

#include "grammar/parse.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/lang/format.hpp"

namespace roo {

std::optional<std::string> read_rules_source(const std::string& path, std::string& error) {
  return read_file(path, max_source_bytes, error);
}

FormatResult format_rules(std::string_view text, std::string_view name) {
  FormatResult out;
  ParseResult parsed = parse(text, name);
  out.diagnostics = std::move(parsed.diagnostics);
  if (has_errors(out.diagnostics)) return out;
  std::string formatted = format_source(parsed.file, text);
  // Never give a text that reads differently from the original.
  ParseResult again = parse(formatted, name);
  if (has_errors(again.diagnostics) || !same_syntax(parsed.file, again.file)) {
    out.meaning_changed = true;
    return out;
  }
  out.text = std::move(formatted);
  return out;
}

}  // namespace roo
