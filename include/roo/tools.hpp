// What roo's own tools (the `roo` command's fmt, check, lint, diff and test)
// need beyond include/roo/roo.hpp: the canonical layout of rules files, an HS
// nomenclature and the checks of an agreement against it, the comparison of two
// versions of an agreement, and the runner of the *.test.json cases. Each
// returns structured results; printing them is the caller's business.
//
// `roo check` needs nothing here: Agreement::load gives every diagnostic of the
// rules.
#pragma once

#include <roo/roo.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roo {

// ---- Files and names ----

// The text of a rules file (.roo), up to the size the parser accepts; nullopt,
// with the reason in `error` ("no such file", "is a directory", ...), when it
// cannot be read.
ROO_API std::optional<std::string> read_rules_source(const std::string& path, std::string& error);

// The candidate nearest to `word` when it is close enough to be a likely typo
// (an edit distance of at most max(1, word.size() / 3)), for "did you mean"
// hints; empty when none is.
ROO_API std::string_view nearest_name(std::string_view word, const std::vector<std::string_view>& candidates);

// ---- Checking (roo check) ----

// The diagnostics of rules: a .roo file (an agreement, or a library of
// definitions) or a folder with main.roo. Agreement::load is the same check,
// but needs an agreement.
ROO_API std::vector<Diagnostic> check_rules(const std::string& path);

// ---- The canonical layout (roo fmt) ----

struct FormatResult {
  std::string text;                     // the formatted text (empty unless ok())
  std::vector<Diagnostic> diagnostics;  // what parsing the text reported (syntax errors leave it unformatted)
  // Formatting would have changed what the text means (an internal error of
  // the formatter): the text is not given, so that it is left as it is.
  bool meaning_changed = false;
  bool ok() const noexcept { return !meaning_changed && !has_errors(diagnostics); }
};

// The canonical layout of roo source text (2-space indentation in agreements,
// aligned settings and rules, lines of at most 100 columns where possible,
// every comment kept). `name` is how diagnostics name the text. Formatting
// never changes what the text means: the result is parsed again and compared.
ROO_API FormatResult format_rules(std::string_view text, std::string_view name);

// ---- An HS nomenclature ----

// A nomenclature read from a CSV with the columns
// section,hscode,description,parent,level (such as data/hs/harmonized-system.csv).
struct Nomenclature {
  std::map<std::string, std::string> known;  // chapters, headings and subheadings (2, 4, 6 digits) -> description
  struct Subheading {
    std::string code;  // six digits
    std::string description;
  };
  std::vector<Subheading> subheadings;  // in file order
};

// nullopt, with the reason in `error`, when the file cannot be read or holds
// no six-digit subheading.
ROO_API std::optional<Nomenclature> read_nomenclature(const std::string& path, std::string& error);
// The same from CSV text in memory; `name` names it in `error`.
ROO_API std::optional<Nomenclature> parse_nomenclature(std::string_view csv, std::string_view name, std::string& error);

// ---- An agreement against a nomenclature (roo lint) ----

struct LintFinding {
  enum class Kind : std::uint8_t {
    uncovered,            // a subheading of the nomenclature that no rule in force covers
    not_in_nomenclature,  // a chapter, heading or subheading named by the rules that the nomenclature lacks
    expired,              // a rule whose validity ended before the date
  };
  Kind kind = Kind::uncovered;
  // warning: a finding that counts; note: one the agreement explains
  // (`explained CODES "why"`), or an expired rule a later rule replaces.
  Severity severity = Severity::warning;
  std::string where;        // the agreement's file, or the place in the rules ("rules/x.roo:12:3")
  std::string code;         // the code concerned, dotted ("" when the rule names none)
  std::string message;      // "subheading 0101.21 (Pure-bred breeding animals) has no rule in force on 2026-01-01"
  std::string explanation;  // the agreement's words when it explains the finding
};

struct LintReport {
  std::string file;                   // the file of the agreement block (else the entry file)
  std::vector<LintFinding> findings;  // uncovered subheadings, then codes, then expired rules
  std::size_t unexplained() const noexcept { return count(Severity::warning); }
  std::size_t explained() const noexcept { return count(Severity::note); }

 private:
  std::size_t count(Severity s) const noexcept {
    std::size_t n = 0;
    for (const auto& f : findings) n += f.severity == s;
    return n;
  }
};

// The subheadings no rule in force on `date` covers, the codes the rules name
// that the nomenclature lacks, and the rules whose validity ended before `date`.
ROO_API LintReport lint(const Agreement& agreement, const Nomenclature& nomenclature, const Date& date);

// ---- Two versions of an agreement (roo diff) ----

// Neighbouring subheadings whose rules changed in the same way.
struct RuleDiffGroup {
  std::string first;        // dotted ("8501.10")
  std::string last;         // dotted; the same as `first` for one subheading
  std::string description;  // the first subheading's, from the nomenclature
  std::size_t count = 1;    // subheadings in the group
  // The rules as `roo rule` words them (scope and text, then conditions,
  // validity, direction, quota, note, and the rules a rule_of takes), one line
  // each, without places in the files; "(no rule)" when none applies.
  std::vector<std::string> before;
  std::vector<std::string> after;
};

struct RuleDiff {
  std::vector<RuleDiffGroup> groups;  // in the nomenclature's order
  std::size_t changed = 0;            // subheadings whose rules differ
  std::size_t compared = 0;           // subheadings compared (valid HS codes of the nomenclature)
};

// Every six-digit subheading of the nomenclature whose rules differ between
// the two versions (only the rules in force on `date`, when given).
ROO_API RuleDiff diff_rules(const Agreement& before, const Agreement& after, const Nomenclature& nomenclature,
                            const std::optional<Date>& date = std::nullopt);

// ---- Determination cases (roo test) ----
//
// A test file (*.test.json):
//   { "rules": "../rules/uk-eu-tca.roo",        // relative to the test file
//     "date": "2026-01-01", "to": "EU",         // defaults for the cases (optional)
//     "cases": [
//       { "name": "motor, CTH met",
//         "bom": { ...roo-bom/1... }  or  "bom_file": "motor.bom.json",
//         "date": "...", "to": "...",           // optional, override the defaults
//         "expect": { "status": "originating", "origin_criterion": "C",
//                     "country_of_origin": null,
//                     "figures": { "nom_percent": "16.50", "tolerance_used": null },
//                     "messages": ["roo-no-processes"] } } ] }
// A file may also be a single case (the case's fields at the top level).

struct TestCaseResult {
  std::string file;  // the test file
  std::string name;  // the case's name ("case 3" when it has none; "(file)" when the file cannot be read)
  bool passed = false;
  // What differs from the expectation ("status: expected \"originating\", got
  // \"not_originating\""), or why the case could not run.
  std::vector<std::string> differences;
  // The diagnostics of rules that could not be loaded, given with the first
  // case that names them.
  std::vector<Diagnostic> rules_diagnostics;
};

struct TestRun {
  std::vector<TestCaseResult> cases;  // file by file, in order
  std::size_t passed() const noexcept {
    std::size_t n = 0;
    for (const auto& c : cases) n += c.passed;
    return n;
  }
  std::size_t failed() const noexcept { return cases.size() - passed(); }
};

// The *.test.json files under each path (a folder, searched recursively; a
// file is taken as it is), sorted. nullopt, with `error` naming the path, when
// a path does not exist.
ROO_API std::optional<std::vector<std::string>> find_test_files(const std::vector<std::string>& paths,
                                                                std::string& error);
// Runs every case of the files (each rules file is loaded once). A case reads
// rules and BOM files only under one of `allowed` (folders, or files standing
// for their folder); every path when `allowed` is empty.
ROO_API TestRun run_test_files(const std::vector<std::string>& files, const std::vector<std::string>& allowed = {});

}  // namespace roo
