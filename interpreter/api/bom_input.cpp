// Reading BOMs through the public API: from buffers, streams and files, each
// input giving exactly one BomInput (a file that cannot be read included).
#include <roo/roo.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <streambuf>

#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/core/file_io.hpp"

namespace roo {

namespace {

BomInput to_input(BomReadResult&& r, std::string name, std::optional<std::uint64_t> line) {
  BomInput in;
  if (r.bom) {
    in.product_id = r.bom->product.id;
    in.bom = std::make_shared<const Bom>(std::move(*r.bom));
  }
  in.diagnostics = std::move(r.diagnostics);
  in.name = std::move(name);
  in.line = line;
  return in;
}

BomInput io_error(const std::string& name, std::string message) {
  Diagnostic d;
  d.code = "bom-io";
  d.file = name;
  d.message = std::move(message);
  BomInput in;
  in.name = name;
  in.diagnostics.push_back(std::move(d));
  return in;
}

// A read-only stream over a buffer, so that JSON Lines in memory go through the
// same line reader as a stream (no copy of the text).
struct BufferStreambuf : std::streambuf {
  explicit BufferStreambuf(std::string_view text) {
    char* p = const_cast<char*>(text.data());  // never written: the get area only
    setg(p, p, p + text.size());
  }
};

void read_lines(std::istream& in, const BomReadOptions& options, const std::function<void(BomInput&&)>& each) {
  read_bom_json_lines(in, options.name, [&](std::uint64_t line, BomReadResult&& r) {
    each(to_input(std::move(r), fmt::format("{}:{}", options.name, line), line));
  });
}

BomInput read_one(std::string_view text, const BomReadOptions& options) {
  return to_input(options.format == BomFormat::csv ? read_bom_csv(text, options.name, options.product)
                                                   : read_bom_json(text, options.name),
                  options.name, std::nullopt);
}

}  // namespace

std::optional<BomFormat> bom_format_from_name(std::string_view name) noexcept {
  if (name == "json") return BomFormat::json;
  if (name == "jsonl" || name == "ndjson" || name == "json_lines") return BomFormat::json_lines;
  if (name == "csv") return BomFormat::csv;
  return std::nullopt;
}

void read_boms(std::string_view text, const BomReadOptions& options, const std::function<void(BomInput&&)>& each) {
  if (options.format != BomFormat::json_lines) {
    each(read_one(text, options));
    return;
  }
  BufferStreambuf buffer(text);
  std::istream in(&buffer);
  read_lines(in, options, each);
}

void read_boms(std::istream& in, const BomReadOptions& options, const std::function<void(BomInput&&)>& each) {
  if (options.format == BomFormat::json_lines) {
    read_lines(in, options, each);
    return;
  }
  // Read at most one byte past the limit, so that an endless stream is
  // refused at the limit instead of held in memory.
  std::string text;
  char block[1 << 16];
  while (text.size() <= max_bom_bytes && in.read(block, sizeof block).gcount() > 0)
    text.append(block, static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bom_bytes) {
    each(io_error(options.name, fmt::format("the input is larger than {} bytes, the most accepted for one BOM", max_bom_bytes)));
    return;
  }
  each(read_one(text, options));
}

void read_bom_file(const std::string& path, const ProductFields& product, const std::function<void(BomInput&&)>& each) {
  if (path == "-") {
    read_boms(std::cin, BomReadOptions{BomFormat::json, path, product}, each);
    return;
  }
  auto format = bom_format_for_path(path);
  if (!format) {
    each(io_error(path, "cannot read the file: unknown kind of file; expected a name ending in .json, .jsonl, .ndjson or .csv"));
    return;
  }
  BomReadOptions options{*format, path, product};
  if (*format == BomFormat::json_lines) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      each(io_error(path, "cannot read the file: is a directory"));
      return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      each(io_error(path, "cannot read the file: no such file, or not readable"));
      return;
    }
    read_lines(in, options, each);
    return;
  }
  std::string why;
  auto text = read_file(path, max_bom_bytes, why);
  if (!text) {
    each(io_error(path, "cannot read the file: " + why));
    return;
  }
  each(read_one(*text, options));
}

BomInput read_bom(std::string_view text, BomFormat format, std::string_view name) {
  BomInput out;
  read_boms(text, BomReadOptions{format, std::string(name), {}}, [&](BomInput&& in) {
    if (!out.bom && out.diagnostics.empty()) out = std::move(in);
  });
  return out;
}

}  // namespace roo
