// The grammar (grammar/): PEGTL's analysis of the grammar, the shape of the
// syntax tree for representative inputs (kinds, texts, spans), every syntax
// error message of grammar/errors.hpp and of the item driver with its line
// and column, and the limits that keep hostile input from exhausting the
// stack, the memory or the time.
#include "grammar/parse.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

namespace ast = roo::ast;
using K = ast::ExprKind;

// ---- a compact dump of an expression ----

void sexpr(const ast::Expr& e, std::string& out);

void codes_text(const std::vector<ast::CodeItem>& codes, std::string& out) {
  out += "{";
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i) out += ", ";
    if (!codes[i].level.empty()) out += codes[i].level + " ";
    out += codes[i].first;
    if (!codes[i].last.empty()) out += ".." + codes[i].last;
  }
  out += "}";
}

void sexpr_args(const ast::Expr& e, std::size_t from, std::string& out) {
  for (std::size_t i = from; i < e.args.size(); ++i) {
    out += " ";
    if (i < e.arg_names.size() && !e.arg_names[i].empty()) out += e.arg_names[i] + ": ";
    sexpr(e.args[i], out);
  }
}

void sexpr(const ast::Expr& e, std::string& out) {
  switch (e.kind) {
    case K::number: out += e.text; return;
    case K::percent: out += e.text + "%"; return;
    case K::string: out += "\"" + e.text + "\""; return;
    case K::boolean: out += e.text; return;
    case K::name: out += e.text; return;
    case K::it: out += "it"; return;
    case K::codes: codes_text(e.codes, out); return;
    case K::list: out += "(list"; sexpr_args(e, 0, out); out += ")"; return;
    case K::member:
      out += e.call_parens ? "(.() " : "(. ";
      sexpr(e.args[0], out);
      out += " " + e.text;
      sexpr_args(e, 1, out);
      out += ")";
      return;
    case K::call: out += "(call " + e.text; sexpr_args(e, 0, out); out += ")"; return;
    case K::quantifier:
      out += "(" + e.text + " " + e.var;
      sexpr_args(e, 0, out);
      out += ")";
      return;
    default: break;
  }
  const char* op = "?";
  switch (e.kind) {
    case K::not_: op = "not"; break;
    case K::and_: op = "and"; break;
    case K::or_: op = "or"; break;
    case K::compare: op = e.text.c_str(); break;
    case K::in: op = "in"; break;
    case K::not_in: op = "not-in"; break;
    case K::add: op = "+"; break;
    case K::sub: op = "-"; break;
    case K::mul: op = "*"; break;
    case K::of: op = "of"; break;
    case K::except_: op = "except"; break;
    case K::where: op = "where"; break;
    default: break;
  }
  out += "(" + std::string(op);
  sexpr_args(e, 0, out);
  out += ")";
}

std::string sexpr(const ast::Expr& e) {
  std::string out;
  sexpr(e, out);
  return out;
}

std::string all_messages(const roo::ParseResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += roo::format_diagnostic(d);
  return out;
}

// The agreement of a parse that must succeed.
const ast::Agreement& agreement_of(const roo::ParseResult& r) {
  REQUIRE_MESSAGE(r.diagnostics.empty(), all_messages(r));
  const ast::Agreement* found = nullptr;
  for (const auto& item : r.file.items)
    if (auto a = std::get_if<ast::Agreement>(&item); a && !found) found = a;
  REQUIRE(found != nullptr);
  return *found;
}

// The single rule of `agreement "t" { RULE }`.
struct OneRule {
  std::string source;
  roo::ParseResult parsed;
  const ast::Rule* rule = nullptr;
  std::string text(ast::Span s) const { return source.substr(s.begin, s.end - s.begin); }
};

OneRule one_rule(std::string rule) {
  OneRule r;
  r.source = "agreement \"t\" {\n  " + rule + "\n}\n";
  r.parsed = roo::parse(r.source, "t.roo");
  const auto& a = agreement_of(r.parsed);
  REQUIRE(a.items.size() == 1);
  r.rule = std::get_if<ast::Rule>(&a.items[0]);
  REQUIRE(r.rule != nullptr);
  return r;
}

// The body of `heading 0101: EXPR`, dumped.
std::string body(std::string expr) {
  auto r = one_rule("heading 0101: " + expr);
  return sexpr(r.rule->body);
}

// The first diagnostic of a parse that must fail.
struct Failure {
  std::uint64_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

Failure first_error(std::string_view source) {
  auto r = roo::parse(source, "e.roo");
  REQUIRE_MESSAGE(!r.diagnostics.empty(), source);
  const auto& d = r.diagnostics.front();
  CHECK(d.code == "roo-syntax");
  CHECK(d.file == "e.roo");
  return Failure{d.line, d.column, d.message};
}

// The first error of a rule in an agreement, the rule being on line 2 after
// two spaces: its column is counted from the rule's first character.
Failure rule_error(std::string rule) {
  auto f = first_error("agreement \"t\" {\n  " + rule + "\n}\n");
  CHECK(f.line == 2);
  if (f.line == 2) f.column -= 2;
  return f;
}

#define CHECK_ERROR(failure, want_line, want_column, want_message) \
  do {                                                              \
    Failure f_ = (failure);                                         \
    CHECK(f_.message == std::string(want_message));                 \
    CHECK(f_.line == (want_line));                                  \
    CHECK(f_.column == (want_column));                              \
  } while (0)

#define CHECK_RULE_ERROR(rule, want_column, want_message) \
  do {                                                    \
    Failure f_ = rule_error(rule);                        \
    CHECK(f_.message == std::string(want_message));       \
    CHECK(f_.column == (want_column));                    \
  } while (0)

}  // namespace

// ---- the grammar itself ----

TEST_CASE("grammar: PEGTL's analysis finds no rule that can loop without progress") {
  CHECK(roo::grammar_issues() == 0);
}

// ---- syntax trees ----

TEST_CASE("grammar: or binds looser than and, and than not") {
  CHECK(body("A or B and C") == "(or A (and B C))");
  CHECK(body("A and B or C") == "(or (and A B) C)");
  CHECK(body("not A and B") == "(and (not A) B)");
  CHECK(body("not A or not B and C") == "(or (not A) (and (not B) C))");
  CHECK(body("not not A") == "(not (not A))");
  CHECK(body("(A or B) and C") == "(and (or A B) C)");
  // and/or are flat lists, not nested pairs
  CHECK(body("A or B or C or D") == "(or A B C D)");
  CHECK(body("A and B and C") == "(and A B C)");
  CHECK(body("A or B and C or D") == "(or A (and B C) D)");
}

TEST_CASE("grammar: comparison, arithmetic and membership") {
  CHECK(body("vnm(materials) <= 50% of ex_works") == "(<= (call vnm materials) (of 50% ex_works))");
  CHECK(body("a + b * c - d") == "(- (+ a (* b c)) d)");
  CHECK(body("a * b * c") == "(* (* a b) c)");
  CHECK(body("not a < b") == "(not (< a b))");
  CHECK(body("x == 1 and y != 2.5") == "(and (== x 1) (!= y 2.5))");
  CHECK(body("a >= b or a > c or a < d") == "(or (>= a b) (> a c) (< a d))");
  CHECK(body("product.hs in 7208..7217, 7219") == "(in (. product hs) {7208..7217, 7219})");
  CHECK(body("product.hs not in headings 7208..7217") == "(not-in (. product hs) {headings 7208..7217})");
  CHECK(body("m in allowed") == "(in m allowed)");
  CHECK(body("count(materials - originating) > 2") == "(> (call count (- materials originating)) 2)");
}

TEST_CASE("grammar: of, except and where chains") {
  CHECK(body("CTH except headings 7208..7217") == "(except CTH {headings 7208..7217})");
  CHECK(body("CC except 7208..7217, 7219") == "(except CC {7208..7217, 7219})");
  // The right side of except takes its own where/of chain.
  CHECK(body("CTH except materials where it.is(\"x\")") == "(except CTH (where materials (.() it is \"x\")))");
  CHECK(body("CTH except materials where it.is(\"x\") or maxnom(35%)") ==
        "(or (except CTH (where materials (.() it is \"x\"))) (call maxnom 35%))");
  CHECK(body("CTH except non_originating of heading 1701") == "(except CTH (of non_originating {heading 1701}))");
  CHECK(body("materials of chapter 17 where it.is(\"x\")") ==
        "(where (of materials {chapter 17}) (.() it is \"x\"))");
  CHECK(body("CTH except 01 except 02") == "(except (except CTH {01}) {02})");
  CHECK(body("vnm(materials of product.heading) <= 10% of price") ==
        "(<= (call vnm (of materials (. product heading))) (of 10% price))");
  CHECK(body("produced_from(materials except chapter 12)") == "(call produced_from (except materials {chapter 12}))");
  CHECK(body("materials where (it.weight > 2 and it.originating)") ==
        "(where materials (and (> (. it weight) 2) (. it originating)))");
}

TEST_CASE("grammar: quantifiers extend as far as possible") {
  CHECK(body("every m in non_originating: changes(m, heading)") ==
        "(every m non_originating (call changes m heading))");
  CHECK(body("some m in materials - allow: m.hs in 17 or m.originating") ==
        "(some m (- materials allow) (or (in (. m hs) {17}) (. m originating)))");
  CHECK(body("no m in materials: every n in materials: m.value <= n.value") ==
        "(no m materials (every n materials (<= (. m value) (. n value))))");
  CHECK(body("(every m in materials: m.originating) or CTH") == "(or (every m materials (. m originating)) CTH)");
  auto r = one_rule("heading 0101: every mat in materials: mat.originating");
  CHECK(r.rule->body.var == "mat");
  CHECK(r.text(r.rule->body.var_span) == "mat");
}

TEST_CASE("grammar: members, calls and named arguments") {
  CHECK(body("product.wholly_obtained") == "(. product wholly_obtained)");
  CHECK(body("product.is(\"ev\")") == "(.() product is \"ev\")");
  CHECK(body("product.attribute(\"x\").y") == "(. (.() product attribute \"x\") y)");
  CHECK(body("std.CTH") == "(. std CTH)");
  CHECK(body("std.maxnom(50%)") == "(.() std maxnom 50%)");
  CHECK(body("a.b()") == "(.() a b)");
  CHECK(body("maxnom(limit: 50%, base: fob)") == "(call maxnom limit: 50% base: fob)");
  CHECK(body("CTH(excluded: non_originating of heading 1201)") ==
        "(call CTH excluded: (of non_originating {heading 1201}))");
  CHECK(body("f(1, except: 2)") == "(call f 1 except: 2)");  // argument names may be keywords
  CHECK(body("f()") == "(call f)");
}

TEST_CASE("grammar: literals") {
  CHECK(body("maxnom(47.5%)") == "(call maxnom 47.5%)");
  CHECK(body("f(12.5, \"a \\\"q\\\" \\\\ b\", true, false)") == "(call f 12.5 \"a \"q\" \\ b\" true false)");
  CHECK(body("[bleaching, mercerising]") == "(list bleaching mercerising)");
  CHECK(body("[]") == "(list)");
  CHECK(body("[[a], [b, c]]") == "(list (list a) (list b c))");
  CHECK(body("tariff_shift(heading)") == "(call tariff_shift heading)");
  CHECK(body("f(chapter)") == "(call f chapter)");
}

TEST_CASE("grammar: code lists with level words and ranges") {
  CHECK(body("f([7208..7217, 7219])") == "(call f {7208..7217, 7219})");
  CHECK(body("f(headings 7208..7217, 7219)") == "(call f {headings 7208..7217, 7219})");
  CHECK(body("f(chapters 50..63, heading 7302)") == "(call f {chapters 50..63, heading 7302})");
  CHECK(body("f(subheading 8501.52)") == "(call f {subheading 8501.52})");
  // A code list ends before a percentage: "1701, 20%" is a code and a percentage.
  CHECK(body("f(heading 1701, 20%)") == "(call f {heading 1701} 20%)");

  auto r = one_rule("headings 7208 .. 7217, chapter 72, 8501.52.20: CTH");
  const auto& codes = r.rule->scope.codes;
  REQUIRE(codes.size() == 3);
  CHECK(codes[0].level == "headings");
  CHECK(codes[0].first == "7208");
  CHECK(codes[0].last == "7217");
  CHECK(r.text(codes[0].span) == "headings 7208 .. 7217");
  CHECK(r.text(codes[0].first_span) == "7208");
  CHECK(r.text(codes[0].last_span) == "7217");
  CHECK(codes[1].level == "chapter");
  CHECK(codes[1].first == "72");
  CHECK(codes[1].last.empty());
  CHECK(codes[2].level.empty());
  CHECK(codes[2].first == "8501.52.20");
  CHECK(r.text(r.rule->scope.span) == "headings 7208 .. 7217, chapter 72, 8501.52.20");
}

TEST_CASE("grammar: spans of expressions") {
  auto r = one_rule("heading 0101: CTH except materials where it.is(\"x\") or maxnom(35%)");
  const auto& e = r.rule->body;
  CHECK(e.kind == K::or_);
  CHECK(r.text(e.span) == "CTH except materials where it.is(\"x\") or maxnom(35%)");
  REQUIRE(e.args.size() == 2);
  const auto& ex = e.args[0];
  CHECK(ex.kind == K::except_);
  CHECK(r.text(ex.span) == "CTH except materials where it.is(\"x\")");
  CHECK(r.text(ex.args[0].span) == "CTH");
  CHECK(r.text(ex.args[1].span) == "materials where it.is(\"x\")");
  CHECK(r.text(ex.args[1].args[1].span) == "it.is(\"x\")");
  CHECK(r.text(ex.args[1].args[1].args[0].span) == "it");
  const auto& call = e.args[1];
  CHECK(call.kind == K::call);
  CHECK(call.text == "maxnom");
  CHECK(r.text(call.span) == "maxnom(35%)");
  CHECK(r.text(call.args[0].span) == "35%");
  CHECK(call.args[0].text == "35");

  auto q = one_rule("heading 0101: a.b.c(1) + x");
  CHECK(r.text(r.rule->span).substr(0, 12) == "heading 0101");
  const auto& add = q.rule->body;
  CHECK(add.kind == K::add);
  CHECK(q.text(add.span) == "a.b.c(1) + x");
  CHECK(q.text(add.args[0].span) == "a.b.c(1)");
  CHECK(q.text(add.args[0].args[0].span) == "a.b");
  CHECK(q.text(add.args[1].span) == "x");
  // Parentheses make no node: "(x)" is the name x, spanning "x".
  auto p = one_rule("heading 0101: (x)");
  CHECK(p.text(p.rule->body.span) == "x");

  auto n = one_rule("heading 0101: not  CTH");
  CHECK(n.text(n.rule->body.span) == "not  CTH");
  CHECK(n.text(n.rule->body.args[0].span) == "CTH");
}

TEST_CASE("grammar: rule scopes and metadata") {
  auto r = one_rule(
      "ex heading 8507 \"battery cells\" where product.is(\"cell\"): CTH valid from 2024-01-01 valid until 2026-12-31 "
      "cite \"Annex 3\" note \"a \\\"note\\\"\" to GB, EU quota");
  const auto& rule = *r.rule;
  CHECK(rule.scope.ex);
  REQUIRE(rule.scope.codes.size() == 1);
  CHECK(rule.scope.codes[0].level == "heading");
  CHECK(rule.scope.description == "battery cells");
  REQUIRE(rule.scope.condition);
  CHECK(sexpr(*rule.scope.condition) == "(.() product is \"cell\")");
  CHECK(sexpr(rule.body) == "CTH");
  CHECK(rule.valid_from == "2024-01-01");
  CHECK(rule.valid_until == "2026-12-31");
  CHECK(r.text(rule.valid_from_span) == "2024-01-01");
  CHECK(r.text(rule.valid_until_span) == "2026-12-31");
  CHECK(rule.cite == "Annex 3");
  CHECK(rule.note == "a \"note\"");
  CHECK(rule.to == std::vector<std::string>{"GB", "EU"});
  REQUIRE(rule.to_spans.size() == 2);
  CHECK(r.text(rule.to_spans[1]) == "EU");
  CHECK(rule.quota);
  CHECK(r.text(rule.span).substr(0, 15) == "ex heading 8507");
  CHECK(r.text(rule.span).substr(r.text(rule.span).size() - 5) == "quota");

  auto plain = one_rule("heading 0101: CTH valid until 2026-12-31");
  CHECK(!plain.rule->scope.ex);
  CHECK(!plain.rule->scope.description);
  CHECK(!plain.rule->scope.condition);
  CHECK(!plain.rule->valid_from);
  CHECK(plain.rule->valid_until == "2026-12-31");
  CHECK(!plain.rule->quota);
  CHECK(plain.rule->to.empty());

  // A rule's body may continue on the next lines.
  auto multi = one_rule("heading 0101:\n      CTH\n      or maxnom(50%)\n      valid from 2020-01-01");
  CHECK(sexpr(multi.rule->body) == "(or CTH (call maxnom 50%))");
  CHECK(multi.rule->valid_from == "2020-01-01");
}

TEST_CASE("grammar: agreement settings") {
  std::string src =
      "agreement \"Settings\" {\n"
      "  title \"A title\"\n"
      "  citation \"Annex ORIG-2\"\n"
      "  hs 2017\n"
      "  parties GB, EU\n"
      "  group ANDEAN = CO, PE\n"
      "  basis ex_works\n"
      "  cumulation full with GB, EU\n"
      "  tolerance 15% of weight for chapters 02, 04..24\n"
      "  tolerance none for chapters 50..63\n"
      "  tolerance_applies_to tariff_shift\n"
      "  insufficient std.minimal_operations\n"
      "  roll_up look_through\n"
      "  all_rules_apply\n"
      "  origin_criterion wholly_obtained \"A\"\n"
      "  sets 15% of ex_works\n"
      "}\n";
  auto parsed = roo::parse(src, "s.roo");
  const auto& a = agreement_of(parsed);
  CHECK(a.title == "Settings");
  CHECK(src.substr(a.title_span.begin, a.title_span.end - a.title_span.begin) == "\"Settings\"");
  REQUIRE(a.items.size() == 15);
  auto setting = [&](std::size_t i) -> const ast::Setting& {
    auto s = std::get_if<ast::Setting>(&a.items[i]);
    REQUIRE(s != nullptr);
    return *s;
  };
  auto text = [&](ast::Span s) { return src.substr(s.begin, s.end - s.begin); };
  CHECK(setting(0).key == "title");
  CHECK(setting(0).text == "A title");
  CHECK(setting(1).key == "citation");
  CHECK(setting(1).text == "Annex ORIG-2");
  CHECK(setting(2).key == "hs");
  CHECK(setting(2).number == "2017");
  CHECK(text(setting(2).key_span) == "hs");
  CHECK(text(setting(2).number_span) == "2017");
  CHECK(setting(3).names == std::vector<std::string>{"GB", "EU"});
  CHECK(setting(4).key == "group");
  CHECK(setting(4).word == "ANDEAN");
  CHECK(setting(4).names == std::vector<std::string>{"CO", "PE"});
  CHECK(setting(5).word == "ex_works");
  CHECK(setting(6).key == "cumulation");
  CHECK(setting(6).word == "full");
  CHECK(setting(6).names == std::vector<std::string>{"GB", "EU"});
  CHECK(setting(7).key == "tolerance");
  CHECK(setting(7).number == "15");
  CHECK(setting(7).word == "weight");
  REQUIRE(setting(7).codes.size() == 2);
  CHECK(setting(7).codes[0].level == "chapters");
  CHECK(setting(7).codes[1].first == "04");
  CHECK(setting(7).codes[1].last == "24");
  CHECK(setting(8).word == "none");
  CHECK(setting(8).codes.size() == 1);
  CHECK(setting(9).key == "tolerance_applies_to");
  CHECK(setting(9).word == "tariff_shift");
  CHECK(setting(10).key == "insufficient");
  REQUIRE(setting(10).expr);
  CHECK(sexpr(*setting(10).expr) == "(. std minimal_operations)");
  CHECK(setting(11).word == "look_through");
  CHECK(setting(12).key == "all_rules_apply");
  CHECK(setting(13).key == "origin_criterion");
  CHECK(setting(13).word == "wholly_obtained");
  CHECK(setting(13).text == "A");
  CHECK(setting(14).key == "sets");
  CHECK(setting(14).number == "15");
  CHECK(setting(14).word == "ex_works");
  CHECK(text(setting(14).span) == "sets 15% of ex_works");
}

TEST_CASE("grammar: definitions, imports and processes") {
  std::string src =
      "import std\n"
      "import std.textiles\n"
      "process weaving, dyeing\n"
      "criterion maxnom(limit: percent, base: money = price) reports nom\n"
      "  \"the value of {limit} of the {base}\" =\n"
      "  vnm(non_originating) <= limit of base\n"
      "criterion plain = CTH\n"
      "criterion empty() = true\n"
      "let fabric \"fabric formation\" = [weaving]\n"
      "let n = 3\n";
  auto r = roo::parse(src, "d.roo");
  REQUIRE_MESSAGE(r.diagnostics.empty(), all_messages(r));
  REQUIRE(r.file.items.size() == 8);
  CHECK(std::get<ast::Import>(r.file.items[0]).path == "std");
  CHECK(std::get<ast::Import>(r.file.items[1]).path == "std.textiles");
  const auto& proc = std::get<ast::ProcessDecl>(r.file.items[2]);
  CHECK(proc.names == std::vector<std::string>{"weaving", "dyeing"});
  CHECK(src.substr(proc.name_spans[1].begin, 6) == "dyeing");
  const auto& maxnom = std::get<ast::CriterionDef>(r.file.items[3]);
  CHECK(maxnom.name == "maxnom");
  CHECK(maxnom.has_params);
  REQUIRE(maxnom.params.size() == 2);
  CHECK(maxnom.params[0].name == "limit");
  CHECK(maxnom.params[0].type == "percent");
  CHECK(!maxnom.params[0].default_value);
  CHECK(maxnom.params[1].type == "money");
  REQUIRE(maxnom.params[1].default_value);
  CHECK(sexpr(*maxnom.params[1].default_value) == "price");
  CHECK(maxnom.reports == "nom");
  CHECK(maxnom.wording == "the value of {limit} of the {base}");
  CHECK(sexpr(maxnom.body) == "(<= (call vnm non_originating) (of limit base))");
  const auto& plain = std::get<ast::CriterionDef>(r.file.items[4]);
  CHECK(!plain.has_params);
  CHECK(!plain.wording);
  CHECK(plain.reports.empty());
  CHECK(std::get<ast::CriterionDef>(r.file.items[5]).has_params);
  CHECK(std::get<ast::CriterionDef>(r.file.items[5]).params.empty());
  const auto& fabric = std::get<ast::LetDef>(r.file.items[6]);
  CHECK(fabric.wording == "fabric formation");
  CHECK(sexpr(fabric.value) == "(list weaving)");
  CHECK(sexpr(std::get<ast::LetDef>(r.file.items[7]).value) == "3");
}

TEST_CASE("grammar: comments, CRLF and a byte-order mark") {
  std::string src = "\xEF\xBB\xBF// head\r\nagreement \"t\" { // open\r\n  heading 0101: CTH // rule\r\n  // alone\r\n}\r\n";
  auto r = roo::parse(src, "c.roo");
  const auto& a = agreement_of(r);
  CHECK(a.items.size() == 1);
  REQUIRE(r.file.comments.size() == 4);
  CHECK(src.substr(r.file.comments[0].span.begin, r.file.comments[0].span.end - r.file.comments[0].span.begin) ==
        "// head");
  // "//" in a string is no comment
  auto s = roo::parse("let a = \"x // y\" // z\n", "s.roo");
  REQUIRE(s.diagnostics.empty());
  CHECK(s.file.comments.size() == 1);
  CHECK(sexpr(std::get<ast::LetDef>(s.file.items[0]).value) == "\"x // y\"");
}

// ---- syntax errors: every message of grammar/errors.hpp ----

TEST_CASE("grammar: errors of expressions") {
  CHECK_RULE_ERROR("heading 0101: (  )", 18, "expected an expression");
  CHECK_RULE_ERROR("heading 0101: )", 15, "expected the rule: an expression such as CTH or maxnom(50%)");
  CHECK_RULE_ERROR("heading 0101: (CTH valid", 20, "expected ')'");
  CHECK_RULE_ERROR("heading 0101: [CTH, x valid", 23, "expected ']'");
  CHECK_RULE_ERROR("heading 0101: product. )", 24, "expected a member name after '.'");
  CHECK_RULE_ERROR("heading 0101: f(headings 7208..x)", 32, "expected the HS code that ends the range after '..'");
  CHECK_RULE_ERROR("heading 0101: \"abc", 19, "unterminated string: expected '\"' before the end of the line");
  CHECK_RULE_ERROR("heading 0101: materials of )", 28, "expected HS codes or a value after 'of'");
  CHECK_RULE_ERROR("heading 0101: CTH except )", 26, "expected HS codes or materials after 'except'");
  CHECK_RULE_ERROR("heading 0101: materials where )", 31,
                   "expected a condition after 'where' (parenthesise a compound one)");
  CHECK_RULE_ERROR("heading 0101: maxnom(2 * )", 26, "expected an operand after '*'");
  CHECK_RULE_ERROR("heading 0101: maxnom(2 + )", 26, "expected an operand after '+' or '-'");
  CHECK_RULE_ERROR("heading 0101: maxnom(2 - )", 26, "expected an operand after '+' or '-'");
  CHECK_RULE_ERROR("heading 0101: vnm(materials) <= )", 33, "expected a value to compare with");
  CHECK_RULE_ERROR("heading 0101: product.hs in )", 29, "expected HS codes or a set after 'in'");
  CHECK_RULE_ERROR("heading 0101: product.hs not in )", 33, "expected HS codes or a set after 'in'");
  CHECK_RULE_ERROR("heading 0101: not )", 19, "expected a condition");
  CHECK_RULE_ERROR("heading 0101: CTH and )", 23, "expected a condition");
  CHECK_RULE_ERROR("heading 0101: CTH or )", 22, "expected an alternative after 'or'");
  CHECK_RULE_ERROR("heading 0101: every )", 21,
                   "expected a name for the material, as in 'every m in non_originating: ...'");
  CHECK_RULE_ERROR("heading 0101: some m of materials: m.originating", 22, "expected 'in' after the quantifier's name");
  CHECK_RULE_ERROR("heading 0101: no m in : m.originating", 23, "expected the set of materials to range over");
  CHECK_RULE_ERROR("heading 0101: every m in materials m.originating", 36,
                   "expected ':' before the quantifier's condition");
  CHECK_RULE_ERROR("heading 0101: every m in materials: )", 37, "expected an expression");
  CHECK_RULE_ERROR("heading 0101: maxnom(50%, )", 27, "expected an argument");
}

TEST_CASE("grammar: errors of definitions") {
  CHECK_ERROR(first_error("criterion c(x: number, ) = x"), 1, 24, "expected a parameter as 'name: type'");
  CHECK_ERROR(first_error("criterion c(x) = x"), 1, 14, "expected ':' and a type after the parameter name");
  CHECK_ERROR(first_error("criterion c(x: ) = x"), 1, 16,
              "expected a type (bool, number, percent, money, weight, codes, materials, material, processes, "
              "process, level, text)");
  CHECK_ERROR(first_error("criterion c(x: number = ) = x"), 1, 25, "expected an expression");
  CHECK_ERROR(first_error("criterion c reports = true"), 1, 21, "expected 'nom' or 'rvc' after 'reports'");
  CHECK_ERROR(first_error("criterion = true"), 1, 11, "expected a name");
  CHECK_ERROR(first_error("let and = 1"), 1, 5, "expected a name");
  CHECK_ERROR(first_error("let a 1"), 1, 7, "expected '=' and the definition");
  CHECK_ERROR(first_error("criterion c \"wording\" true"), 1, 23, "expected '=' and the definition");
  CHECK_ERROR(first_error("criterion c = )"), 1, 15, "expected an expression");
  CHECK_ERROR(first_error("process weaving, )"), 1, 18, "expected a process name");
  CHECK_ERROR(first_error("process )"), 1, 9, "expected a process name");
  CHECK_ERROR(first_error("import 7"), 1, 8, "expected a module name, such as 'std'");
}

TEST_CASE("grammar: errors of rules") {
  CHECK_RULE_ERROR("heading 0101 where : CTH", 20, "expected a condition on the product after 'where'");
  CHECK_RULE_ERROR("heading 0101 CTH", 14, "expected ':' after the rule's scope");
  CHECK_RULE_ERROR("ex heading 0101 \"d\" CTH", 21, "expected ':' after the rule's scope");
  // A token that fails part way is reported where it stops matching.
  CHECK_RULE_ERROR("heading 0101: CTH valid until 2026-13", 38, "expected a date as YYYY-MM-DD");
  CHECK_RULE_ERROR("heading 0101: CTH valid from 2026-01-01 until 26", 49, "expected a date as YYYY-MM-DD");
  CHECK_RULE_ERROR("heading 0101: CTH valid until x", 31, "expected a date as YYYY-MM-DD");
  CHECK_RULE_ERROR("heading 0101: CTH valid )", 25, "expected 'from DATE' or 'until DATE' after 'valid'");
  CHECK_RULE_ERROR("heading 0101: CTH cite )", 24, "expected a string");
  CHECK_RULE_ERROR("heading 0101: CTH note 1", 24, "expected a string");
  CHECK_RULE_ERROR("heading 0101: CTH to GB, )", 26, "expected a country code or group name");
  CHECK_RULE_ERROR("heading 0101: CTH to )", 22, "expected a list of country codes or group names");
}

TEST_CASE("grammar: errors of settings") {
  CHECK_RULE_ERROR("parties GB, 7", 13, "expected a country code or group name");
  CHECK_RULE_ERROR("parties )", 9, "expected a list of country codes or group names");
  CHECK_RULE_ERROR("title )", 7, "expected a string");
  CHECK_RULE_ERROR("citation 1", 10, "expected a string");
  CHECK_RULE_ERROR("origin_criterion psr 1", 22, "expected a string");
  CHECK_RULE_ERROR("hs x", 4, "expected a year, such as 2017");
  CHECK_RULE_ERROR("basis )", 7, "expected a name");
  CHECK_RULE_ERROR("group )", 7, "expected a name");
  CHECK_RULE_ERROR("group ANDEAN CO, PE", 14, "expected '=' after the group name");
  CHECK_RULE_ERROR("sets 10", 8, "expected a percentage, such as 15%");
  CHECK_RULE_ERROR("sets 10% for ex_works", 10,
                   "expected 'of' and a base (a value base such as ex_works, or weight)");
  CHECK_RULE_ERROR("tolerance 10% ex_works", 15,
                   "expected 'of' and a base (a value base such as ex_works, or weight)");
  CHECK_RULE_ERROR("tolerance 10", 13, "expected a percentage of a base (10% of ex_works) or 'none'");
  CHECK_RULE_ERROR("tolerance none for )", 20, "expected the chapters the tolerance is for");
  CHECK_RULE_ERROR("cumulation full with )", 22, "expected a list of country codes or group names");
  CHECK_RULE_ERROR("insufficient )", 14, "expected an expression");
  CHECK_RULE_ERROR("explained )", 11, "expected the HS codes the explanation is about");
  CHECK_RULE_ERROR("explained 0101, 0102 )", 22, "expected a string");
  CHECK_RULE_ERROR("kind )", 6, "expected a name");
  CHECK_RULE_ERROR("residual 1", 10, "expected a name");
}

TEST_CASE("grammar: the explained, kind and residual settings") {
  std::string src =
      "agreement \"t\" {\n"
      "  kind non_preferential\n"
      "  residual major_portion_of_value\n"
      "  explained headings 0101..0103, 0105 \"why\"\n"
      "}\n";
  auto parsed = roo::parse(src, "k.roo");
  const auto& a = agreement_of(parsed);
  REQUIRE(a.items.size() == 3);
  const auto& kind = std::get<ast::Setting>(a.items[0]);
  CHECK(kind.key == "kind");
  CHECK(kind.word == "non_preferential");
  CHECK(std::get<ast::Setting>(a.items[1]).word == "major_portion_of_value");
  const auto& explained = std::get<ast::Setting>(a.items[2]);
  CHECK(explained.key == "explained");
  CHECK(explained.text == "why");
  REQUIRE(explained.codes.size() == 2);
  CHECK(explained.codes[0].level == "headings");
  CHECK(explained.codes[0].last == "0103");
  CHECK(explained.codes[1].first == "0105");
}

TEST_CASE("grammar: errors of agreements and of the item driver") {
  CHECK_ERROR(first_error("agreement )"), 1, 11, "expected the agreement's title as a string");
  CHECK_ERROR(first_error("agreement \"t\" heading"), 1, 15, "expected '{' to open the agreement");
  CHECK_ERROR(first_error("heading 0101: CTH"), 1, 1, "expected 'import', 'include', 'criterion', 'let', 'process', 'agreement' or 'rules'");
  CHECK_ERROR(first_error("agreement \"t\" {\n  x = 1\n}"), 2, 3,
              "expected a setting, a definition or a rule such as 'heading 7302: CTH'");
  CHECK_ERROR(first_error("agreement \"t\" {\n  heading 0101: CTH\n"), 3, 1,
              "the agreement opened at line 1 is not closed: expected '}'");
  CHECK_ERROR(first_error("agreement \"t\" {\n  heading 0101: CTH\nagreement \"u\" {\n}\n"), 3, 1,
              "expected '}' to close the agreement before another block starts");
  CHECK_ERROR(first_error("agreement \"t\" {\n  heading 0101: maxnom(50%\n  heading 0102: CTH\n}\n"), 3, 3,
              "expected ')'");
  // "CTH except" takes "heading 0102" as its codes, and the rule ends before ':'.
  CHECK_ERROR(first_error("agreement \"t\" {\n  heading 0101: CTH except\n  heading 0102: CTH\n}\n"), 3, 15,
              "unexpected ':': the rule before it may be incomplete (its expression ran on into this line)");
  CHECK_ERROR(first_error("let a = \"\xC3\x28\"\n"), 1, 10, "invalid UTF-8 byte sequence; roo files are UTF-8 text");
  CHECK_ERROR(first_error("let a = 1\n\n  \xFF"), 3, 3, "invalid UTF-8 byte sequence; roo files are UTF-8 text");
}

TEST_CASE("grammar: errors are reported item by item, each at its place") {
  std::string src =
      "import std\n"
      "let a 1\n"
      "criterion ok = CTH\n"
      "agreement \"t\" {\n"
      "  heading 0101 CTH\n"
      "  heading 0102: CTH\n"
      "  heading 0103: CTH or\n"
      "  heading 0104: CTH\n"
      "  hs x\n"
      "}\n";
  auto r = roo::parse(src, "m.roo");
  REQUIRE(r.diagnostics.size() == 4);
  CHECK(r.diagnostics[0].line == 2);
  CHECK(r.diagnostics[0].column == 7);
  CHECK(r.diagnostics[1].line == 5);
  CHECK(r.diagnostics[1].column == 16);
  CHECK(r.diagnostics[2].line == 8);  // "CTH or heading 0104" ends before ':'
  CHECK(r.diagnostics[2].column == 15);
  CHECK(r.diagnostics[2].message.substr(0, 14) == "unexpected ':'");
  CHECK(r.diagnostics[3].line == 9);
  CHECK(r.diagnostics[3].column == 6);
  CHECK(r.diagnostics[3].source_line == "  hs x");
  // The good items are kept.
  REQUIRE(r.file.items.size() == 3);
  const auto& a = std::get<ast::Agreement>(r.file.items[2]);
  CHECK(a.items.size() == 2);  // 0102, and 0103 (which took "heading 0104" as an alternative)
}

// ---- limits ----

namespace {

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string in_agreement(const std::string& rule) { return "agreement \"t\" {\n" + rule + "\n}\n"; }

}  // namespace

TEST_CASE("grammar: deep nesting ends in a located error, not a stack overflow") {
  constexpr std::size_t n = 100000;
  const std::string nested = "the expression is nested too deeply; split it with 'let' or 'criterion' definitions";
  SUBCASE("parentheses") {
    auto f = first_error(in_agreement("heading 0101: " + repeat("(", n) + "CTH" + repeat(")", n)));
    CHECK(f.message == nested);
    CHECK(f.line == 2);
    CHECK(f.column > 15);
    CHECK(f.column < 15 + 2 * roo::max_expression_depth);
  }
  SUBCASE("not") {
    auto f = first_error(in_agreement("heading 0101: " + repeat("not ", n) + "CTH"));
    CHECK(f.message == nested);
    CHECK(f.line == 2);
    CHECK(f.column <= 15 + 4 * roo::max_expression_depth);
  }
  SUBCASE("lists") {
    auto f = first_error(in_agreement("heading 0101: f(" + repeat("[", n) + "1" + repeat("]", n) + ")"));
    CHECK(f.message == nested);
    CHECK(f.line == 2);
  }
  SUBCASE("unclosed lists, calls and quantifiers") {
    CHECK(first_error(in_agreement("heading 0101: " + repeat("[", n))).message == nested);
    CHECK(first_error(in_agreement("heading 0101: " + repeat("f(", n))).message == nested);
    CHECK(first_error(in_agreement("heading 0101: " + repeat("every m in materials: ", n) + "true")).message ==
          nested);
    CHECK(first_error("criterion c = " + repeat("(", n)).message == nested);
  }
  SUBCASE("member arguments") {
    auto f = first_error(in_agreement("heading 0101: " + repeat("a.b(", n)));
    CHECK(f.message == nested);
  }
}

TEST_CASE("grammar: long chains end in a located error") {
  constexpr std::size_t n = 100000;
  const std::string tall = "the expression nests more than 256 operations inside one another; split it with 'let' or "
                           "'criterion' definitions";
  SUBCASE("members") {
    auto f = first_error(in_agreement("heading 0101: product" + repeat(".x", n)));
    CHECK(f.message == tall);
    CHECK(f.line == 2);
    // At the member that makes the tree too tall.
    CHECK(f.column == 15 + 7 + 2 * roo::max_expression_height);
  }
  SUBCASE("member calls") {
    CHECK(first_error(in_agreement("heading 0101: product" + repeat(".x()", 1000))).message == tall);
  }
  SUBCASE("except") {
    auto f = first_error(in_agreement("heading 0101: CTH" + repeat(" except 01", 1000)));
    CHECK(f.message == tall);
    CHECK(f.column == 15 + 3 + 10 * roo::max_expression_height);
  }
  SUBCASE("sums, products and where") {
    CHECK(first_error(in_agreement("heading 0101: maxnom(" + repeat("1 + ", 1000) + "1)")).message == tall);
    CHECK(first_error(in_agreement("heading 0101: maxnom(" + repeat("1 * ", 1000) + "1)")).message == tall);
    CHECK(first_error(in_agreement("heading 0101: materials" + repeat(" where x", 1000))).message == tall);
    CHECK(first_error("let a = 1" + repeat(" - 1", 1000)).message == tall);
    CHECK(first_error("criterion c(x: number = 1" + repeat(" + 1", 1000) + ") = true").message == tall);
    CHECK(first_error(in_agreement("insufficient a" + repeat(".b", 1000))).message == tall);
    CHECK(first_error(in_agreement("heading 0101 where a" + repeat(".b", 1000) + ": CTH")).message == tall);
  }
  SUBCASE("a chain just within the limit parses") {
    auto r = roo::parse(in_agreement("heading 0101: product" + repeat(".x", roo::max_expression_height - 1)), "ok.roo");
    CHECK(r.diagnostics.empty());
  }
  SUBCASE("the parse goes on after the error") {
    auto r = roo::parse(in_agreement("heading 0101: product" + repeat(".x", n) + "\nheading 0102: CTH"), "go.roo");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(std::get<ast::Agreement>(r.file.items[0]).items.size() == 1);
  }
}

TEST_CASE("grammar: long items and many errors are cut short") {
  SUBCASE("one rule of a million alternatives") {
    auto f = first_error(in_agreement("heading 0101: CTH" + repeat(" or CTH", 1000000)));
    CHECK(f.message == "this item has more than 100000 operands and codes; split it into several");
    CHECK(f.line == 2);
    CHECK(f.column > 15 + 7 * (roo::max_item_units - 10));
    CHECK(f.column <= 15 + 7 * roo::max_item_units);
  }
  SUBCASE("one scope of a million codes") {
    auto f = first_error(in_agreement("heading 0101" + repeat(", 0101", 1000000) + ": CTH"));
    CHECK(f.message == "this item has more than 100000 operands and codes; split it into several");
  }
  SUBCASE("a file with an error on every line") {
    std::string src = "agreement \"t\" {\n" + repeat("  heading 0101 CTH\n", 200000) + "}\n";
    auto r = roo::parse(src, "many.roo");
    REQUIRE(r.diagnostics.size() == roo::max_syntax_errors + 1);
    CHECK(r.diagnostics[999].line == 1001);
    CHECK(r.diagnostics.back().message == "too many syntax errors: the parse stops after 1000");
    CHECK(r.diagnostics.back().line == 1002);
  }
  SUBCASE("a file of rules near the size limit, each with an error, and a long line") {
    std::string src = "agreement \"t\" {\n" + repeat("  heading 0101: CTH except\n", 300000) + "  heading 0101: " +
                      repeat("x", 1000) + "\n";
    REQUIRE(src.size() > 7000000);
    REQUIRE(src.size() <= roo::max_source_bytes);
    auto r = roo::parse(src, "big.roo");
    REQUIRE(r.diagnostics.size() == roo::max_syntax_errors + 1);
  }
  SUBCASE("a comment, string and line of nearly the size limit") {
    std::string big(roo::max_source_bytes - 100, 'x');
    CHECK(roo::parse("// " + big + "\n", "c.roo").diagnostics.empty());
    auto s = roo::parse("let a = \"" + big + "\"\n", "s.roo");
    CHECK(s.diagnostics.empty());
    auto e = roo::parse("let a = 1 " + big + "\n", "l.roo");
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].column == 11);
    // The excerpt of a long line is a window, not the whole line.
    CHECK(e.diagnostics[0].source_line.size() < 1000);
  }
  SUBCASE("a file over the size limit") {
    std::string src(roo::max_source_bytes + 1, ' ');
    auto r = roo::parse(src, "huge.roo");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message.find("at most") != std::string::npos);
  }
}
