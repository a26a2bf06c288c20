#include "bench/baseline.hpp"

#include <algorithm>
#include <string_view>

namespace roo::bench {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool consume(std::string_view& s, std::string_view word) {
  s = trim(s);
  if (s.substr(0, word.size()) != word) return false;
  s.remove_prefix(word.size());
  return true;
}

bool number(std::string_view& s, int& out) {
  s = trim(s);
  std::size_t i = 0;
  out = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') out = out * 10 + (s[i++] - '0');
  s.remove_prefix(i);
  return i > 0;
}

// The process names of std.minimal_operations.
constexpr std::string_view minimal_operations[] = {
    "preserving", "packing",       "repacking",      "sorting", "grading", "cleaning",
    "simple_painting", "simple_mixing", "simple_assembly", "affixing_marks", "slicing", "sifting",
    "dividing",   "husking",       "peeling",        "ironing", "sugar_colouring"};

bool minimal(const std::string& p) {
  return std::find(std::begin(minimal_operations), std::end(minimal_operations), p) != std::end(minimal_operations);
}

}  // namespace

std::optional<BaselineRules> parse_baseline_rules(const std::string& text, std::string& error) {
  BaselineRules rules;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line = trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (consume(line, "tolerance")) {
      int pct = 0;
      if (!number(line, pct) || !consume(line, "% of ex_works")) {
        error = "line " + std::to_string(line_no) + ": unexpected tolerance";
        return std::nullopt;
      }
      rules.tolerance_percent = pct;
      continue;
    }
    if (!consume(line, "heading ")) continue;
    int heading = 0;
    if (!number(line, heading) || !consume(line, ":") || heading >= 10000) {
      error = "line " + std::to_string(line_no) + ": expected 'heading NNNN:'";
      return std::nullopt;
    }
    BaselineRule r;
    r.present = true;
    if (consume(line, "CTSH")) r.shift = Shift::ctsh;
    else if (consume(line, "CTH")) r.shift = Shift::cth;
    else if (consume(line, "CC")) r.shift = Shift::cc;
    if (r.shift != Shift::none && consume(line, "except")) {
      bool plural = consume(line, "headings");
      if (!plural && !consume(line, "heading")) {
        error = "line " + std::to_string(line_no) + ": expected 'heading' after 'except'";
        return std::nullopt;
      }
      if (!number(line, r.exc_lo)) {
        error = "line " + std::to_string(line_no) + ": expected a heading";
        return std::nullopt;
      }
      r.exc_hi = r.exc_lo;
      if (consume(line, "..") && !number(line, r.exc_hi)) {
        error = "line " + std::to_string(line_no) + ": expected a heading after '..'";
        return std::nullopt;
      }
    }
    if (r.shift != Shift::none && !trim(line).empty() && !consume(line, "or")) {
      error = "line " + std::to_string(line_no) + ": expected 'or'";
      return std::nullopt;
    }
    if (consume(line, "maxnom(")) {
      if (!number(line, r.maxnom) || !consume(line, "%)")) {
        error = "line " + std::to_string(line_no) + ": expected 'maxnom(N%)'";
        return std::nullopt;
      }
    }
    if (!trim(line).empty() || (r.shift == Shift::none && !r.maxnom)) {
      error = "line " + std::to_string(line_no) + ": rule not understood";
      return std::nullopt;
    }
    rules.by_heading[static_cast<std::size_t>(heading)] = r;
    ++rules.count;
  }
  return rules;
}

BaselineVerdict baseline_determine(const BaselineRules& rules, const Bom& bom) {
  BaselineVerdict v;
  const HsCode& hs = bom.product.hs;
  if (hs.length() < 4) return v;
  const BaselineRule& r = rules.by_heading[hs.truncated(4).digits_value()];
  const std::optional<Decimal>& ex_works = bom.product.basis(ValueBasis::ex_works);
  if (!r.present || !ex_works) return v;

  const int digits = shift_digits(r.shift);
  const HsCode own = digits ? hs.truncated(digits) : HsCode();
  bool shift_failed = false;
  Decimal failing;  // value of the non-originating materials failing the shift
  for (const Material& m : bom.materials) {
    if (m.role == MaterialRole::packing || m.role == MaterialRole::neutral) continue;
    if (m.originating.value_or(false) || !m.value) continue;
    v.vnm += *m.value;
    if (!digits) continue;
    if (m.hs.length() < digits) return v;  // undetermined
    int heading = static_cast<int>(m.hs.truncated(4).digits_value());
    if (m.hs.truncated(digits) == own || (r.exc_lo && heading >= r.exc_lo && heading <= r.exc_hi)) {
      shift_failed = true;
      failing += *m.value;
    }
  }
  const bool shift_ok = digits && !shift_failed;
  const bool shift_with_tolerance =
      digits && shift_failed && rules.tolerance_percent &&
      failing <= (Decimal::from_int(rules.tolerance_percent) * *ex_works).shifted(-2);
  const bool maxnom_ok = r.maxnom && v.vnm <= (Decimal::from_int(r.maxnom) * *ex_works).shifted(-2);

  bool met = shift_ok || maxnom_ok || shift_with_tolerance;
  if (met && !shift_ok && !maxnom_ok) {
    v.tolerance_used = true;
    v.tolerance_amount = failing;
  }
  // Insufficient operations: a met rule does not confer origin when every
  // declared process is a minimal operation.
  if (met && bom.product.processes_declared &&
      std::all_of(bom.product.processes.begin(), bom.product.processes.end(), minimal))
    met = false;
  v.status = met ? BaselineStatus::originating : BaselineStatus::not_originating;
  return v;
}

}  // namespace roo::bench
