// Reading BOMs through the public API: from buffers, streams and files, each
// input giving exactly one BomInput (a file that cannot be read included).
#include <roo/roo.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <streambuf>

#include <sys/stat.h>
#include <unistd.h>

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

// The text of a stream read whole: a malloc'd buffer grown by realloc.
struct StreamText {
  char* data = nullptr;
  std::size_t size = 0, capacity = 0;
  StreamText() = default;
  StreamText(const StreamText&) = delete;
  StreamText& operator=(StreamText&& o) noexcept {
    std::swap(data, o.data);
    std::swap(size, o.size);
    std::swap(capacity, o.capacity);
    return *this;
  }
  ~StreamText() { std::free(data); }
  void reserve(std::size_t n) {
    if (n <= capacity) return;
    // Never more than the limit allows, so address space stays bounded too.
    std::size_t grown = std::max(n, std::min(capacity + capacity / 2, max_bom_bytes + 1));
    auto* p = static_cast<char*>(std::realloc(data, grown));
    if (!p) throw std::bad_alloc();
    data = p;
    capacity = grown;
  }
};

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
  // refused at the limit instead of held in memory. The buffer grows with
  // realloc, which moves a large block by remapping its pages (no copy): a
  // std::string doubling its capacity would hold the old and the new buffer at
  // once, twice the bytes read at the peak.
  StreamText text;
  constexpr std::size_t block = std::size_t{1} << 16;
  while (text.size <= max_bom_bytes) {
    std::size_t want = std::min(block, max_bom_bytes + 1 - text.size);
    text.reserve(text.size + want);
    auto got = static_cast<std::size_t>(in.read(text.data + text.size, static_cast<std::streamsize>(want)).gcount());
    text.size += got;
    if (got < want) break;
  }
  if (text.size > max_bom_bytes) {
    text = StreamText{};  // the bytes are not needed for the error result
    each(io_error(options.name, fmt::format("the input is larger than {} bytes, the most accepted for one BOM", max_bom_bytes)));
    return;
  }
  each(read_one(std::string_view(text.data, text.size), options));
}

void read_bom_file(const std::string& path, const ProductFields& product, const std::function<void(BomInput&&)>& each) {
  if (path == "-") {
    // Standard input redirected from a file too large is refused at once, as
    // the file named would be (what is left of it from the current offset).
    struct stat st {};
    if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
      off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
      if (at >= 0 && st.st_size > at && static_cast<std::uint64_t>(st.st_size - at) > max_bom_bytes) {
        each(io_error(path, fmt::format("the input is larger than {} bytes, the most accepted for one BOM", max_bom_bytes)));
        return;
      }
    }
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
