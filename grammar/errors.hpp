// The one table of syntax error messages: the message raised when a `must<>`
// in grammar.hpp fails. A rule under `must<>` without a message here is a
// compile error.
#pragma once

#include "grammar/grammar.hpp"

namespace roo::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr auto error_message<expr> = "expected an expression";
template <> inline constexpr auto error_message<rule_body> = "expected the rule: an expression such as CTH or maxnom(50%)";
template <> inline constexpr auto error_message<close_paren> = "expected ')'";
template <> inline constexpr auto error_message<close_bracket> = "expected ']'";
template <> inline constexpr auto error_message<member_name> = "expected a member name after '.'";
template <> inline constexpr auto error_message<range_end> = "expected the HS code that ends the range after '..'";
template <> inline constexpr auto error_message<string_close> = "unterminated string: expected '\"' before the end of the line";
template <> inline constexpr auto error_message<of_operand> = "expected HS codes or a value after 'of'";
template <> inline constexpr auto error_message<except_rhs> = "expected HS codes or materials after 'except'";
template <> inline constexpr auto error_message<where_operand> = "expected a condition after 'where' (parenthesise a compound one)";
template <> inline constexpr auto error_message<include_path> = "expected the file to include, as a string: include \"textiles.roo\"";
template <> inline constexpr auto error_message<of_expr> = "expected an operand after '*'";
template <> inline constexpr auto error_message<mul_expr> = "expected an operand after '+' or '-'";
template <> inline constexpr auto error_message<cmp_rhs> = "expected a value to compare with";
template <> inline constexpr auto error_message<in_rhs> = "expected HS codes or a set after 'in'";
template <> inline constexpr auto error_message<not_expr> = "expected a condition";
template <> inline constexpr auto error_message<and_expr> = "expected an alternative after 'or'";
template <> inline constexpr auto error_message<quantifier_var> = "expected a name for the material, as in 'every m in non_originating: ...'";
template <> inline constexpr auto error_message<quantifier_in> = "expected 'in' after the quantifier's name";
template <> inline constexpr auto error_message<quantifier_set> = "expected the set of materials to range over";
template <> inline constexpr auto error_message<quantifier_colon> = "expected ':' before the quantifier's condition";
template <> inline constexpr auto error_message<arg> = "expected an argument";
template <> inline constexpr auto error_message<param> = "expected a parameter as 'name: type'";
template <> inline constexpr auto error_message<param_colon> = "expected ':' and a type after the parameter name";
template <> inline constexpr auto error_message<type_name> = "expected a type (bool, number, percent, money, weight, codes, materials, material, processes, process, level, text)";
template <> inline constexpr auto error_message<reports_word> = "expected 'nom' or 'rvc' after 'reports'";
template <> inline constexpr auto error_message<definition_name> = "expected a name";
template <> inline constexpr auto error_message<equals> = "expected '=' and the definition";
template <> inline constexpr auto error_message<process_name> = "expected a process name";
template <> inline constexpr auto error_message<import_path> = "expected a module name, such as 'std'";
template <> inline constexpr auto error_message<scope_condition_expr> = "expected a condition on the product after 'where'";
template <> inline constexpr auto error_message<rule_colon> = "expected ':' after the rule's scope";
template <> inline constexpr auto error_message<date_lit> = "expected a date as YYYY-MM-DD";
template <> inline constexpr auto error_message<valid_window> = "expected 'from DATE' or 'until DATE' after 'valid'";
template <> inline constexpr auto error_message<meta_text> = "expected a string";
template <> inline constexpr auto error_message<country> = "expected a country code or group name";
template <> inline constexpr auto error_message<country_list> = "expected a list of country codes or group names";
template <> inline constexpr auto error_message<s_text> = "expected a string";
template <> inline constexpr auto error_message<s_number> = "expected a year, such as 2017";
template <> inline constexpr auto error_message<s_word> = "expected a name";
template <> inline constexpr auto error_message<s_equals> = "expected '=' after the group name";
template <> inline constexpr auto error_message<s_percent> = "expected a percentage, such as 15%";
template <> inline constexpr auto error_message<of_word> = "expected 'of' and a base (a value base such as ex_works, or weight)";
template <> inline constexpr auto error_message<tolerance_value> = "expected a percentage of a base (10% of ex_works) or 'none'";
template <> inline constexpr auto error_message<explained_codes> = "expected the HS codes the explanation is about";
template <> inline constexpr auto error_message<tolerance_codes> = "expected the chapters the tolerance is for";
template <> inline constexpr auto error_message<agreement_title> = "expected the agreement's title as a string";
template <> inline constexpr auto error_message<open_brace> = "expected '{' to open the agreement";
// clang-format on

// The control class: like PEGTL's normal control, except that a failed
// `must<Rule>` raises the message of Rule from the table above. raise() is
// only instantiated for rules under `must<>`, so the static_assert makes a
// missing message a compile error without affecting rules that may fail
// quietly (under opt<>, sor<> or star<>).
template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
  template <typename ParseInput, typename... States>
  [[noreturn]] static void raise(const ParseInput& in, States&&...) {
    static_assert(error_message<Rule> != nullptr, "a rule under must<> needs a message in grammar/errors.hpp");
    throw tao::pegtl::parse_error(error_message<Rule>, in);
  }
};

}  // namespace roo::grammar
