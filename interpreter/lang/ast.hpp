// The syntax tree of a roo file, as the parser builds it and as `roo fmt`
// prints it back. It keeps what the author wrote (code texts, number texts,
// names) and the byte span of every node; meaning (resolved names, types,
// parsed HS codes) is added by the checker in a separate structure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace roo::ast {

// A byte range in one source file, end exclusive.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// One element of a code list: a code or a range, optionally after a level
// word ("headings 7208..7217"). Texts are kept as written; the checker parses
// them.
struct CodeItem {
  std::string level;  // "", "chapter", "chapters", "heading", "headings", "subheading", "subheadings"
  std::string first;
  std::string last;   // empty unless a range
  Span span;
  Span first_span;
  Span last_span;
};

enum class ExprKind : std::uint8_t {
  number,      // text: "12.5"
  percent,     // text: "50" (without the %)
  string,      // text: the decoded string
  boolean,     // text: "true" / "false"
  codes,       // codes: a code list literal ("heading 7208", "[7208..7217, 7219]")
  list,        // args: elements ("[bleaching, mercerising]")
  name,        // text: the name
  it,          // the element in a `where` filter
  member,      // args[0]: object; text: member name; args[1..]: call arguments (call_parens says whether called)
  call,        // text: callee name; args; arg_names
  not_,        // args[0]
  and_,        // args: two or more operands
  or_,         // args: two or more operands
  compare,     // text: "<=", "<", ">=", ">", "==", "!="; args[0], args[1]
  in,          // args[0] in args[1]
  not_in,      // args[0] not in args[1]
  add,         // args[0] + args[1]
  sub,         // args[0] - args[1]
  mul,         // args[0] * args[1]
  of,          // args[0] of args[1]
  except_,     // args[0] except args[1]
  where,       // args[0] where args[1]
  quantifier,  // text: "every" / "some" / "no"; var; args[0]: set; args[1]: body
};

struct Expr {
  ExprKind kind = ExprKind::name;
  Span span;
  std::string text;
  std::string var;
  Span var_span;
  std::vector<CodeItem> codes;
  std::vector<Expr> args;
  std::vector<std::string> arg_names;  // call / member call: "" for positional arguments
  bool call_parens = false;            // member written with an argument list
};

struct Param {
  std::string name;
  std::string type;
  std::optional<Expr> default_value;
  Span span;
  Span name_span;
  Span type_span;
};

struct CriterionDef {
  std::string name;
  Span name_span;
  bool has_params = false;  // written with a parameter list (possibly empty)
  std::vector<Param> params;
  std::string reports;  // "", "nom", "rvc"
  Span reports_span;
  std::optional<std::string> wording;
  Expr body;
  Span span;
};

struct LetDef {
  std::string name;
  Span name_span;
  std::optional<std::string> wording;  // how the value reads in legal English
  Expr value;
  Span span;
};

struct ProcessDecl {
  std::vector<std::string> names;
  std::vector<Span> name_spans;
  Span span;
};

struct Import {
  std::string path;  // "std", "std.textiles"
  Span span;
};

// `include "textiles.roo"`: another file of the same agreement, relative to
// the including file's folder.
struct Include {
  std::string path;
  Span span;
  Span path_span;
};

struct Scope {
  bool ex = false;
  std::vector<CodeItem> codes;
  std::optional<std::string> description;
  std::optional<Expr> condition;  // `where`
  Span span;
};

struct Rule {
  Scope scope;
  Expr body;
  std::optional<std::string> valid_from;  // "YYYY-MM-DD"
  std::optional<std::string> valid_until;
  Span valid_from_span;
  Span valid_until_span;
  std::optional<std::string> cite;
  std::optional<std::string> note;
  std::vector<std::string> to;  // importing parties this rule is for
  std::vector<Span> to_spans;
  bool quota = false;
  Span span;
};

// An agreement setting. `key` says which; the other fields hold its words:
//   title/citation STRING            -> text
//   hs YEAR                          -> number
//   parties A, B                     -> names
//   group NAME = A, B                -> word = NAME, names
//   basis NAME                       -> word
//   cumulation KIND [with A, B]      -> word = KIND, names
//   tolerance P% of BASE [for CODES] -> number = P, word = BASE, codes
//   tolerance none [for CODES]       -> word = "none", codes
//   tolerance_applies_to KIND        -> word
//   insufficient EXPR                -> expr
//   roll_up KIND                     -> word
//   all_rules_apply                  -> (nothing)
//   origin_criterion NAME "CODE"     -> word = NAME, text = CODE
//   sets P% of BASE                  -> number = P, word = BASE
//   kind preferential|non_preferential -> word
//   residual major_portion_of_value  -> word
//   explained CODES "why"            -> codes, text (a nomenclature difference, for roo lint)
struct Setting {
  std::string key;
  Span key_span;
  std::string word;
  Span word_span;
  std::string text;
  std::string number;
  Span number_span;
  std::vector<std::string> names;
  std::vector<Span> name_spans;
  std::vector<CodeItem> codes;
  std::optional<Expr> expr;
  Span span;
};

using AgreementItem = std::variant<Setting, CriterionDef, LetDef, Rule>;

// `agreement "TITLE" { ... }`, or, when `part` is set, `rules { ... }`: the
// rules and definitions an included file adds to the agreement that includes
// it (no title, no settings).
struct Agreement {
  std::string title;
  std::vector<AgreementItem> items;
  Span span;
  Span title_span;
  bool part = false;
};

using Item = std::variant<Import, Include, CriterionDef, LetDef, ProcessDecl, Agreement>;

struct Comment {
  Span span;  // from "//" to the end of the line (without the newline)
};

struct File {
  std::vector<Item> items;
  std::vector<Comment> comments;
};

}  // namespace roo::ast
