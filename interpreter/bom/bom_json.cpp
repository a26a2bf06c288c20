// JSON and JSON Lines BOM readers.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "interpreter/bom/bom_fields.hpp"
#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/json/json.hpp"

namespace roo {

namespace {

using bom_fields::Field;
using bom_fields::Kind;
using bom_fields::Owner;
using bom_fields::Problem;

// The JSON pointer of member `key` of the value at `parent` (RFC 6901 escaping).
std::string child_pointer(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out += '/';
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

class JsonBomReader {
 public:
  JsonBomReader(std::string_view src, std::string_view file, std::uint64_t first_line)
      : src_(src), file_(file), first_line_(first_line) {}

  BomReadResult read() {
    BomReadResult result;
    auto parsed = json::parse(src_);
    if (parsed.error) {
      report(Severity::error, parsed.error->code, parsed.error->message, parsed.error->offset, 1, "");
      result.diagnostics = std::move(diags_);
      return result;
    }
    const json::Value& root = *parsed.value;
    Bom bom;
    if (!root.is(json::Type::object)) {
      report(Severity::error, "bom-type",
             fmt::format("a BOM must be a JSON object; found {}", json::type_name(root.type)), root.offset, 1, "");
    } else {
      read_top(root, bom);
    }
    if (root.is(json::Type::object)) {
      for (auto& placed : bom_fields::check_bom(bom)) report_placed(root, placed);
    }
    // Report in the order of the file.
    sort_by_place(diags_);
    if (!has_errors(diags_)) result.bom = std::move(bom);
    result.diagnostics = std::move(diags_);
    return result;
  }

 private:
  std::string_view src_;
  std::string_view file_;
  std::uint64_t first_line_;
  std::vector<Diagnostic> diags_;
  LineIndex lines_{src_};  // a BOM with many materials or defects must not take quadratic time


  void report(Severity severity, std::string code, std::string message, std::uint32_t offset, std::uint32_t length,
              std::string pointer, std::vector<std::string> notes = {}) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = std::string(file_);
    auto at = lines_.locate(offset);
    d.line = at.line + first_line_ - 1;
    d.column = at.column;
    d.length = length;
    set_source_line(d, at.text);
    d.pointer = std::move(pointer);
    d.notes = std::move(notes);
    diags_.push_back(std::move(d));
  }

  void report(const Problem& p, const json::Value& at, const std::string& pointer) {
    report(p.warning ? Severity::warning : Severity::error, p.code, p.message, at.offset, at.end - at.offset, pointer,
           p.notes);
  }

  // Problems found on the whole BOM are reported at the value they concern,
  // found again in the parsed document by its JSON pointer.
  void report_placed(const json::Value& root, const bom_fields::PlacedProblem& placed) {
    std::string pointer = placed.place.pointer + placed.field;
    const json::Value* at = find_pointer(root, pointer);
    if (!at) at = find_pointer(root, placed.place.pointer);
    if (!at) at = &root;
    report(placed.problem.warning ? Severity::warning : Severity::error, placed.problem.code, placed.problem.message,
           at->offset, at->end - at->offset, pointer, placed.problem.notes);
  }

  static const json::Value* find_pointer(const json::Value& root, std::string_view pointer) {
    const json::Value* v = &root;
    while (!pointer.empty() && v) {
      pointer.remove_prefix(1);  // '/'
      std::size_t slash = pointer.find('/');
      std::string token;
      for (std::size_t i = 0; i < std::min(slash, pointer.size()); ++i) {
        if (pointer[i] == '~' && i + 1 < pointer.size()) {
          token += pointer[i + 1] == '1' ? '/' : '~';
          ++i;
        } else {
          token += pointer[i];
        }
      }
      pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
      if (v->is(json::Type::object)) {
        v = v->find(token);
      } else if (v->is(json::Type::array)) {
        std::size_t index = 0;
        for (char c : token) index = index * 10 + static_cast<std::size_t>(c - '0');
        v = index < v->items.size() ? &v->items[index] : nullptr;
      } else {
        v = nullptr;
      }
    }
    return v;
  }

  void type_error(const json::Value& v, const std::string& pointer, std::string_view name, std::string_view expected) {
    report(Severity::error, "bom-type",
           fmt::format("'{}' must be {}; found {}", name, expected, json::type_name(v.type)), v.offset,
           v.end - v.offset, pointer);
  }

  SourcePlace place_of(const json::Value& v, const std::string& pointer) {
    auto at = lines_.locate(v.offset);
    return SourcePlace{at.line + first_line_ - 1, at.column, pointer};
  }

  void read_top(const json::Value& root, Bom& bom) {
    check_duplicate_keys(root, "");
    const json::Value* product = nullptr;
    for (std::size_t i = 0; i < root.keys.size(); ++i) {
      const std::string& key = root.keys[i];
      const json::Value& v = root.items[i];
      if (key == "product") {
        product = &v;
        continue;
      }
      const Field* f = bom_fields::find_field(key, Owner::top);
      if (!f) {
        unknown_field(root, i, child_pointer("", key), Owner::top);
        continue;
      }
      if (f->kind == Kind::materials) {
        read_materials(v, child_pointer("", key), bom, bom.materials, 1);
        continue;
      }
      read_scalar(bom, bom.product, nullptr, nullptr, *f, v, "", key);
    }
    if (!product) {
      report(Severity::error, "bom-required", "the BOM has no 'product'; expected an object with at least 'hs'",
             root.offset, 1, "");
      return;
    }
    if (!product->is(json::Type::object)) {
      type_error(*product, "/product", "product", "an object");
      return;
    }
    bom.product.place = place_of(*product, "/product");
    read_item_fields(*product, "/product", Owner::product, bom, bom.product, nullptr, &bom.product, 0);
  }

  void check_duplicate_keys(const json::Value& obj, const std::string& pointer) {
    const std::size_t n = obj.keys.size();
    if (n <= 16) {
      // Small objects (every BOM item): compare names pairwise, without allocating.
      for (std::size_t i = 1; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (obj.keys[j] == obj.keys[i]) {
            duplicate_key(obj, pointer, i, j);
            break;
          }
      return;
    }
    // Index of each name's first use (a hash map: objects may have many members).
    std::unordered_map<std::string_view, std::size_t> first_use;
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, inserted] = first_use.emplace(obj.keys[i], i);
      if (!inserted) duplicate_key(obj, pointer, i, it->second);
    }
  }

  // Member i repeats the name of member `first`.
  void duplicate_key(const json::Value& obj, const std::string& pointer, std::size_t i, std::size_t first_index) {
    auto first = lines_.locate(obj.key_offsets[first_index]);
    report(Severity::error, "bom-duplicate-key", fmt::format("member '{}' appears twice in this object", obj.keys[i]),
           obj.key_offsets[i], static_cast<std::uint32_t>(obj.keys[i].size() + 2), child_pointer(pointer, obj.keys[i]),
           {fmt::format("first given at line {}", first.line + first_line_ - 1)});
  }

  void unknown_field(const json::Value& obj, std::size_t i, const std::string& pointer, Owner owner) {
    std::vector<std::string> notes;
    auto names = bom_fields::field_names(owner);
    auto nearest = nearest_name(obj.keys[i], names);
    if (!nearest.empty()) notes.push_back(fmt::format("did you mean '{}'?", nearest));
    std::string_view where = owner == Owner::top       ? "at the top of a BOM"
                             : owner == Owner::product ? "in 'product'"
                                                       : "in a material";
    report(Severity::warning, "bom-unknown-field", fmt::format("unknown field '{}' {} is ignored", obj.keys[i], where),
           obj.key_offsets[i], static_cast<std::uint32_t>(obj.keys[i].size() + 2), pointer, std::move(notes));
  }

  // The value of member `key` of the object at `parent` (its JSON pointer is
  // built only when there is something to report).
  void read_scalar(Bom& bom, Item& item, Material* material, Product* product, const Field& f, const json::Value& v,
                   std::string_view parent, std::string_view key) {
    bool ok_type =
        v.is(json::Type::string) ||
        (v.is(json::Type::number) && (f.kind == Kind::amount || f.kind == Kind::hs_edition || f.kind == Kind::hs)) ||
        (v.is(json::Type::boolean) && (f.kind == Kind::boolean || f.kind == Kind::wholly_obtained));
    if (f.kind == Kind::boolean && v.is(json::Type::string)) ok_type = false;
    if (!ok_type) {
      std::string_view expected = f.kind == Kind::amount            ? "a decimal number (string or number)"
                                  : f.kind == Kind::boolean         ? "true or false"
                                  : f.kind == Kind::wholly_obtained ? "true, false or a category string"
                                  : f.kind == Kind::hs_edition      ? "a year such as 2022"
                                                                    : "a string";
      type_error(v, child_pointer(parent, key), f.name, expected);
      return;
    }
    std::string_view text = v.is(json::Type::boolean) ? (v.boolean ? "true" : "false") : std::string_view(v.text);
    if (auto p = bom_fields::set_scalar(bom, item, material, product, f, text, v.is(json::Type::number)))
      report(*p, v, child_pointer(parent, key));
  }

  void read_item_fields(const json::Value& obj, const std::string& pointer, Owner owner, Bom& bom, Item& item,
                        Material* material, Product* product, int depth) {
    check_duplicate_keys(obj, pointer);
    bool has_hs = false;
    const json::Value* sub_materials = nullptr;
    std::string sub_pointer;
    for (std::size_t i = 0; i < obj.keys.size(); ++i) {
      const std::string& key = obj.keys[i];
      const json::Value& v = obj.items[i];
      // The member's JSON pointer, built only when needed (reports, sub-BOMs).
      auto ptr = [&] { return child_pointer(pointer, key); };
      const Field* f = bom_fields::find_field(key, owner);
      if (!f) {
        unknown_field(obj, i, ptr(), owner);
        continue;
      }
      switch (f->kind) {
        case Kind::materials:
          sub_materials = &v;
          sub_pointer = ptr();
          break;
        case Kind::attributes:
          read_attributes(v, ptr(), item);
          break;
        case Kind::process_list:
        case Kind::text_list: {
          if (!v.is(json::Type::array)) {
            type_error(v, ptr(), f->name, "an array of strings");
            break;
          }
          std::vector<std::string> list;
          list.reserve(v.items.size());
          for (std::size_t k = 0; k < v.items.size(); ++k) {
            const json::Value& e = v.items[k];
            auto eptr = [&] { return fmt::format("{}/{}", ptr(), k); };
            if (!e.is(json::Type::string)) {
              type_error(e, eptr(), fmt::format("{}[{}]", f->name, k), "a string");
              continue;
            }
            if (f->kind == Kind::process_list) {
              if (auto p = bom_fields::check_process(e.text)) report(*p, e, eptr());
            } else if (e.text.empty()) {
              report(Severity::error, "bom-type", "an agreement id must not be empty", e.offset, e.end - e.offset,
                     eptr());
              continue;
            }
            list.push_back(e.text);
          }
          if (f->kind == Kind::process_list) {
            item.processes = std::move(list);
            item.processes_declared = true;
          } else if (material)
            material->originating_under = std::move(list);
          break;
        }
        default:
          if (f->kind == Kind::hs) has_hs = true;
          read_scalar(bom, item, material, product, *f, v, pointer, key);
      }
    }
    if (!has_hs)
      report(Severity::error, "bom-required",
             fmt::format("{} has no 'hs'; an HS code of 4 to 10 digits is required",
                         owner == Owner::product ? "the product" : "this material"),
             obj.offset, 1, pointer);
    if (sub_materials && material) {
      if (!material->self_produced && material->produced_in.empty())
        report(Severity::warning, "bom-sub-bom",
               "materials under a material that is neither 'self_produced' nor 'produced_in' a partner are not used",
               sub_materials->offset, 1, sub_pointer);
      read_materials(*sub_materials, sub_pointer, bom, material->materials, depth + 1);
    }
  }

  void read_attributes(const json::Value& v, const std::string& pointer, Item& item) {
    if (!v.is(json::Type::object)) {
      type_error(v, pointer, "attributes", "an object of names to strings, numbers or booleans");
      return;
    }
    check_duplicate_keys(v, pointer);
    for (std::size_t i = 0; i < v.keys.size(); ++i) {
      const json::Value& a = v.items[i];
      std::string ptr = child_pointer(pointer, v.keys[i]);
      Attribute attr{v.keys[i], a.text, Attribute::Kind::string};
      if (a.is(json::Type::number))
        attr.kind = Attribute::Kind::number;
      else if (a.is(json::Type::boolean)) {
        attr.kind = Attribute::Kind::boolean;
        attr.text = a.boolean ? "true" : "false";
      } else if (!a.is(json::Type::string)) {
        type_error(a, ptr, fmt::format("attributes/{}", v.keys[i]), "a string, number or boolean");
        continue;
      }
      item.attributes.push_back(std::move(attr));
    }
  }

  void read_materials(const json::Value& v, const std::string& pointer, Bom& bom, std::vector<Material>& out,
                      int depth) {
    if (!v.is(json::Type::array)) {
      type_error(v, pointer, "materials", "an array of material objects");
      return;
    }
    if (depth > max_bom_depth) {
      report(Severity::error, "bom-depth",
             fmt::format("self-produced materials are nested more than {} levels deep", max_bom_depth), v.offset, 1,
             pointer);
      return;
    }
    out.reserve(v.items.size());
    for (std::size_t k = 0; k < v.items.size(); ++k) {
      const json::Value& e = v.items[k];
      std::string ptr = pointer;
      ptr += '/';
      ptr += std::to_string(k);
      if (!e.is(json::Type::object)) {
        type_error(e, ptr, "a material", "an object");
        continue;
      }
      Material m;
      m.place = place_of(e, ptr);
      read_item_fields(e, ptr, Owner::material, bom, m, &m, nullptr, depth);
      out.push_back(std::move(m));
    }
  }
};


// The fast path. A BOM that is well formed and has nothing to report is read
// straight from its text, without a JSON tree. The reader declines (nullopt)
// at the first thing it would have to report, and at what it leaves to the
// located reader (escapes, control characters and non-ASCII bytes in strings,
// a byte order mark, null, unknown fields, anything a warning is given for);
// JsonBomReader then reads the text and says what is wrong. Both turn text into
// values with bom_fields::set_scalar and read members in the same order, so
// they give the same Bom (tests/unit/bom_test.cpp compares them).
class FastBomReader {
 public:
  FastBomReader(std::string_view src, std::uint64_t first_line)
      : p_(src.data()), end_(src.data() + src.size()), line_(first_line), line_start_(src.data()) {}

  std::optional<Bom> read() {
    Bom bom;
    if (!top(bom)) return std::nullopt;
    ws();
    if (p_ != end_) return std::nullopt;
    if (!bom_fields::check_bom(bom).empty()) return std::nullopt;
    return bom;
  }

 private:
  const char* p_;
  const char* end_;
  std::uint64_t line_;
  const char* line_start_;

  struct Scalar {
    json::Type type = json::Type::null_value;
    std::string_view text;
  };

  // Compact JSON Lines have no whitespace between tokens: one test, inlined.
  [[gnu::always_inline]] inline void ws() {
    if (p_ < end_ && static_cast<unsigned char>(*p_) > ' ') return;
    skip_ws();
  }

  void skip_ws() {
    while (p_ < end_) {
      char c = *p_;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p_;
      } else if (c == '\n') {
        ++p_;
        ++line_;
        line_start_ = p_;
      } else {
        break;
      }
    }
  }

  [[gnu::always_inline]] inline bool next_is(char c) {
    ws();
    return p_ < end_ && *p_ == c;
  }

  [[gnu::always_inline]] inline bool eat(char c) {
    if (!next_is(c)) return false;
    ++p_;
    return true;
  }

  SourcePlace place(std::string pointer) const {
    return SourcePlace{line_, static_cast<std::uint32_t>(p_ - line_start_ + 1), std::move(pointer)};
  }

  // A string of printable ASCII without escapes: its text is its bytes.
  bool string(std::string_view& out) {
    // Bytes a string may hold here without a closer look: printable ASCII
    // other than '"' and '\\'. One table lookup per byte.
    static constexpr auto plain = [] {
      std::array<bool, 256> t{};
      for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
      return t;
    }();
    if (p_ >= end_ || *p_ != '"') return false;
    const char* start = ++p_;
    while (p_ < end_ && plain[static_cast<unsigned char>(*p_)]) ++p_;
    if (p_ >= end_ || *p_ != '"') return false;  // an escape, a control or non-ASCII byte, or the end
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // A number in the strict JSON grammar; its text is kept exactly.
  bool number(std::string_view& out) {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ >= end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && is_digit(*p_)) ++p_;
    } else {
      return false;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ >= end_ || !is_digit(*p_)) return false;
      while (p_ < end_ && is_digit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || !is_digit(*p_)) return false;
      while (p_ < end_ && is_digit(*p_)) ++p_;
    }
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return true;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // A string, number or boolean.
  bool scalar(Scalar& out) {
    ws();
    if (p_ >= end_) return false;
    char c = *p_;
    if (c == '"') {
      out.type = json::Type::string;
      return string(out.text);
    }
    if (c == 't' || c == 'f') {
      out.type = json::Type::boolean;
      out.text = c == 't' ? "true" : "false";
      return literal(out.text);
    }
    out.type = json::Type::number;
    return (c == '-' || is_digit(c)) && number(out.text);
  }

  // Calls member(key) at each member's value; false when it or the syntax fails.
  template <typename Member>
  bool object(Member&& member) {
    if (!eat('{')) return false;
    if (eat('}')) return true;
    while (true) {
      ws();
      std::string_view key;
      if (!string(key) || !eat(':')) return false;
      ws();
      if (!member(key)) return false;
      if (eat(',')) continue;
      return eat('}');
    }
  }

  template <typename Element>
  bool array(Element&& element) {
    if (!eat('[')) return false;
    if (eat(']')) return true;
    for (std::size_t k = 0;; ++k) {
      ws();
      if (!element(k)) return false;
      if (eat(',')) continue;
      return eat(']');
    }
  }

  // The fields met in one object so far (each at most once: a field seen twice
  // is a defect the located reader reports).
  struct Seen {
    std::array<const Field*, 40> fields{};
    std::size_t count = 0;
    bool first_time(const Field* f) {
      for (std::size_t i = 0; i < count; ++i)
        if (fields[i] == f) return false;
      if (count == fields.size()) return false;
      fields[count++] = f;
      return true;
    }
  };

  // read_scalar of JsonBomReader, without the reports.
  bool scalar_field(Bom& bom, Item& item, Material* material, Product* product, const Field& f) {
    Scalar v;
    if (!scalar(v)) return false;
    bool ok_type = v.type == json::Type::string ||
                   (v.type == json::Type::number && (f.kind == Kind::amount || f.kind == Kind::hs_edition || f.kind == Kind::hs)) ||
                   (v.type == json::Type::boolean && (f.kind == Kind::boolean || f.kind == Kind::wholly_obtained));
    if (f.kind == Kind::boolean && v.type == json::Type::string) ok_type = false;
    return ok_type && !bom_fields::set_scalar(bom, item, material, product, f, v.text, v.type == json::Type::number);
  }

  bool top(Bom& bom) {
    Seen seen;
    bool has_product = false;
    bool ok = object([&](std::string_view key) {
      const Field* f = bom_fields::find_field(key, Owner::top);
      if (!f || !seen.first_time(f)) return false;
      if (f->slot == bom_fields::Slot::product) {
        has_product = true;
        if (!next_is('{')) return false;
        bom.product.place = place("/product");
        return item(Owner::product, "/product", bom, bom.product, nullptr, &bom.product, 0);
      }
      if (f->kind == Kind::materials) return materials("/materials", bom, bom.materials, 1);
      return scalar_field(bom, bom.product, nullptr, nullptr, *f);
    });
    return ok && has_product;
  }

  // read_item_fields of JsonBomReader, without the reports.
  bool item(Owner owner, const std::string& pointer, Bom& bom, Item& it, Material* material, Product* product,
            int depth) {
    Seen seen;
    bool has_hs = false, has_sub = false;
    std::vector<Material> sub;
    bool ok = object([&](std::string_view key) {
      const Field* f = bom_fields::find_field(key, owner);
      if (!f || !seen.first_time(f)) return false;
      switch (f->kind) {
        case Kind::materials:
          has_sub = true;
          return materials(child_pointer(pointer, key), bom, sub, depth + 1);
        case Kind::attributes:
          return attributes(it);
        case Kind::process_list:
        case Kind::text_list: {
          std::vector<std::string> list;
          if (!array([&](std::size_t) {
                std::string_view text;
                if (!string(text)) return false;
                if (f->kind == Kind::process_list ? bom_fields::check_process(text).has_value() : text.empty())
                  return false;
                list.emplace_back(text);
                return true;
              }))
            return false;
          if (f->kind == Kind::process_list) {
            it.processes = std::move(list);
            it.processes_declared = true;
          } else if (material) {
            material->originating_under = std::move(list);
          }
          return true;
        }
        default:
          if (f->kind == Kind::hs) has_hs = true;
          return scalar_field(bom, it, material, product, *f);
      }
    });
    if (!ok || !has_hs) return false;
    if (has_sub) {
      // Only a material may have "materials"; under one that is neither self-produced
      // nor a partner's production they are not used, which is reported.
      if (!material || (!material->self_produced && material->produced_in.empty())) return false;
      material->materials = std::move(sub);
    }
    return true;
  }

  bool attributes(Item& it) {
    // A few attributes are checked for repeats as they come; many, once at
    // the end by sorting (a scan per key would be quadratic in the keys).
    constexpr std::size_t scan_limit = 8;
    bool ok = object([&](std::string_view key) {
      if (it.attributes.size() < scan_limit)
        for (const auto& a : it.attributes)
          if (a.name == key) return false;
      Scalar v;
      if (!scalar(v)) return false;
      Attribute attr{std::string(key), std::string(v.text), Attribute::Kind::string};
      if (v.type == json::Type::number) attr.kind = Attribute::Kind::number;
      if (v.type == json::Type::boolean) attr.kind = Attribute::Kind::boolean;
      it.attributes.push_back(std::move(attr));
      return true;
    });
    if (!ok || it.attributes.size() <= scan_limit) return ok;
    // Sorted by a hash of the name, not by the name: integers side by side
    // compare without following a pointer to each name (sorting the names
    // made a million keys cost 3x as much per key as 300,000). Names are
    // compared only within a run of equal hashes, sorted by name (so that
    // keys made to collide cost no more than sorting the names).
    std::vector<std::pair<std::uint64_t, std::uint32_t>> hashes;
    hashes.reserve(it.attributes.size());
    for (std::size_t i = 0; i < it.attributes.size(); ++i)
      hashes.emplace_back(std::hash<std::string_view>{}(it.attributes[i].name), static_cast<std::uint32_t>(i));
    std::sort(hashes.begin(), hashes.end());
    auto name = [&](const std::pair<std::uint64_t, std::uint32_t>& h) -> std::string_view {
      return it.attributes[h.second].name;
    };
    for (auto run = hashes.begin(); run != hashes.end();) {
      auto end = std::find_if(run, hashes.end(), [&](const auto& h) { return h.first != run->first; });
      if (end - run > 1) {
        std::sort(run, end, [&](const auto& a, const auto& b) { return name(a) < name(b); });
        if (std::adjacent_find(run, end, [&](const auto& a, const auto& b) { return name(a) == name(b); }) != end)
          return false;  // a repeat: the located reader reports it
      }
      run = end;
    }
    return true;
  }

  bool materials(const std::string& pointer, Bom& bom, std::vector<Material>& out, int depth) {
    if (depth > max_bom_depth) return false;
    out.reserve(depth == 1 ? 16 : 4);  // a Material is large to move when the vector grows
    return array([&](std::size_t k) {
      if (!next_is('{')) return false;
      std::string ptr = pointer;
      ptr += '/';
      ptr += std::to_string(k);
      Material& m = out.emplace_back();  // read in place: a Material is large to move
      m.place = place(ptr);
      return item(Owner::material, m.place.pointer, bom, m, &m, nullptr, depth);
    });
  }
};

}  // namespace

std::optional<Bom> read_bom_json_fast(std::string_view text, std::uint64_t first_line) {
  return FastBomReader(text, first_line).read();
}

BomReadResult read_bom_json(std::string_view text, std::string_view file, std::uint64_t first_line) {
  if (text.size() > max_bom_bytes) {
    BomReadResult r;
    Diagnostic d;
    d.code = "bom-size";
    d.message =
        fmt::format("the input is {} bytes; at most {} bytes are accepted for one BOM", text.size(), max_bom_bytes);
    d.file = std::string(file);
    d.line = first_line;
    d.column = 1;
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  if (auto bom = read_bom_json_fast(text, first_line)) {
    BomReadResult r;
    r.bom = std::move(*bom);
    return r;
  }
  return read_bom_json_located(text, file, first_line);
}

BomReadResult read_bom_json_located(std::string_view text, std::string_view file, std::uint64_t first_line) {
  return JsonBomReader(text, file, first_line).read();
}

void read_bom_json_lines(std::istream& in, std::string_view file,
                         const std::function<void(std::uint64_t, BomReadResult&&)>& on_record,
                         std::uint64_t first_line) {
  std::string line;
  std::uint64_t number = first_line - 1;
  std::streambuf* buf = in.rdbuf();
  // Bytes are taken from the stream in blocks of what it already holds (never
  // waiting for more than one byte, so a pipe is read as it comes), and lines
  // are cut with memchr rather than one sbumpc() call per byte.
  std::vector<char> chunk(std::size_t{1} << 16);
  std::size_t pos = 0, end = 0;
  bool eof = false;
  auto refill = [&] {
    std::streamsize avail = buf->in_avail();
    if (avail <= 0) {
      if (buf->sgetc() == std::char_traits<char>::eof()) return false;
      avail = std::max<std::streamsize>(buf->in_avail(), 1);
    }
    std::streamsize got = buf->sgetn(chunk.data(), std::min<std::streamsize>(avail, static_cast<std::streamsize>(chunk.size())));
    if (got <= 0) return false;
    pos = 0;
    end = static_cast<std::size_t>(got);
    return true;
  };
  while (true) {
    // Read one line, keeping at most max_bom_bytes of it so that memory stays
    // bounded whatever the input.
    line.clear();
    bool any = false, too_long = false;
    while (true) {
      if (pos == end) {
        if (eof) break;
        if (!refill()) {
          eof = true;
          break;
        }
      }
      any = true;
      const char* start = chunk.data() + pos;
      const char* newline = static_cast<const char*>(std::memchr(start, '\n', end - pos));
      std::size_t length = newline ? static_cast<std::size_t>(newline - start) : end - pos;
      std::size_t room = max_bom_bytes - line.size();
      if (length > room) too_long = true;
      line.append(start, std::min(length, room));
      pos += length + (newline ? 1 : 0);
      if (newline) break;
    }
    if (!any) break;
    ++number;
    // Give back the room of a very long line once it is read, so that one
    // such line does not keep up to max_bom_bytes for the rest of the stream.
    auto release_large = [&] {
      if (line.capacity() > (std::size_t{1} << 24)) std::string().swap(line);
    };
    if (too_long) {
      BomReadResult r;
      Diagnostic d;
      d.code = "bom-size";
      d.message = fmt::format("this line is longer than {} bytes, the most accepted for one BOM", max_bom_bytes);
      d.file = std::string(file);
      d.line = number;
      d.column = 1;
      r.diagnostics.push_back(std::move(d));
      release_large();
      on_record(number, std::move(r));
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      release_large();
      continue;
    }
    on_record(number, read_bom_json(line, file, number));
    release_large();
  }
}

std::optional<BomFormat> bom_format_for_path(std::string_view path) noexcept {
  auto ends_with = [&](std::string_view ext) {
    if (path.size() < ext.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      char c = path[path.size() - ext.size() + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != ext[i]) return false;
    }
    return true;
  };
  if (ends_with(".jsonl") || ends_with(".ndjson")) return BomFormat::json_lines;
  if (ends_with(".json")) return BomFormat::json;
  if (ends_with(".csv")) return BomFormat::csv;
  return std::nullopt;
}

}  // namespace roo
