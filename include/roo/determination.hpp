// A determination: whether a product is originating under an agreement, by
// which rule, with the figures and the reasons. The JSON rendering of these
// values is the roo-determination/1 contract (docs/determination-format.md);
// the C++ values carry more: every figure as an exact number, and the data that
// was missing as structured entries a host can ask its user for.
#pragma once

#include <roo/config.hpp>
#include <roo/date.hpp>
#include <roo/decimal.hpp>
#include <roo/diagnostic.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roo {

enum class Status : std::uint8_t { originating, not_originating, undetermined, error };
ROO_API std::string_view status_name(Status s) noexcept;  // "originating", "not_originating", ...

// Three-valued truth: a condition holds, fails, or cannot be decided because
// data it needs is missing.
enum class Tri : std::uint8_t { no, yes, unknown };

// How much of the explanation tree a determination carries.
enum class Explain : std::uint8_t { full, fails, none };

struct DetermineOptions {
  std::optional<Date> date;   // overrides the BOM's date; default: the BOM's date, else today (UTC)
  std::string destination;    // overrides the product's destination (an ISO code or the agreement's group)
  Explain explain = Explain::full;
  // The work budget of one product: evaluation steps (about the number of
  // materials times the size of the rule, times nesting). A product past it
  // gets an `error` result (bom-too-complex) instead of holding up a batch.
  // An ordinary product takes thousands; 10^6 materials under a simple rule
  // about 10^7.
  std::uint64_t max_steps = 500'000'000;
};

// A computed figure. `value` is its display form (what the JSON output
// prints: money exact with at least two decimals, percentages rounded as the
// contract says); the exact figure is numerator / denominator. Money and
// weights have denominator 1; a percentage computed from a ratio keeps it
// (nom_percent of VNM 1 over a base of 3 is 100 / 3, which no decimal holds).
// A percentage of a zero base has denominator 0 and value "n/a".
struct Figure {
  std::string name;
  std::string value;
  Decimal numerator;
  Decimal denominator = Decimal::from_int(1);
};

// The display form of a figure that may be absent.
inline std::optional<std::string> figure_text(const std::optional<Figure>& f) {
  return f ? std::optional<std::string>(f->value) : std::nullopt;
}

// A material named in an explanation: one that failed a condition, or one
// that tolerance disregarded.
struct MaterialNote {
  std::string id;                // the BOM id, or its JSON pointer when it has none
  std::string hs;                // dotted code
  std::string value;             // money as displayed, or "" when not given
  std::optional<Decimal> amount; // the exact value, when given
  std::string reason;            // "heading 85.03 does not change to another heading"
  bool saved = false;            // disregarded under the tolerance
};

// Data a rule needed and the BOM did not give (or gave in a form the rule
// cannot use): what a host asks its user for.
struct MissingData {
  std::string field;     // the BOM field: "ex_works", "value", "weight_kg", "processes", "attributes.organic", "hs"
  std::string material;  // the material's id (or label); empty for the product itself
  std::string text;      // in words: "the value of material M3"
  std::string needed_by; // where the rule that needs it is written ("rules/x.roo:12:3"), when known
  std::string purpose;   // what for: "rule", "tolerance", "choice of 'ex' rule", "sets", "residual rule"
  friend bool operator==(const MissingData&, const MissingData&) = default;
};

struct ExplainNode {
  std::string label;   // criterion name ("CTH", "maxnom") or "any of" / "all of" / "condition"
  std::string text;    // legal wording
  Tri verdict = Tri::unknown;
  std::string source;  // "rules/x.roo:12:3"
  std::vector<Figure> figures;
  std::vector<MaterialNote> materials;
  std::vector<std::string> missing;  // data that was needed and not given
  std::string saved_by;              // "tolerance: 80.00 of a 100.00 limit"
  std::vector<ExplainNode> children;
};

struct CriterionFigures {
  std::string criterion;
  Tri passed = Tri::unknown;
  std::vector<Figure> figures;  // nom_percent, rvc_percent, limit_percent, headroom, tolerance_used, ...
  std::vector<std::string> failing_materials;  // the materials that failed it (what blocks a tariff shift)
};

struct Message {
  Severity severity = Severity::warning;
  std::string code;
  std::string message;
};

struct Determination {
  std::string product;
  std::optional<std::uint64_t> line;  // the JSON Lines record's line, when the BOM was one
  std::string agreement;
  std::string date;
  Status status = Status::error;
  std::optional<std::string> country_of_origin;
  std::optional<std::string> origin_criterion;

  struct RuleRef {
    std::string scope;
    std::string text;
    std::string source;
    std::string citation;
  };
  std::optional<RuleRef> rule;

  struct Figures {
    std::string basis;
    std::optional<Figure> basis_value;
    std::optional<Figure> vnm;
    std::optional<Figure> vom;
    std::optional<Figure> nom_percent;
    std::optional<Figure> rvc_percent;
    std::optional<Figure> tolerance_limit;
    std::optional<Figure> tolerance_used;
    std::vector<CriterionFigures> by_criterion;
  } figures;

  std::optional<ExplainNode> explanation;
  std::vector<Message> messages;
  std::vector<MissingData> missing;  // what an undetermined result waits for (also worded in messages)
  std::string engine_version;
  std::string rules_sha256;
};

}  // namespace roo
