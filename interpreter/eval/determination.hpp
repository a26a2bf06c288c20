// The result of evaluating a BOM against an agreement: what
// spec/determination-format.md describes, as C++ values. Renderers (text,
// JSON, Markdown) live in output.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/core/decimal.hpp"
#include "interpreter/core/diagnostic.hpp"

namespace roo {

enum class Status : std::uint8_t { originating, not_originating, undetermined, error };
std::string_view status_name(Status s) noexcept;  // "originating", "not_originating", ...

// Three-valued truth: a condition holds, fails, or cannot be decided because
// data it needs is missing.
enum class Tri : std::uint8_t { no, yes, unknown };

// A material named in an explanation: one that failed a condition, or one
// that tolerance disregarded.
struct MaterialNote {
  std::string id;      // the BOM id, or its JSON pointer when it has none
  std::string hs;      // dotted code
  std::string value;   // money, or "" when not given
  std::string reason;  // "heading 85.03 does not change to another heading"
  bool saved = false;  // disregarded under the tolerance
};

// A computed figure, already in display form (exact decimals rounded by the
// documented rule).
struct Figure {
  std::string name;
  std::string value;
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
  std::optional<std::uint32_t> line;
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
    std::optional<std::string> basis_value;
    std::optional<std::string> vnm;
    std::optional<std::string> vom;
    std::optional<std::string> nom_percent;
    std::optional<std::string> rvc_percent;
    std::optional<std::string> tolerance_limit;
    std::optional<std::string> tolerance_used;
    std::vector<CriterionFigures> by_criterion;
  } figures;

  std::optional<ExplainNode> explanation;
  std::vector<Message> messages;
  std::string engine_version;
  std::string rules_sha256;
};

}  // namespace roo
