// roo fmt: exact layouts for small inputs, and over every roo file of the
// project (and many random syntax trees) the two promises: formatting again
// changes nothing, and the formatted text parses to the same tree.
#include "interpreter/lang/format.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "grammar/parse.hpp"

namespace {

namespace ast = roo::ast;
using K = ast::ExprKind;

// ---- a dump of the syntax tree without spans ----

void dump(const ast::Expr& e, std::string& out);

void dump_codes(const std::vector<ast::CodeItem>& codes, std::string& out) {
  out += "{";
  for (const auto& c : codes) out += "<" + c.level + "|" + c.first + "|" + c.last + ">";
  out += "}";
}

void dump(const ast::Expr& e, std::string& out) {
  out += "(" + std::to_string(static_cast<int>(e.kind)) + " '" + e.text + "'";
  if (!e.var.empty()) out += " var=" + e.var;
  if (e.call_parens) out += " called";
  if (!e.codes.empty()) dump_codes(e.codes, out);
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    out += " ";
    if (i < e.arg_names.size() && !e.arg_names[i].empty()) out += e.arg_names[i] + ":";
    dump(e.args[i], out);
  }
  if (e.arg_names.size() != e.args.size() && e.kind != K::call) out += " names=" + std::to_string(e.arg_names.size());
  out += ")";
}

void dump_opt(const std::optional<std::string>& s, std::string& out) { out += s ? "\"" + *s + "\"" : "-"; }

void dump(const ast::CriterionDef& d, std::string& out) {
  out += "criterion " + d.name + (d.has_params ? " params[" : " noparams[");
  for (const auto& p : d.params) {
    out += p.name + ":" + p.type;
    if (p.default_value) {
      out += "=";
      dump(*p.default_value, out);
    }
    out += ";";
  }
  out += "] reports=" + d.reports + " wording=";
  dump_opt(d.wording, out);
  out += " body=";
  dump(d.body, out);
  out += "\n";
}

void dump(const ast::LetDef& d, std::string& out) {
  out += "let " + d.name + " wording=";
  dump_opt(d.wording, out);
  out += " ";
  dump(d.value, out);
  out += "\n";
}

void dump(const ast::Rule& r, std::string& out) {
  out += std::string("rule ex=") + (r.scope.ex ? "1" : "0");
  dump_codes(r.scope.codes, out);
  out += " desc=";
  dump_opt(r.scope.description, out);
  if (r.scope.condition) {
    out += " where=";
    dump(*r.scope.condition, out);
  }
  out += " body=";
  dump(r.body, out);
  out += " from=";
  dump_opt(r.valid_from, out);
  out += " until=";
  dump_opt(r.valid_until, out);
  out += " cite=";
  dump_opt(r.cite, out);
  out += " note=";
  dump_opt(r.note, out);
  out += " to=";
  for (const auto& t : r.to) out += t + ",";
  out += r.quota ? " quota" : "";
  out += "\n";
}

void dump(const ast::Setting& s, std::string& out) {
  out += "setting " + s.key + " word=" + s.word + " text=" + s.text + " number=" + s.number + " names=";
  for (const auto& n : s.names) out += n + ",";
  dump_codes(s.codes, out);
  if (s.expr) dump(*s.expr, out);
  out += "\n";
}

std::string dump(const ast::File& f) {
  std::string out;
  for (const auto& item : f.items) {
    if (const auto* i = std::get_if<ast::Import>(&item)) out += "import " + i->path + "\n";
    else if (const auto* c = std::get_if<ast::CriterionDef>(&item)) dump(*c, out);
    else if (const auto* l = std::get_if<ast::LetDef>(&item)) dump(*l, out);
    else if (const auto* p = std::get_if<ast::ProcessDecl>(&item)) {
      out += "process";
      for (const auto& n : p->names) out += " " + n;
      out += "\n";
    } else if (const auto* a = std::get_if<ast::Agreement>(&item)) {
      out += "agreement \"" + a->title + "\" {\n";
      for (const auto& ai : a->items)
        std::visit([&](const auto& x) { dump(x, out); }, ai);
      out += "}\n";
    }
  }
  return out;
}

// ---- helpers ----

std::string diagnostics_text(const roo::ParseResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += roo::format_diagnostic(d);
  return out;
}

std::string format(std::string_view source) {
  auto parsed = roo::parse(source, "test.roo");
  INFO(diagnostics_text(parsed));
  REQUIRE(parsed.diagnostics.empty());
  return roo::format_source(parsed.file, source);
}

// The texts of a file's comments, in order, without trailing blanks.
std::vector<std::string> comment_texts(const ast::File& f, std::string_view source) {
  std::vector<std::string> out;
  for (const auto& c : f.comments) {
    std::string t(source.substr(c.span.begin, c.span.end - c.span.begin));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    out.push_back(t);
  }
  return out;
}

// Both promises of the formatter, and every comment kept (in order).
void check_round_trip(std::string_view source, const std::string& name) {
  INFO("file: ", name);
  auto first = roo::parse(source, name);
  INFO(diagnostics_text(first));
  REQUIRE(first.diagnostics.empty());
  std::string formatted = roo::format_source(first.file, source);
  INFO("formatted:\n", formatted);
  auto second = roo::parse(formatted, name);
  INFO(diagnostics_text(second));
  REQUIRE(second.diagnostics.empty());
  CHECK(dump(first.file) == dump(second.file));
  CHECK(roo::same_syntax(first.file, second.file));
  CHECK(comment_texts(first.file, source) == comment_texts(second.file, formatted));
  CHECK(roo::format_source(second.file, formatted) == formatted);
  if (!formatted.empty()) {
    CHECK(formatted.back() == '\n');
    CHECK(formatted.find("\n\n\n") == std::string::npos);
    CHECK(formatted.substr(formatted.size() - std::min<std::size_t>(2, formatted.size())) != "\n\n");
  }
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("fmt: every roo file of the project is formatted idempotently and keeps its meaning") {
  namespace fs = std::filesystem;
  fs::path root(ROO_SOURCE_DIR);
  std::vector<fs::path> files = {root / "stdlib" / "std.roo"};
  for (const char* dir : {"rules", "tests", "stdlib", "examples"}) {
    if (!fs::is_directory(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".roo") continue;
      bool bad = false;
      for (const auto& part : fs::relative(entry.path(), root)) bad = bad || part == "bad";
      if (!bad && entry.path() != files.front()) files.push_back(entry.path());
    }
  }
  std::size_t checked = 0;
  for (const auto& f : files) {
    std::string source = read_all(f);
    // A file with syntax errors outside a bad/ folder (a command-line test's
    // input, say) is not the formatter's business: roo fmt refuses it.
    if (f != files.front() && !roo::parse(source, f.string()).diagnostics.empty()) {
      MESSAGE("not formatted (syntax errors): ", f.string());
      continue;
    }
    check_round_trip(source, f.string());
    ++checked;
  }
  CHECK(checked >= 1);
}

TEST_CASE("fmt: std.roo's layout") {
  std::string formatted = format(read_all(std::filesystem::path(ROO_SOURCE_DIR) / "stdlib" / "std.roo"));
  CHECK(formatted.find("process chemical_reaction, purification, mixing_and_blending, "
                       "production_of_standard_materials,\n        change_of_particle_size,") != std::string::npos);
  CHECK(formatted.find("criterion CTH(excluded: materials = none, allow: materials = none)\n"
                       "  \"a change from any other heading[, except from {excluded}]\" =\n"
                       "  tariff_shift(heading, excluded: excluded, allow: allow)\n") != std::string::npos);
  CHECK(formatted.find("let fabric_formation = [weaving, knitting, crocheting, tufting, felting, bonding]\n") !=
        std::string::npos);
}

TEST_CASE("fmt: items and blank lines") {
  CHECK(format("import   std\n\n\n\nlet  x=[a,b]\nlet y = 5\n\n") == "import std\n\nlet x = [a, b]\nlet y = 5\n");
  CHECK(format("") == "");
  CHECK(format("\n\n// only a comment\n\n\n") == "// only a comment\n");
  CHECK(format("let x \"the x\" = 50%") == "let x \"the x\" = 50%\n");
  CHECK(format("process a,b , c") == "process a, b, c\n");
  CHECK(format("criterion A() = true\ncriterion B = not   false") == "criterion A() = true\ncriterion B = not false\n");
  CHECK(format("criterion m(limit: percent, base: money = price) reports nom = vnm(materials) <= limit of base") ==
        "criterion m(limit: percent, base: money = price) reports nom = vnm(materials) <= limit of base\n");
  CHECK(format("criterion m(limit: percent) reports rvc \"w \\\"q\\\" \\\\\" = x") ==
        "criterion m(limit: percent) reports rvc\n  \"w \\\"q\\\" \\\\\" =\n  x\n");
  CHECK(format("agreement \"A\" {\n\n  hs 2017\n\n\n  heading 01: CTH\n\n}\n") ==
        "agreement \"A\" {\n  hs 2017\n\n  heading 01: CTH\n}\n");
  CHECK(format("agreement \"A\" {}") == "agreement \"A\" {\n}\n");
  CHECK(format("agreement \"A\" { hs 2017 heading 01: CTH }") == "agreement \"A\" {\n  hs 2017\n  heading 01: CTH\n}\n");
}

TEST_CASE("fmt: long definitions") {
  // Without a wording: one line when it fits, else `=` ends the header.
  std::string body = "tariff_shift(heading, allow: materials of product.heading) and vnm(materials) <= limit of base";
  CHECK(format("criterion c(limit: percent) = " + body) ==
        "criterion c(limit: percent) =\n  " + body + "\n");
  // A body too long for its line breaks before `or`, then before `and`.
  std::string long_or =
      "criterion c =\n"
      "  tariff_shift(heading, allow: materials of product.heading) or vnm(materials of product.heading) <= 40% of price "
      "or (maxnom(50%) or CTSH) and changes_everything_that_needs_changing(materials) and "
      "performed_count(finishing_operations) >= 2";
  CHECK(format(long_or) ==
        "criterion c =\n"
        "  tariff_shift(heading, allow: materials of product.heading)\n"
        "  or vnm(materials of product.heading) <= 40% of price\n"
        "  or (maxnom(50%) or CTSH)\n"
        "  and changes_everything_that_needs_changing(materials)\n"
        "  and performed_count(finishing_operations) >= 2\n");
  // Long lists wrap after the `[`; long process lists indent 8.
  std::string names;
  for (int i = 0; i < 20; ++i) names += (i ? ", operation_" : "operation_") + std::string(i < 10 ? "0" : "") + std::to_string(i);
  CHECK(format("let many = [" + names + "]") ==
        "let many = [operation_00, operation_01, operation_02, operation_03, operation_04, operation_05,\n"
        "            operation_06, operation_07, operation_08, operation_09, operation_10, operation_11,\n"
        "            operation_12, operation_13, operation_14, operation_15, operation_16, operation_17,\n"
        "            operation_18, operation_19]\n");
  CHECK(format("process " + names) ==
        "process operation_00, operation_01, operation_02, operation_03, operation_04, operation_05,\n"
        "        operation_06, operation_07, operation_08, operation_09, operation_10, operation_11,\n"
        "        operation_12, operation_13, operation_14, operation_15, operation_16, operation_17,\n"
        "        operation_18, operation_19\n");
  // A line may take exactly 100 columns.
  std::string n29(29, 'n');
  std::string three = "process " + n29 + ", " + n29 + ", " + n29 + ",";
  REQUIRE(three.size() == 100);
  CHECK(format("process " + n29 + ", " + n29 + ", " + n29 + ", " + n29) == three + "\n        " + n29 + "\n");
}

TEST_CASE("fmt: lines still too long break inside parentheses, argument lists, code lists and operators") {
  std::string source =
        "let specific_processes \"the specific processes of Introductory Note 7.1\" = [vacuum_distillation, redistillation, cracking, reforming, selective_solvent_extraction, sulphuric_acid_treatment, polymerisation]\n"
        "agreement \"A\" {\n"
        "  let uncut_glassware \"uncut glassware of heading 7010\" = materials of heading 7010 where it.is(\"uncut_glassware\")\n"
        "  heading 8712: CTH(excluded: non_originating of heading 8714) or CTH and (max_value(non_originating of heading 8714, 50%, base: transaction_value) or max_value(non_originating of heading 8714, 50%, base: ex_works))\n"
        "  heading 5608: CC(excluded: non_originating of headings 5106..5113, 5205..5212, 5306..5308, 5310..5311, subheadings 540231..540269, heading 5404, headings 5406..5408, subheadings 550120..550190)\n"
        "  ex heading 3105 \"sodium nitrate; calcium cyanamide; potassium sulphate\" where product.is(\"sodium_nitrate\") or product.is(\"calcium_cyanamide\"): CTH\n"
        "  heading 2401: every m in non_originating of heading 2401 where it.wholly_obtained: weight(materials of heading 2401 where it.wholly_obtained) >= 10% of weight(materials)\n"
        "}\n";
  CHECK(format(source) ==
        "let specific_processes \"the specific processes of Introductory Note 7.1\" =\n"
        "    [vacuum_distillation, redistillation, cracking, reforming, selective_solvent_extraction,\n"
        "     sulphuric_acid_treatment, polymerisation]\n"
        "agreement \"A\" {\n"
        "  let uncut_glassware \"uncut glassware of heading 7010\" =\n"
        "      materials of heading 7010 where it.is(\"uncut_glassware\")\n"
        "  heading 8712:\n"
        "      CTH(excluded: non_originating of heading 8714)\n"
        "      or CTH\n"
        "      and (max_value(non_originating of heading 8714, 50%, base: transaction_value)\n"
        "           or max_value(non_originating of heading 8714, 50%, base: ex_works))\n"
        "  heading 5608:\n"
        "      CC(excluded: non_originating of headings 5106..5113, 5205..5212, 5306..5308, 5310..5311,\n"
        "                   subheadings 540231..540269, heading 5404, headings 5406..5408,\n"
        "                   subheadings 550120..550190)\n"
        "  ex heading 3105 \"sodium nitrate; calcium cyanamide; potassium sulphate\"\n"
        "      where product.is(\"sodium_nitrate\") or product.is(\"calcium_cyanamide\"):\n"
        "      CTH\n"
        "  heading 2401:\n"
        "      every m in non_originating of heading 2401 where it.wholly_obtained:\n"
        "        weight(materials of heading 2401 where it.wholly_obtained) >= 10% of weight(materials)\n"
        "}\n");
  check_round_trip(source, "long-lines.roo");
}

TEST_CASE("fmt: settings are aligned by run") {
  CHECK(format("agreement \"A\" {\n"
               "citation \"Annex ORIG-2\"\n"
               "hs 2017\n"
               "parties GB,EU\n"
               "cumulation full with GB , EU\n"
               "tolerance 15% of weight for chapters 02, 04..24\n"
               "tolerance none for chapters 50..63\n"
               "\n"
               "basis ex_works\n"
               "group ANDEAN = CO, PE\n"
               "all_rules_apply\n"
               "origin_criterion wholly_obtained \"A\"\n"
               "sets 15% of ex_works\n"
               "\n"
               "insufficient std.minimal_operations\n"
               "roll_up absorb\n"
               "tolerance_applies_to tariff_shift\n"
               "}\n") ==
        "agreement \"A\" {\n"
        "  citation   \"Annex ORIG-2\"\n"
        "  hs         2017\n"
        "  parties    GB, EU\n"
        "  cumulation full with GB, EU\n"
        "  tolerance  15% of weight for chapters 02, 04..24\n"
        "  tolerance  none for chapters 50..63\n"
        "\n"
        "  basis            ex_works\n"
        "  group            ANDEAN = CO, PE\n"
        "  all_rules_apply\n"
        "  origin_criterion wholly_obtained \"A\"\n"
        "  sets             15% of ex_works\n"
        "\n"
        "  insufficient         std.minimal_operations\n"
        "  roll_up              absorb\n"
        "  tolerance_applies_to tariff_shift\n"
        "}\n");
}

TEST_CASE("fmt: rules are aligned by run of single-line rules") {
  CHECK(format("agreement \"A\" {\n"
               "chapter 01: wholly_obtained\n"
               "headings 0201..0210: wholly_obtained_materials(chapters 01, 02)\n"
               "heading 1703 :CTH\n"
               "ex heading 1704 \"white chocolate\" where product.is(\"white_chocolate\"): CTH\n"
               "heading 1704: CTH\n"
               "heading 1705: CTH\n"
               "\n"
               "subheadings 841311..841510: CTSH or maxnom(50%)\n"
               "heading 7302: CC except headings 7208..7217 valid from 2021-01-01 until 2026-12-31 note \"n\" cite "
               "\"c\" to GB, EU quota\n"
               "heading 7303: CC\n"
               "heading 8507 \"battery cells for vehicle batteries\" where product.is(\"ev_battery_cell\"): "
               "CTH except (materials where it.is(\"active_cathode_material\")) or maxnom(35%) valid until "
               "2026-12-31\n"
               "}\n") ==
        "agreement \"A\" {\n"
        "  chapter 01:          wholly_obtained\n"
        "  headings 0201..0210: wholly_obtained_materials(chapters 01, 02)\n"
        "  heading 1703:        CTH\n"
        "  ex heading 1704 \"white chocolate\" where product.is(\"white_chocolate\"): CTH\n"
        "  heading 1704: CTH\n"
        "  heading 1705: CTH\n"
        "\n"
        "  subheadings 841311..841510: CTSH or maxnom(50%)\n"
        "  heading 7302: CC except headings 7208..7217\n"
        "      valid from 2021-01-01 until 2026-12-31\n"
        "      cite \"c\"\n"
        "      note \"n\"\n"
        "      to GB, EU\n"
        "      quota\n"
        "  heading 7303: CC\n"
        "  heading 8507 \"battery cells for vehicle batteries\" where product.is(\"ev_battery_cell\"):\n"
        "      CTH except (materials where it.is(\"active_cathode_material\")) or maxnom(35%)\n"
        "      valid until 2026-12-31\n"
        "}\n");
  // A long body goes on the next lines, broken before `or`.
  CHECK(format("agreement \"A\" {\n"
               "heading 1701: CTH\n"
               "heading 1702: tariff_shift(heading, allow: materials of product.heading) or "
               "vnm(materials of product.heading) <= 40% of price or maxnom(30%)\n"
               "}\n") ==
        "agreement \"A\" {\n"
        "  heading 1701: CTH\n"
        "  heading 1702:\n"
        "      tariff_shift(heading, allow: materials of product.heading)\n"
        "      or vnm(materials of product.heading) <= 40% of price\n"
        "      or maxnom(30%)\n"
        "}\n");
  // A rule that would pass 100 columns once aligned leaves the run.
  std::string body(79, 'x');
  CHECK(format("agreement \"A\" {\nheading 01: " + body + "\nheadings 0201..0210, 0301: CTH\n}\n") ==
        "agreement \"A\" {\n  heading 01: " + body + "\n  headings 0201..0210, 0301: CTH\n}\n");
}

TEST_CASE("fmt: parentheses are re-inserted where the grammar needs them") {
  auto body = [](const std::string& expr) {
    std::string out = format("let x = " + expr);
    REQUIRE(out.size() > 9);
    return out.substr(8, out.size() - 9);
  };
  CHECK(body("(A or B) and C") == "(A or B) and C");
  CHECK(body("((A) or (B and C))") == "A or B and C");
  CHECK(body("not (A and B)") == "not (A and B)");
  CHECK(body("not (not A)") == "not not A");
  CHECK(body("not (x in heading 7208)") == "not x in heading 7208");
  CHECK(body("(not x) == y") == "(not x) == y");
  CHECK(body("CTH except (materials where (it.is(\"x\") and it.originating))") ==
        "CTH except (materials where (it.is(\"x\") and it.originating))");
  CHECK(body("CTH except materials where it.is(\"x\")") == "CTH except (materials where it.is(\"x\"))");
  CHECK(body("(CTH except materials) where it.is(\"x\")") == "(CTH except materials) where it.is(\"x\")");
  CHECK(body("(CTH except 7208) where it.is(\"x\")") == "CTH except 7208 where it.is(\"x\")");
  CHECK(body("CTH except [7208, 7209..7210]") == "CTH except [7208, 7209..7210]");
  CHECK(body("CTH except 7208, 7209") == "CTH except 7208, 7209");
  CHECK(body("a - (b - c) * (d * e)") == "a - (b - c) * (d * e)");
  CHECK(body("(a - b) - (c * d)") == "a - b - c * d");
  CHECK(body("(a == b) == c") == "(a == b) == c");
  CHECK(body("50% of (ex_works - vnm(materials))") == "50% of (ex_works - vnm(materials))");
  CHECK(body("materials of (7208)") == "materials of (7208)");
  CHECK(body("materials of 7208 of heading 7209") == "materials of 7208 of heading 7209");
  CHECK(body("x in (a + b)") == "x in a + b");
  CHECK(body("x in (5 + b)") == "x in (5 + b)");
  CHECK(body("(every m in materials: m.originating) and (some m in (a or b): x or y)") ==
        "(every m in materials: m.originating) and (some m in a or b: x or y)");
  CHECK(body("every m in (every n in s: n): (m)") == "every m in (every n in s: n): m");
  CHECK(body("f((x in 7208), 7209, (m in heading 01), heading 02, a: (y in 1), 2)") ==
        "f((x in 7208), 7209, (m in heading 01), heading 02, a: (y in 1), 2)");
  CHECK(body("f((x in 7208), y)") == "f(x in 7208, y)");
  CHECK(body("[(5), 6]") == "[(5), 6]");
  CHECK(body("[(5)]") == "[(5)]");
  CHECK(body("[5, 6]") == "[5, 6]");
  CHECK(body("[(5), x]") == "[5, x]");
  CHECK(body("(heading 7208).x") == "heading 7208.x");
  CHECK(body("product . is( \"a\\\"b\" , limit : 5 )") == "product.is(\"a\\\"b\", limit: 5)");
}

TEST_CASE("fmt: comments") {
  // Own-line comments before an item; a comment at the end of an item's last
  // line; comments inside an item moved before it; comments before `}` and at
  // the end of the file; a comment after `{` and after `}`.
  std::string source =
      "// header\n"
      "\n"
      "import std // after import\n"
      "\n"
      "// about x\n"
      "let x = [a, // inside the list\n"
      "  b]\n"
      "agreement // inside the head\n"
      "  \"A\" { // after the brace\n"
      "\n"
      "  // about hs\n"
      "  hs 2017   // the edition  \n"
      "  parties GB, EU\n"
      "  heading 01: CTH // first line of the rule\n"
      "      valid until 2026-12-31 // last line of the rule\n"
      "  heading 02: CTH\n"
      "  criterion c\n"
      "    // in the definition\n"
      "    \"w\" = true\n"
      "\n"
      "  // after the last item\n"
      "\n"
      "  // still before the brace\n"
      "\n"
      "} // after the agreement\n"
      "// at the end\n"
      "\n";
  std::string expected =
      "// header\n"
      "\n"
      "import std  // after import\n"
      "\n"
      "// about x\n"
      "// inside the list\n"
      "let x = [a, b]\n"
      "// inside the head\n"
      "agreement \"A\" {  // after the brace\n"
      "  // about hs\n"
      "  hs      2017  // the edition\n"
      "  parties GB, EU\n"
      "  // first line of the rule\n"
      "  heading 01: CTH\n"
      "      valid until 2026-12-31  // last line of the rule\n"
      "  heading 02: CTH\n"
      "  // in the definition\n"
      "  criterion c\n"
      "    \"w\" =\n"
      "    true\n"
      "\n"
      "  // after the last item\n"
      "\n"
      "  // still before the brace\n"
      "}  // after the agreement\n"
      "// at the end\n";
  CHECK(format(source) == expected);
  check_round_trip(source, "comments.roo");
  // "//" inside strings is not a comment.
  CHECK(format("let x \"a // b\" = \"c // d\" // e") == "let x \"a // b\" = \"c // d\"  // e\n");
}

TEST_CASE("fmt: a file whose every comment survives") {
  std::string source =
      "// 1\n"
      "import // 2\n"
      "  std // 3\n"
      "// 4\n"
      "process a, // 5\n"
      "  b // 6\n"
      "criterion c(x: number = // 7\n"
      "  5, // 8\n"
      "  y: codes = heading 7208 // 9\n"
      ") reports nom // 10\n"
      "  \"w\" // 11\n"
      "  = // 12\n"
      "  x > 1 // 13\n"
      "  or // 14\n"
      "  (every m in materials: // 15\n"
      "     m.originating) // 16\n"
      "agreement \"A\" // 17\n"
      "{ // 18\n"
      "  // 19\n"
      "  hs // 20\n"
      "    2017 // 21\n"
      "  ex // 22\n"
      "  heading 01 // 23\n"
      "  \"d\" // 24\n"
      "  where x // 25\n"
      "  : // 26\n"
      "  CTH // 27\n"
      "  valid // 28\n"
      "  until 2026-01-01 // 29\n"
      "  to GB // 30\n"
      "  // 31\n"
      "} // 32\n"
      "// 33";
  auto first = roo::parse(source, "all.roo");
  INFO(diagnostics_text(first));
  REQUIRE(first.diagnostics.empty());
  REQUIRE(first.file.comments.size() == 33);
  std::string formatted = roo::format_source(first.file, source);
  INFO(formatted);
  for (int i = 1; i <= 33; ++i) {
    std::string c = "// " + std::to_string(i) + "\n";
    auto at = formatted.find(c);
    CHECK(at != std::string::npos);
    CHECK(formatted.find(c, at + 1) == std::string::npos);
  }
  check_round_trip(source, "all.roo");
}

// ---- random syntax trees: the printed text must parse back to the same tree ----

namespace {

struct TreeMaker {
  std::mt19937 rng{12345};

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  template <typename T, std::size_t N>
  const T& one_of(const T (&items)[N]) {
    return items[pick(static_cast<int>(N))];
  }

  ast::Expr leaf_of(K kind, std::string text = "") {
    ast::Expr e;
    e.kind = kind;
    e.text = std::move(text);
    return e;
  }

  ast::Expr codes() {
    static const char* const levels[] = {"", "", "chapter", "chapters", "heading", "headings", "subheading"};
    static const char* const codes[] = {"01", "7208", "72.08", "8501.52.20", "841311"};
    ast::Expr e = leaf_of(K::codes);
    int n = 1 + pick(3);
    for (int i = 0; i < n; ++i) {
      ast::CodeItem c;
      c.level = one_of(levels);
      c.first = one_of(codes);
      if (pick(3) == 0) c.last = one_of(codes);
      e.codes.push_back(c);
    }
    return e;
  }

  ast::Expr leaf() {
    static const char* const names[] = {"x", "CTH", "materials", "heading", "chapter", "non_originating", "none"};
    static const char* const numbers[] = {"5", "12.5", "7208", "0"};
    static const char* const strings[] = {"a", "a \"b\" \\c", "", "x // y"};
    switch (pick(8)) {
      case 0: return leaf_of(K::number, one_of(numbers));
      case 1: return leaf_of(K::percent, one_of(numbers));
      case 2: return leaf_of(K::string, one_of(strings));
      case 3: return leaf_of(K::boolean, pick(2) ? "true" : "false");
      case 4: return leaf_of(K::it);
      case 5: return codes();
      default: return leaf_of(K::name, one_of(names));
    }
  }

  void add_args(ast::Expr& e, int depth) {
    static const char* const arg_names[] = {"", "", "", "except", "limit", "heading"};
    int n = pick(4);
    for (int i = 0; i < n; ++i) {
      e.args.push_back(expr(depth - 1));
      e.arg_names.push_back(one_of(arg_names));
    }
  }

  ast::Expr binary(K kind, int depth, std::string text = "") {
    ast::Expr e = leaf_of(kind, std::move(text));
    e.args.push_back(expr(depth - 1));
    e.args.push_back(expr(depth - 1));
    return e;
  }

  ast::Expr expr(int depth) {
    if (depth <= 0 || pick(5) == 0) return leaf();
    static const char* const compare_ops[] = {"<=", "<", ">=", ">", "==", "!="};
    static const char* const members[] = {"hs", "is", "originating", "in"};
    switch (pick(17)) {
      case 0: {
        ast::Expr e = leaf_of(K::list);
        int n = pick(4);
        for (int i = 0; i < n; ++i) e.args.push_back(expr(depth - 1));
        return e;
      }
      case 1: {
        ast::Expr e = leaf_of(K::member, one_of(members));
        e.args.push_back(expr(depth - 1));
        e.arg_names.emplace_back();
        if (pick(2)) {
          e.call_parens = true;
          add_args(e, depth);
        }
        return e;
      }
      case 2: {
        ast::Expr e = leaf_of(K::call, pick(2) ? "f" : "maxnom");
        add_args(e, depth);
        return e;
      }
      case 3: {
        ast::Expr e = leaf_of(K::not_);
        e.args.push_back(expr(depth - 1));
        return e;
      }
      case 4:
      case 5: {
        ast::Expr e = leaf_of(pick(2) ? K::and_ : K::or_);
        int n = 2 + pick(2);
        for (int i = 0; i < n; ++i) e.args.push_back(expr(depth - 1));
        return e;
      }
      case 6: return binary(K::compare, depth, one_of(compare_ops));
      case 7: return binary(pick(2) ? K::in : K::not_in, depth);
      case 8: return binary(K::add, depth);
      case 9: return binary(K::sub, depth);
      case 10: return binary(K::mul, depth);
      case 11: return binary(K::of, depth);
      case 12: return binary(K::except_, depth);
      case 13: return binary(K::where, depth);
      case 14: {
        ast::Expr e = binary(K::quantifier, depth, pick(2) ? "every" : "no");
        e.var = "m";
        return e;
      }
      default: return leaf();
    }
  }
};

}  // namespace

// Under the sanitizers every allocation is slow: fewer rounds there.
#if defined(__SANITIZE_ADDRESS__)
constexpr int random_tree_rounds = 200;
constexpr int random_layout_rounds = 40;
#else
constexpr int random_tree_rounds = 3000;
constexpr int random_layout_rounds = 300;
#endif

TEST_CASE("fmt: random syntax trees print as text that parses back to them") {
  TreeMaker maker;
  for (int round = 0; round < random_tree_rounds; ++round) {
    ast::File file;
    ast::Agreement agreement;
    agreement.title = "T";
    for (int i = 0; i < 5; ++i) {
      ast::LetDef let;
      let.name = "v" + std::to_string(i);
      let.value = maker.expr(5);
      file.items.push_back(let);

      ast::CriterionDef c;
      c.name = "c" + std::to_string(i);
      c.has_params = true;
      ast::Param p;
      p.name = "p";
      p.type = "codes";
      p.default_value = maker.expr(3);
      c.params.push_back(p);
      ast::Param q;
      q.name = "heading";
      q.type = "level";
      c.params.push_back(q);
      c.body = maker.expr(5);
      file.items.push_back(c);

      ast::Rule r;
      r.scope.codes = maker.codes().codes;
      r.scope.codes.front().level = "heading";
      r.scope.condition = maker.expr(3);
      r.body = maker.expr(5);
      r.note = "n";
      agreement.items.push_back(r);

      ast::Setting s;
      s.key = "insufficient";
      s.expr = maker.expr(3);
      agreement.items.push_back(s);
    }
    file.items.push_back(agreement);

    std::string text = roo::format_source(file, "");
    INFO("round ", round, ":\n", text);
    auto parsed = roo::parse(text, "random.roo");
    INFO(diagnostics_text(parsed));
    REQUIRE(parsed.diagnostics.empty());
    REQUIRE(dump(parsed.file) == dump(file));
    REQUIRE(roo::format_source(parsed.file, text) == text);
  }
}

// Every layout of the same tokens (line breaks, blank lines and comments
// anywhere between them) formats to the same text, keeping every comment.
TEST_CASE("fmt: any layout of the same file formats the same way, keeping its comments") {
  TreeMaker maker;
  std::mt19937 rng(777);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  for (int round = 0; round < random_layout_rounds; ++round) {
    ast::File file;
    file.items.push_back(ast::Import{"std", {}});
    ast::Agreement agreement;
    agreement.title = "T";
    for (int i = 0; i < 3; ++i) {
      ast::LetDef let;
      let.name = "v" + std::to_string(i);
      let.value = maker.expr(3);
      file.items.push_back(let);
      ast::Rule r;
      r.scope.codes = maker.codes().codes;
      r.scope.codes.front().level = "heading";
      r.body = maker.expr(3);
      if (pick(2)) r.valid_until = "2026-12-31";
      if (pick(2)) r.to = {"GB", "EU"};
      agreement.items.push_back(r);
      ast::Setting s;
      s.key = "parties";
      s.names = {"GB", "EU"};
      agreement.items.push_back(s);
    }
    file.items.push_back(agreement);
    std::string canonical = roo::format_source(file, "");
    auto reparsed = roo::parse(canonical, "canonical.roo");
    REQUIRE(reparsed.diagnostics.empty());
    canonical = roo::format_source(reparsed.file, canonical);

    // Re-lay the canonical text: each space outside strings may become a line
    // break, a blank line or a comment.
    std::string mangled;
    bool in_string = false;
    int comments = 0;
    for (std::size_t i = 0; i < canonical.size(); ++i) {
      char c = canonical[i];
      if (in_string) {
        mangled += c;
        if (c == '\\') mangled += canonical[++i];
        else if (c == '"') in_string = false;
        continue;
      }
      if (c == '"') in_string = true;
      if (c == ' ' || c == '\n') {
        switch (pick(8)) {
          case 0: mangled += "\n"; continue;
          case 1: mangled += "\n\n\n"; continue;
          case 2: mangled += " // comment " + std::to_string(++comments) + "\n"; continue;
          case 3: mangled += "\n// comment " + std::to_string(++comments) + "\n\n"; continue;
          default: break;
        }
      }
      mangled += c;
    }
    INFO("round ", round, ":\n", mangled);
    check_round_trip(mangled, "mangled.roo");
  }
}
