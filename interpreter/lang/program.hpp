// A checked roo program: the parsed sources (an agreement and the stdlib), the
// names they define, the agreement's settings, and its rules indexed by HS
// code. Built by load_program() / check_sources(); immutable afterwards, so one
// program can serve any number of determinations.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpreter/core/date.hpp"
#include "interpreter/core/decimal.hpp"
#include "interpreter/core/diagnostic.hpp"
#include "interpreter/core/hs.hpp"
#include "interpreter/lang/ast.hpp"

namespace roo {

struct CompiledProgram;  // the evaluation form (interpreter/eval)

enum class Type : std::uint8_t {
  error,  // already reported; silences follow-on errors
  boolean,
  number,
  percent,
  money,
  weight,
  text,
  codes,
  materials,
  material,
  process,
  processes,
  level,
  empty,    // `none`: an empty code list, material set or process list
  product,  // the `product` name
  module,   // `std`
};
std::string_view type_name(Type t) noexcept;
std::optional<Type> type_from_name(std::string_view name) noexcept;

// One parsed source file.
struct SourceUnit {
  std::string name;  // as shown in diagnostics: "rules/uk-eu-tca.roo", "<stdlib>/std.roo"
  std::string text;
  ast::File file;
  bool is_stdlib = false;
  // Locates offsets in `text` (set by check_sources once the text is final):
  // a scan of a large file per reference would be quadratic.
  mutable LineIndex lines;
};

// What a name refers to.
struct Symbol {
  enum class Kind : std::uint8_t { criterion, let, process, builtin_value, builtin_function, param, variable, module };
  Kind kind = Kind::builtin_value;
  std::string name;
  const SourceUnit* unit = nullptr;
  const ast::CriterionDef* criterion = nullptr;
  const ast::LetDef* let = nullptr;
  Type type = Type::error;  // value type (let, builtin, param, variable)
};

// Where a place in the program is, for diagnostics and explanations.
struct SourceRef {
  const SourceUnit* unit = nullptr;
  ast::Span span;
};
std::string format_ref(const SourceRef& ref);  // "rules/x.roo:12:3"

// A diagnostic at `span` of `unit` (its `lines` must index its text), with the
// source line and an underline within its first line.
Diagnostic diagnostic_at(const SourceUnit& unit, ast::Span span, std::string code, std::string message,
                         Severity severity = Severity::error);

struct Tolerance {
  bool none = false;       // `tolerance none for ...`
  Decimal percent;         // 10 for 10%
  std::string base;        // "weight" or a value base name
  HsSet chapters;          // empty: every product not covered by another tolerance line
  SourceRef place;
};

struct Cumulation {
  std::string kind;                   // bilateral, diagonal, full
  std::vector<std::string> partners;  // country codes (groups expanded)
};

struct AgreementSettings {
  std::string id;  // from the file or folder name
  std::string title;
  std::string citation;
  int hs_edition = 2022;
  std::vector<std::string> parties;  // as written (codes or groups)
  std::map<std::string, std::vector<std::string>> groups;  // name -> country codes
  // The parties with groups expanded, sorted ("EU" stays one code): what
  // every comparison of a country with the parties uses.
  std::vector<std::string> party_codes;
  // Whether `code` is a party: one of party_codes, an EU member state when
  // the EU is a party, or the name of a group among the parties.
  bool is_party(std::string_view code) const;
  std::string basis = "ex_works";
  std::vector<Cumulation> cumulation;
  std::vector<Tolerance> tolerances;
  std::string tolerance_applies_to = "all";
  const ast::Expr* insufficient = nullptr;
  std::string roll_up = "absorb";
  bool all_rules_apply = false;
  std::map<std::string, std::string> origin_criteria;  // way of qualifying -> code
  bool non_preferential = false;  // `kind non_preferential`: the result is a country
  std::string residual;           // `residual major_portion_of_value`
  std::optional<Decimal> sets_percent;
  struct Explanation {
    HsSet codes;
    std::string text;
  };
  std::vector<Explanation> explained;  // nomenclature differences the rules explain (roo lint)
  std::string sets_base;
  std::string sets_source;  // file:line:col of the `sets` setting, cited by determinations
};

// One rule of the agreement, with its scope resolved to code intervals.
struct RuleEntry {
  const ast::Rule* rule = nullptr;
  const SourceUnit* unit = nullptr;
  struct Item {
    HsSet::Interval interval{};
    std::uint64_t width = 0;  // interval size: narrower is more specific
  };
  std::vector<Item> items;
  std::optional<Date> valid_from;
  std::optional<Date> valid_until;
  std::size_t index = 0;  // position in the agreement
  // `rule_of(...)`: the rule is that of these codes, in the agreement's
  // edition (a code the nomenclature created after the agreement was written
  // takes the rule of the codes it was carved out of). Empty for other rules.
  std::vector<HsCode> follows;
  ast::Span follows_span;
  // `to A, B`: the importing countries the rule is for, groups expanded (the
  // EU as "EU" and each member state); empty: every destination.
  std::vector<std::string> to_countries;
};

// Facts the checker establishes about an expression node.
struct ExprInfo {
  Type type = Type::error;
  const Symbol* symbol = nullptr;  // for names and calls
  std::optional<HsSet> codes;      // for code literals (and integer literals used as codes)
};

class Program {
public:
  std::vector<std::unique_ptr<SourceUnit>> units;
  AgreementSettings agreement;
  const ast::Agreement* agreement_ast = nullptr;
  const SourceUnit* agreement_unit = nullptr;
  std::vector<RuleEntry> rules;
  std::unordered_map<std::string, Symbol> globals;         // stdlib and file definitions, builtins
  std::unordered_map<std::string, Symbol> agreement_scope; // definitions inside the agreement block
  std::unordered_map<std::string, Symbol> builtins;        // built-in names (values, and functions by name)
  std::unordered_map<std::string, Symbol> builtin_calls;   // built-in functions
  std::unordered_map<const ast::Expr*, ExprInfo> info;
  std::string rules_sha256;
  std::shared_ptr<const CompiledProgram> compiled;
  // The rules written out (criteria inlined), counted by the checker: about
  // the nodes the compiled form will have, so it is allocated once.
  std::uint64_t expanded_size = 0;

  // The symbol a name means at agreement level (agreement definitions shadow globals).
  const Symbol* lookup(std::string_view name) const;

  // Rules whose scope contains `code`, most specific first (narrowest item).
  struct Candidate {
    const RuleEntry* entry;
    std::uint64_t width;
  };
  std::vector<Candidate> candidates(const HsCode& code) const;
};

struct ProgramLoad {
  std::unique_ptr<Program> program;  // null when there are errors
  std::vector<Diagnostic> diagnostics;
};

// Loads an agreement from a .roo file, or from a folder holding main.roo, with
// the embedded stdlib, and checks it.
ProgramLoad load_program(const std::string& path);

// The same for rules already in memory: `text` named `name` (as diagnostics
// show it), the embedded stdlib added when it says `import std`.
ProgramLoad load_source(std::string name, std::string text, std::string agreement_id);

// Limits of the checker. Compiling writes criteria and lets out where they
// are used, and compiling and evaluating recurse on the result: a let typed
// through a chain of lets, and a definition or rule whose written-out tree
// is too deep or too large, are errors (roo-too-complex).
inline constexpr std::size_t max_definition_depth = 256;
inline constexpr std::uint64_t max_expanded_height = 512;
inline constexpr std::uint64_t max_expanded_size = 100000;
// rule_of codes times rules: how many lookups the rule_of check may make.
inline constexpr std::uint64_t max_rule_of_checks = 100000000;

// Checks sources already in memory (the first one holds the agreement, or is a
// library). Used by load_program and by tests.
ProgramLoad check_sources(std::vector<std::unique_ptr<SourceUnit>> sources, std::string agreement_id);

// The embedded stdlib module called `name` ("std"), or null.
const std::string_view* stdlib_source(std::string_view name);

}  // namespace roo
