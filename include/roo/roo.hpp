// roo's C++ API: what a host system (a certificate-of-origin service, an ERP
// connector, the `roo` command itself) needs to decide origin.
//
//   auto loaded = roo::Agreement::load("rules/uk-eu-tca.roo");
//   if (!loaded.agreement) { for (auto& d : loaded.diagnostics) std::cerr << roo::format_diagnostic(d); }
//   roo::read_boms(text, {roo::BomFormat::json, "bom.json"}, [&](roo::BomInput&& in) {
//     roo::Determination d = loaded.agreement->determine(in, {});
//     std::cout << roo::render(d, roo::Format::json, roo::Explain::full) << '\n';
//   });
//
// Threads: an Agreement is immutable once loaded. Any number of threads may
// call its const members at once (determine, rule, ...), and copies share one
// loaded program. A BomInput, once read, is immutable too. Nothing in this API
// keeps global mutable state.
//
// Memory: every value is owned by the object that holds it (std::string,
// std::vector, std::shared_ptr); nothing returned points into an argument.
//
// Errors: bad input is data, not an exception. Rules that cannot be loaded
// give diagnostics (file:line:col, code, message); a BOM that cannot be read
// gives a BomInput without a BOM and with located diagnostics; determining it
// gives a Determination with status `error` naming them. Missing data gives
// status `undetermined` with `missing` saying what and for which material.
// Only resource exhaustion (std::bad_alloc) is thrown.
#pragma once

#include <roo/config.hpp>
#include <roo/date.hpp>
#include <roo/decimal.hpp>
#include <roo/determination.hpp>
#include <roo/diagnostic.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace roo {

// The engine's version ("0.1.0"), as `roo --version` prints it.
ROO_API std::string_view version() noexcept;

class Program;  // a checked agreement (the engine's own form)
struct Bom;     // a bill of materials as read (the engine's own form)

// ---- Bills of materials (docs/bom-format.md) ----

enum class BomFormat : std::uint8_t { json, json_lines, csv };
// By the file name's extension: .json, .jsonl / .ndjson, .csv (any case).
ROO_API std::optional<BomFormat> bom_format_for_path(std::string_view path) noexcept;
// By name: "json", "jsonl" (or "ndjson", "json_lines"), "csv".
ROO_API std::optional<BomFormat> bom_format_from_name(std::string_view name) noexcept;

// Product fields given outside a CSV file (name/value pairs with the JSON
// field names: "hs", "ex_works", "currency", ...); they take precedence over
// the file's "# product:" line.
using ProductFields = std::vector<std::pair<std::string, std::string>>;

// One BOM as read: the BOM when the input has no error, and every diagnostic
// (warnings may accompany a BOM).
struct BomInput {
  std::shared_ptr<const Bom> bom;
  std::vector<Diagnostic> diagnostics;
  std::string product_id;             // the product's id ("" when the input has none or cannot be read)
  std::string name;                   // where the input came from: "bom.json", "boms.jsonl:7"
  std::optional<std::uint64_t> line;  // the line of a JSON Lines record
  // How a determination names the product: its id, else where it came from.
  const std::string& label() const noexcept { return product_id.empty() ? name : product_id; }
  bool ok() const noexcept { return bom != nullptr; }
};

struct BomReadOptions {
  BomFormat format = BomFormat::json;
  std::string name = "<input>";  // as diagnostics name the input (a file name)
  ProductFields product;         // CSV only
};

// Every BOM of a buffer, in order: one for JSON and CSV; one per line for JSON
// Lines, where a line of only whitespace is not an input. `each` is called
// once per BOM.
ROO_API void read_boms(std::string_view text, const BomReadOptions& options,
                       const std::function<void(BomInput&&)>& each);
// The same from a stream, one JSON Lines record at a time (memory stays flat
// however long the stream); JSON and CSV streams are read whole (up to the size
// limit, max_bom_bytes).
ROO_API void read_boms(std::istream& in, const BomReadOptions& options, const std::function<void(BomInput&&)>& each);
// A file, its format from its extension ("-": one JSON BOM from standard
// input). A file that cannot be read, or whose kind is unknown, still gives
// one BomInput: without a BOM, with a `bom-io` diagnostic.
ROO_API void read_bom_file(const std::string& path, const ProductFields& product,
                           const std::function<void(BomInput&&)>& each);
// One JSON or CSV BOM from a buffer.
ROO_API BomInput read_bom(std::string_view text, BomFormat format = BomFormat::json, std::string_view name = "<input>");

// Largest BOM accepted: one file, or one JSON Lines record.
inline constexpr std::size_t max_bom_bytes = 256u << 20;

// ---- The rule for a product code (docs/rule-format.md: roo-rule/1) ----

struct RuleInfo {
  std::string scope;                 // "headings 85.01 through 85.02"
  std::string text;                  // the rule in the annex's words
  std::string condition;             // an 'ex' rule's condition in words ("" when none)
  std::optional<Date> valid_from;
  std::optional<Date> valid_until;
  std::vector<std::string> to;       // importing parties it is limited to (empty: any)
  bool quota = false;                // applies within a quota
  std::string note;
  std::string source;                // "rules/uk-eu-tca.roo:1234:3"
  std::string citation;              // "Annex ORIG-2, Chapter 85"
  // A rule_of (codes created after the agreement's HS edition): the rules of
  // each code it names, in the agreement's edition.
  struct Taken {
    std::string code;  // dotted
    std::vector<RuleInfo> rules;
  };
  std::vector<Taken> taken;
};

struct RuleLookup {
  std::string code;        // as asked
  std::string dotted;      // "8501.10" ("" when the code is not valid)
  std::string agreement;
  int hs_edition = 0;      // the agreement's edition
  std::optional<Date> date;
  std::string error;       // why the code is not valid, or why no rule covers it
  std::string rules_sha256;  // of the agreement's sources
  std::vector<RuleInfo> rules;  // the narrowest scope's rules (several: 'ex' rules, validity, direction)
  bool ok() const noexcept { return error.empty(); }
};

// ---- Agreements ----

class Agreement;

struct LoadResult;

// The agreements a path names: a .roo file, or a folder holding main.roo,
// is one (main.roo includes the agreement's other files); a folder without
// main.roo holds one per .roo file and one per subfolder with a main.roo, in
// name order (none when it holds neither). Anything else is returned as it is,
// for Agreement::load to say why it cannot be read.
ROO_API std::vector<std::string> agreement_paths(const std::string& path);

class ROO_API Agreement {
 public:
  // A .roo file, or a folder holding main.roo (its id is the file's or the
  // folder's name); main.roo reaches the agreement's other files with
  // `include "FILE.roo"`.
  static LoadResult load(const std::string& path);
  // Rules in memory: `name` is how diagnostics name them; `id` the
  // agreement's id (default: `name` without folders and ".roo").
  static LoadResult load_text(std::string name, std::string text, std::string id = {});

  const std::string& id() const noexcept;
  const std::string& title() const noexcept;
  const std::string& citation() const noexcept;
  int hs_edition() const noexcept;
  std::vector<std::string> parties() const;  // ISO codes, groups expanded
  // Whether `code` names a party: one of the parties, a member of a group
  // among them (an EU member state when the EU is a party), or such a group.
  bool is_party(std::string_view code) const;
  bool non_preferential() const noexcept;     // decides a country of origin instead
  const std::string& rules_sha256() const noexcept;

  // Decides whether the BOM's product is originating. Never throws for bad or
  // missing data.
  Determination determine(const Bom& bom, const DetermineOptions& options = {}) const;
  // The same for a BOM as read: an input with errors gives an `error`
  // determination naming them; the reader's warnings join the messages; the
  // JSON Lines line is kept.
  Determination determine(const BomInput& input, const DetermineOptions& options = {}) const;

  // The rules that apply to a code of 4 to 10 digits, in force on `date`
  // (every rule when absent).
  RuleLookup rule(std::string_view code, const std::optional<Date>& date = std::nullopt) const;

  // The engine's form, for roo's own tools (include/roo/tools.hpp).
  const Program& program() const noexcept { return *program_; }

 private:
  explicit Agreement(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
  std::shared_ptr<const Program> program_;
  friend struct AgreementFactory;
};

struct LoadResult {
  std::optional<Agreement> agreement;  // absent when the rules have errors
  std::vector<Diagnostic> diagnostics;  // errors, warnings and notes, in order
};

// ---- Rendering ----

enum class Format : std::uint8_t { json, text, markdown };
ROO_API std::optional<Format> format_from_name(std::string_view name) noexcept;  // "json", "text", "markdown"
ROO_API std::optional<Explain> explain_from_name(std::string_view name) noexcept;  // "full", "fails", "none"

// A determination as roo-determination/1 JSON (one line, no newline), as text
// for people, or as Markdown. `explain` filters the explanation tree.
ROO_API std::string render(const Determination& d, Format format, Explain explain = Explain::full);
// A rule lookup as roo-rule/1 JSON (one line) or as text.
ROO_API std::string render(const RuleLookup& lookup, Format format);
// Diagnostics as a JSON array (one object each, as `--message-format json` prints them).
ROO_API std::string diagnostics_json(const std::vector<Diagnostic>& diagnostics);

}  // namespace roo
