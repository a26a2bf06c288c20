// The PEGTL grammar of roo (see docs/language.md). Only grammar/ includes PEGTL.
//
// Layers: lexical tokens, code lists, expressions, definitions, rules and
// settings. The parser (parser.cpp) drives the top level item by item, so that
// a syntax error in one item is reported and parsing resumes at the next one.
// Once a keyword has committed to a construct, `must<>` turns a failure into
// an error whose message comes from errors.hpp.
#pragma once

#include <tao/pegtl.hpp>

namespace roo::grammar {

namespace pegtl = tao::pegtl;
using namespace tao::pegtl;

// ---- lexical ---------------------------------------------------------------

// A comment runs from "//" to the end of the line.
struct comment : seq<two<'/'>, until<at<eolf>>> {};
// Whitespace and comments between tokens.
struct ws : star<sor<plus<space>, comment>> {};

struct kw_import : TAO_PEGTL_KEYWORD("import") {};
struct kw_agreement : TAO_PEGTL_KEYWORD("agreement") {};
struct kw_criterion : TAO_PEGTL_KEYWORD("criterion") {};
struct kw_let : TAO_PEGTL_KEYWORD("let") {};
struct kw_process : TAO_PEGTL_KEYWORD("process") {};
struct kw_reports : TAO_PEGTL_KEYWORD("reports") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_every : TAO_PEGTL_KEYWORD("every") {};
struct kw_some : TAO_PEGTL_KEYWORD("some") {};
struct kw_no : TAO_PEGTL_KEYWORD("no") {};
struct kw_of : TAO_PEGTL_KEYWORD("of") {};
struct kw_except : TAO_PEGTL_KEYWORD("except") {};
struct kw_where : TAO_PEGTL_KEYWORD("where") {};
struct kw_it : TAO_PEGTL_KEYWORD("it") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_ex : TAO_PEGTL_KEYWORD("ex") {};
struct kw_valid : TAO_PEGTL_KEYWORD("valid") {};
struct kw_from : TAO_PEGTL_KEYWORD("from") {};
struct kw_until : TAO_PEGTL_KEYWORD("until") {};
struct kw_cite : TAO_PEGTL_KEYWORD("cite") {};
struct kw_note : TAO_PEGTL_KEYWORD("note") {};
struct kw_to : TAO_PEGTL_KEYWORD("to") {};
struct kw_quota : TAO_PEGTL_KEYWORD("quota") {};
struct kw_chapter : TAO_PEGTL_KEYWORD("chapter") {};
struct kw_chapters : TAO_PEGTL_KEYWORD("chapters") {};
struct kw_heading : TAO_PEGTL_KEYWORD("heading") {};
struct kw_headings : TAO_PEGTL_KEYWORD("headings") {};
struct kw_subheading : TAO_PEGTL_KEYWORD("subheading") {};
struct kw_subheadings : TAO_PEGTL_KEYWORD("subheadings") {};

struct keyword
    : sor<kw_import, kw_agreement, kw_criterion, kw_let, kw_process, kw_reports, kw_and, kw_or, kw_not, kw_in,
          kw_every, kw_some, kw_no, kw_of, kw_except, kw_where, kw_it, kw_true, kw_false, kw_ex, kw_valid, kw_from,
          kw_until, kw_cite, kw_note, kw_to, kw_quota, kw_chapters, kw_chapter, kw_headings, kw_heading,
          kw_subheadings, kw_subheading> {};

// A name: an identifier that is not a keyword.
struct name : seq<not_at<keyword>, identifier> {};
// Parameter and argument names may be keywords ("except").
struct param_name : identifier {};

struct digits : plus<digit> {};
struct number : seq<digits, opt<one<'.'>, digits>> {};
struct percent : seq<number, one<'%'>> {};

struct string_char : sor<seq<one<'\\'>, one<'"', '\\'>>, not_one<'"', '\\', '\r', '\n'>> {};
struct string_body : star<string_char> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, string_body, must<string_close>> {};

struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>> {};

struct comma : seq<ws, one<','>, ws> {};

// ---- HS code lists -----------------------------------------------------------

// A code is not followed by '%' or a letter, so that "1701, 20%" ends the list at 1701.
struct code : seq<digits, star<one<'.'>, digits>, not_at<sor<one<'%'>, identifier_other>>> {};
struct range_dots : two<'.'> {};
struct range_end : code {};
struct code_range : seq<code, opt<ws, range_dots, ws, must<range_end>>> {};
struct level_word : sor<kw_chapters, kw_chapter, kw_headings, kw_heading, kw_subheadings, kw_subheading> {};
struct code_group : seq<opt<level_word, ws>, code_range> {};
struct code_list : seq<code_group, star<comma, code_group>> {};

// ---- expressions -----------------------------------------------------------

struct expr;
struct or_expr;

struct close_paren : one<')'> {};
struct close_bracket : one<']'> {};

struct paren : seq<one<'('>, ws, must<expr>, ws, must<close_paren>> {};
struct code_literal : seq<level_word, ws, code_list> {};
struct code_list_literal : seq<at<digit>, code_list, ws, at<one<']'>>> {};
struct list_literal
    : seq<one<'['>, ws, sor<code_list_literal, opt<expr, star<comma, must<expr>>>>, ws, must<close_bracket>> {};
struct arg_name : seq<param_name, ws, one<':'>> {};
struct arg : seq<opt<arg_name, ws>, expr> {};
struct call_args : seq<one<'('>, ws, opt<arg, star<comma, must<arg>>>, ws, must<close_paren>> {};
struct callee : name {};
struct call : seq<callee, at<one<'('>>, call_args> {};
struct level_name : level_word {};
struct boolean : sor<kw_true, kw_false> {};
struct it_ref : kw_it {};
struct name_ref : name {};
struct primary
    : sor<percent, number, string_lit, boolean, it_ref, code_literal, level_name, list_literal, paren, call, name_ref> {};

struct member_name : identifier {};
struct member : seq<one<'.'>, not_at<one<'.'>>, ws, must<member_name>, opt<call_args>> {};
struct postfix : seq<primary, star<ws, member>> {};

struct codes_rhs : code_list {};
struct of_operand : sor<codes_rhs, postfix> {};
struct of_suffix : seq<kw_of, ws, must<of_operand>> {};
struct where_operand : postfix {};
struct where_suffix : seq<kw_where, ws, must<where_operand>> {};
// The right side of `except` takes its own `of`/`where` chain, so that
// `CTH except materials where it.is("x")` excludes the filtered materials.
struct except_operand : seq<postfix, star<ws, sor<of_suffix, where_suffix>>> {};
struct except_rhs : sor<codes_rhs, except_operand> {};
struct except_suffix : seq<kw_except, ws, must<except_rhs>> {};
struct of_expr : seq<postfix, star<ws, sor<of_suffix, except_suffix, where_suffix>>> {};

struct mul_op : one<'*'> {};
struct mul_expr : seq<of_expr, star<ws, mul_op, ws, must<of_expr>>> {};
struct add_op : one<'+', '-'> {};
struct add_expr : seq<mul_expr, star<ws, add_op, ws, must<mul_expr>>> {};

struct cmp_op : sor<string<'<', '='>, string<'>', '='>, string<'=', '='>, string<'!', '='>, one<'<'>, one<'>'>> {};
struct cmp_rhs : add_expr {};
struct not_in_op : seq<kw_not, ws, kw_in> {};
struct in_op : kw_in {};
struct in_rhs : sor<codes_rhs, add_expr> {};
struct cmp_expr
    : seq<add_expr, opt<ws, sor<seq<cmp_op, ws, must<cmp_rhs>>, seq<sor<not_in_op, in_op>, ws, must<in_rhs>>>>> {};

struct not_expr;
struct not_op : seq<kw_not, ws, must<not_expr>> {};
struct not_expr : sor<not_op, cmp_expr> {};
struct and_expr : seq<not_expr, star<ws, kw_and, ws, must<not_expr>>> {};
struct or_expr : seq<and_expr, star<ws, kw_or, ws, must<and_expr>>> {};

struct quantifier_word : sor<kw_every, kw_some, kw_no> {};
struct quantifier_var : name {};
struct quantifier_colon : one<':'> {};
struct quantifier_in : kw_in {};
struct quantifier_set : or_expr {};
struct quantifier
    : seq<quantifier_word, ws, must<quantifier_var>, ws, must<quantifier_in>, ws, must<quantifier_set>, ws,
          must<quantifier_colon>, ws, must<expr>> {};

struct expr : sor<quantifier, or_expr> {};

// ---- definitions -------------------------------------------------------------

struct type_name : identifier {};
struct param_colon : one<':'> {};
struct param_default : seq<one<'='>, ws, must<expr>> {};
struct param : seq<param_name, ws, must<param_colon>, ws, must<type_name>, opt<ws, param_default>> {};
struct params : seq<one<'('>, ws, opt<param, star<comma, must<param>>>, ws, must<close_paren>> {};
struct reports_word : name {};
struct reports : seq<kw_reports, ws, must<reports_word>> {};
struct wording : string_lit {};
struct equals : one<'='> {};
struct definition_name : name {};
struct criterion_def
    : seq<kw_criterion, ws, must<definition_name>, opt<params>, ws, opt<reports, ws>, opt<wording, ws>, must<equals>, ws,
          must<expr>> {};
struct let_def : seq<kw_let, ws, must<definition_name>, ws, opt<wording, ws>, must<equals>, ws, must<expr>> {};
struct process_name : name {};
struct process_decl : seq<kw_process, ws, must<process_name>, star<comma, must<process_name>>> {};
struct import_path : seq<name, star<one<'.'>, name>> {};
struct import_decl : seq<kw_import, ws, must<import_path>> {};

// ---- rules -------------------------------------------------------------------

struct ex_mark : kw_ex {};
struct scope_description : string_lit {};
struct scope_condition_expr : or_expr {};
struct scope_condition : seq<kw_where, ws, must<scope_condition_expr>> {};
struct scope : seq<opt<ex_mark, ws>, code_list, ws, opt<scope_description, ws>, opt<scope_condition, ws>> {};
struct rule_colon : one<':'> {};
struct rule_body : expr {};
struct valid_from : seq<kw_from, ws, must<date_lit>> {};
struct valid_until : seq<kw_until, ws, must<date_lit>> {};
struct valid_window : sor<seq<valid_from, opt<ws, valid_until>>, valid_until> {};
struct meta_valid : seq<kw_valid, ws, must<valid_window>> {};
struct meta_text : string_lit {};
struct meta_cite : seq<kw_cite, ws, must<meta_text>> {};
struct meta_note : seq<kw_note, ws, must<meta_text>> {};
struct country : name {};
struct country_list : seq<country, star<comma, must<country>>> {};
struct meta_to : seq<kw_to, ws, must<country_list>> {};
struct meta_quota : kw_quota {};
struct rule_meta : sor<meta_valid, meta_cite, meta_note, meta_to, meta_quota> {};
struct rule_stmt : seq<scope, must<rule_colon>, ws, must<rule_body>, star<ws, rule_meta>> {};

// ---- agreement settings ------------------------------------------------------

template <typename Key>
struct setting_key : seq<Key, not_at<identifier_other>> {};

struct s_word : name {};
struct s_text : string_lit {};
struct s_number : number {};
struct s_percent : percent {};
struct s_none : TAO_PEGTL_KEYWORD("none") {};
struct s_with : TAO_PEGTL_KEYWORD("with") {};
struct s_for : TAO_PEGTL_KEYWORD("for") {};
struct s_equals : one<'='> {};

struct set_title : seq<TAO_PEGTL_KEYWORD("title"), ws, must<s_text>> {};
struct set_citation : seq<TAO_PEGTL_KEYWORD("citation"), ws, must<s_text>> {};
struct set_hs : seq<TAO_PEGTL_KEYWORD("hs"), ws, must<s_number>> {};
struct set_parties : seq<TAO_PEGTL_KEYWORD("parties"), ws, must<country_list>> {};
struct set_group : seq<TAO_PEGTL_KEYWORD("group"), ws, must<s_word>, ws, must<s_equals>, ws, must<country_list>> {};
struct set_basis : seq<TAO_PEGTL_KEYWORD("basis"), ws, must<s_word>> {};
struct set_cumulation
    : seq<TAO_PEGTL_KEYWORD("cumulation"), ws, must<s_word>, opt<ws, s_with, ws, must<country_list>>> {};
struct of_word : kw_of {};
struct tolerance_amount : seq<s_percent, ws, must<of_word>, ws, must<s_word>> {};
struct tolerance_value : sor<s_none, tolerance_amount> {};
struct tolerance_codes : code_list {};
struct set_tolerance
    : seq<TAO_PEGTL_KEYWORD("tolerance"), ws, must<tolerance_value>, opt<ws, s_for, ws, must<tolerance_codes>>> {};
struct set_tolerance_applies_to : seq<TAO_PEGTL_KEYWORD("tolerance_applies_to"), ws, must<s_word>> {};
struct set_insufficient : seq<TAO_PEGTL_KEYWORD("insufficient"), ws, must<expr>> {};
struct set_roll_up : seq<TAO_PEGTL_KEYWORD("roll_up"), ws, must<s_word>> {};
struct set_all_rules_apply : TAO_PEGTL_KEYWORD("all_rules_apply") {};
struct set_origin_criterion : seq<TAO_PEGTL_KEYWORD("origin_criterion"), ws, must<s_word>, ws, must<s_text>> {};
struct explained_codes : code_list {};
struct set_explained
    : seq<TAO_PEGTL_KEYWORD("explained"), ws, must<explained_codes>, ws, must<s_text>> {};
struct set_kind : seq<TAO_PEGTL_KEYWORD("kind"), ws, must<s_word>> {};
struct set_residual : seq<TAO_PEGTL_KEYWORD("residual"), ws, must<s_word>> {};
struct set_sets : seq<TAO_PEGTL_KEYWORD("sets"), ws, must<s_percent>, ws, must<of_word>, ws, must<s_word>> {};

struct setting
    : sor<set_title, set_citation, set_hs, set_parties, set_group, set_basis, set_cumulation,
          set_tolerance_applies_to, set_tolerance, set_insufficient, set_roll_up, set_all_rules_apply,
          set_origin_criterion, set_sets, set_kind, set_residual, set_explained> {};

// ---- items -----------------------------------------------------------------

struct agreement_title : string_lit {};
struct open_brace : one<'{'> {};
struct agreement_head : seq<kw_agreement, ws, must<agreement_title>, ws, must<open_brace>> {};

// `rules {`: the body of an included file, without title or settings.
struct rules_head : seq<TAO_PEGTL_KEYWORD("rules"), ws, must<open_brace>> {};

struct include_path : string_lit {};
struct include_decl : seq<TAO_PEGTL_KEYWORD("include"), ws, must<include_path>> {};

struct agreement_item : sor<criterion_def, let_def, setting, rule_stmt> {};
struct top_item : sor<import_decl, include_decl, criterion_def, let_def, process_decl> {};

}  // namespace roo::grammar
