// Drives the grammar item by item and turns PEGTL's parse tree into the
// owned syntax tree of interpreter/lang/ast.hpp.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"
#include "grammar/parse.hpp"
#include "interpreter/core/utf8.hpp"

namespace roo {

namespace {

namespace g = grammar;
namespace pt = tao::pegtl::parse_tree;
using Node = pt::node;

// Replaces a node of one child by that child; a node of several keeps its
// content (unlike pt::fold_one), for its span.
struct fold_single : pt::apply<fold_single> {
  template <typename N, typename... States>
  static void transform(std::unique_ptr<N>& n, States&&...) noexcept {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

// Nodes kept in the parse tree; everything else is folded away. The links of
// the operator chains (or_expr down to postfix) are kept only when they hold
// an operator: with a single child they are replaced by it, which the
// converter treats alike, and a long expression takes a fraction of the memory.
template <typename Rule>
using selector = pt::selector<
    Rule,
    fold_single::on<g::or_expr, g::and_expr, g::cmp_expr, g::cmp_rhs, g::add_expr, g::mul_expr, g::of_expr,
                     g::except_operand, g::postfix, g::where_operand, g::quantifier_set, g::scope_condition_expr>,
    pt::store_content::on<
        g::number, g::percent, g::string_lit, g::boolean, g::it_ref, g::code_literal, g::level_name, g::list_literal,
        g::code_list_literal, g::call, g::callee, g::call_args, g::arg, g::arg_name, g::name_ref, g::member,
        g::member_name, g::of_suffix, g::where_suffix, g::except_suffix, g::codes_rhs,
        g::mul_op, g::add_op, g::cmp_op, g::not_in_op, g::in_op,
        g::not_op, g::quantifier, g::quantifier_word, g::quantifier_var, g::code_list,
        g::code_group, g::level_word, g::code, g::range_end, g::type_name, g::param_name, g::param, g::param_default,
        g::params, g::reports_word, g::wording, g::definition_name, g::criterion_def, g::let_def, g::process_name,
        g::process_decl, g::import_path, g::import_decl, g::ex_mark, g::scope_description, g::scope_condition,
        g::scope, g::rule_body, g::valid_from, g::valid_until, g::meta_cite, g::meta_note, g::meta_text, g::meta_to,
        g::meta_quota, g::country, g::rule_stmt, g::set_title, g::set_citation, g::set_hs, g::set_parties,
        g::set_group, g::set_basis, g::set_cumulation, g::set_tolerance, g::set_tolerance_applies_to,
        g::set_insufficient, g::set_roll_up, g::set_all_rules_apply, g::set_origin_criterion, g::set_sets, g::set_kind,
        g::set_residual, g::set_explained, g::explained_codes, g::s_word,
        g::s_text, g::s_number, g::s_percent, g::s_none, g::tolerance_codes, g::agreement_title, g::agreement_head,
        g::rules_head, g::include_path, g::include_decl,
        g::date_lit>>;

// Deep nesting ends in a syntax error instead of exhausting the stack.
template <typename Rule>
struct action : tao::pegtl::nothing<Rule> {};
template <>
struct action<g::expr> : tao::pegtl::limit_depth<max_expression_depth> {};
template <>
struct action<g::not_expr> : tao::pegtl::limit_depth<max_expression_depth> {};
template <>
struct action<g::member> : tao::pegtl::limit_depth<max_expression_depth> {};

// The operands and codes tried in the item being parsed: an item of
// millions of them (one rule of 50 MB) ends in a syntax error instead of a
// parse tree of gigabytes. Reset by parse_one().
thread_local std::size_t item_units = 0;

struct limit_units : tao::pegtl::maybe_nothing {
  template <typename Rule, tao::pegtl::apply_mode A, tao::pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    if (++item_units > max_item_units)
      throw tao::pegtl::parse_error(
          fmt::format("this item has more than {} operands and codes; split it into several", max_item_units), in);
    return tao::pegtl::match<Rule, A, M, Action, Control>(in, st...);
  }
};
template <>
struct action<g::primary> : limit_units {};
template <>
struct action<g::code_group> : limit_units {};

// Raised by the converter for an expression tree taller than
// max_expression_height; `offset` is where its first too-deep node ends.
struct TooDeep {
  std::size_t offset;
};

// Frees an expression tree without recursion (a tree built from a long chain
// such as a.x.x.x... is as deep as the chain is long).
void dispose(ast::Expr& root) {
  std::vector<ast::Expr> pending;
  pending.push_back(std::move(root));
  root = ast::Expr{};
  while (!pending.empty()) {
    ast::Expr last = std::move(pending.back());
    pending.pop_back();
    for (auto& a : last.args) pending.push_back(std::move(a));
    last.args.clear();
  }
}

// Where the lowest node taller than max_expression_height ends, or npos. The
// parser's depth limit bounds nesting through parentheses, brackets, calls and
// `not`; chains (a.x.y.z, A except B except C, 1 + 2 + 3) deepen the tree
// without nesting the grammar, so the tree itself is measured, without
// recursion.
std::size_t too_deep_at(const ast::Expr& root) {
  struct Frame {
    const ast::Expr* e;
    std::size_t next;
    std::size_t height;  // of the tallest child so far
  };
  std::vector<Frame> stack{{&root, 0, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next < f.e->args.size()) {
      const ast::Expr* child = &f.e->args[f.next++];
      stack.push_back({child, 0, 0});
      continue;
    }
    std::size_t height = f.height + 1;
    if (height > max_expression_height) return f.e->span.end;
    stack.pop_back();
    if (!stack.empty()) stack.back().height = std::max(stack.back().height, height);
  }
  return std::string_view::npos;
}

class Converter {
public:
  explicit Converter(const char* base) : base_(base) {}

  ast::Span span(const Node& n) const {
    auto sv = n.string_view();
    return ast::Span{static_cast<std::uint32_t>(sv.data() - base_),
                     static_cast<std::uint32_t>(sv.data() - base_ + sv.size())};
  }

  static std::string decode_string(std::string_view quoted) {
    // quoted includes the surrounding quotes; escapes are \" and \\ only.
    std::string out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 2 < quoted.size()) ++i;
      out += quoted[i];
    }
    return out;
  }

  template <typename Rule>
  static const Node* child(const Node& n) {
    for (const auto& c : n.children)
      if (c->is_type<Rule>()) return c.get();
    return nullptr;
  }

  // ---- code lists ----

  std::vector<ast::CodeItem> code_list(const Node& list, std::string first_level = "") {
    std::vector<ast::CodeItem> items;
    for (const auto& group : list.children) {
      ast::CodeItem item;
      item.span = span(*group);
      item.level = first_level;
      first_level.clear();
      for (const auto& c : group->children) {
        if (c->is_type<g::level_word>()) {
          item.level = c->string();
        } else if (c->is_type<g::code>()) {
          item.first = c->string();
          item.first_span = span(*c);
        } else if (c->is_type<g::range_end>()) {
          item.last = c->string();
          item.last_span = span(*c);
        }
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  // ---- expressions ----

  ast::Expr make(ast::ExprKind kind, const Node& n) {
    ast::Expr e;
    e.kind = kind;
    e.span = span(n);
    return e;
  }

  ast::Expr binary(ast::ExprKind kind, ast::Expr lhs, ast::Expr rhs) {
    ast::Expr e;
    e.kind = kind;
    e.span = ast::Span{lhs.span.begin, rhs.span.end};
    e.args.push_back(std::move(lhs));
    e.args.push_back(std::move(rhs));
    return e;
  }

  void call_arguments(const Node& args, ast::Expr& into) {
    for (const auto& a : args.children) {
      std::string arg_name;
      const Node* value = nullptr;
      for (const auto& c : a->children) {
        if (c->is_type<g::arg_name>()) {
          auto text = c->string_view();
          auto colon = text.find(':');
          auto end = text.find_first_of(" \t\r\n:/");
          arg_name = std::string(text.substr(0, std::min(colon, end)));
        } else {
          value = c.get();
        }
      }
      if (!value) continue;
      into.arg_names.push_back(std::move(arg_name));
      into.args.push_back(expr(*value));
    }
  }

  // A postfix-operator chain: [operand, suffix, suffix, ...].
  ast::Expr suffix_chain(const Node& n) {
    ast::Expr e = expr(*n.children.front());
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& s = *n.children[i];
      ast::ExprKind kind = s.is_type<g::of_suffix>()       ? ast::ExprKind::of
                           : s.is_type<g::except_suffix>() ? ast::ExprKind::except_
                                                           : ast::ExprKind::where;
      ast::Expr rhs = expr(*s.children.front());
      ast::Expr combined = binary(kind, std::move(e), std::move(rhs));
      combined.span.end = span(s).end;
      e = std::move(combined);
    }
    return e;
  }

  ast::Expr expr(const Node& n) {
    using K = ast::ExprKind;
    if (n.is_type<g::number>()) {
      ast::Expr e = make(K::number, n);
      e.text = n.string();
      return e;
    }
    if (n.is_type<g::percent>() || n.is_type<g::s_percent>()) {
      ast::Expr e = make(K::percent, n);
      e.text = n.string();
      e.text.pop_back();  // '%'
      return e;
    }
    if (n.is_type<g::string_lit>()) {
      ast::Expr e = make(K::string, n);
      e.text = decode_string(n.string_view());
      return e;
    }
    if (n.is_type<g::boolean>()) {
      ast::Expr e = make(K::boolean, n);
      e.text = n.string();
      return e;
    }
    if (n.is_type<g::it_ref>()) return make(K::it, n);
    if (n.is_type<g::name_ref>() || n.is_type<g::level_name>()) {
      ast::Expr e = make(K::name, n);
      e.text = n.string();
      return e;
    }
    if (n.is_type<g::code_literal>()) {
      ast::Expr e = make(K::codes, n);
      const Node* level = child<g::level_word>(n);
      const Node* list = child<g::code_list>(n);
      if (list) e.codes = code_list(*list, level ? level->string() : "");
      return e;
    }
    if (n.is_type<g::codes_rhs>()) {
      ast::Expr e = make(K::codes, n);
      e.codes = code_list(n);
      return e;
    }
    if (n.is_type<g::list_literal>()) {
      ast::Expr e = make(K::list, n);
      if (const Node* codes = child<g::code_list_literal>(n)) {
        e.kind = K::codes;
        e.codes = code_list(*codes->children.front());
        return e;
      }
      for (const auto& c : n.children) e.args.push_back(expr(*c));
      return e;
    }
    if (n.is_type<g::call>()) {
      ast::Expr e = make(K::call, n);
      e.text = child<g::callee>(n)->string();
      call_arguments(*child<g::call_args>(n), e);
      return e;
    }
    if (n.is_type<g::postfix>() || n.is_type<g::where_operand>()) {
      ast::Expr e = expr(*n.children.front());
      for (std::size_t i = 1; i < n.children.size(); ++i) {
        const Node& m = *n.children[i];
        ast::Expr member;
        member.kind = K::member;
        member.span = ast::Span{e.span.begin, span(m).end};
        member.text = child<g::member_name>(m)->string();
        member.args.push_back(std::move(e));
        member.arg_names.emplace_back();
        if (const Node* args = child<g::call_args>(m)) {
          member.call_parens = true;
          call_arguments(*args, member);
        }
        e = std::move(member);
      }
      return e;
    }
    if (n.is_type<g::of_expr>() || n.is_type<g::except_operand>()) return suffix_chain(n);
    if (n.is_type<g::mul_expr>() || n.is_type<g::add_expr>() || n.is_type<g::cmp_rhs>()) {
      ast::Expr e = expr(*n.children.front());
      for (std::size_t i = 1; i + 1 < n.children.size(); i += 2) {
        std::string op = n.children[i]->string();
        K kind = op == "*" ? K::mul : op == "+" ? K::add : K::sub;
        e = binary(kind, std::move(e), expr(*n.children[i + 1]));
      }
      return e;
    }
    if (n.is_type<g::cmp_expr>()) {
      ast::Expr lhs = expr(*n.children.front());
      if (n.children.size() < 3) return lhs;
      const Node& op = *n.children[1];
      ast::Expr rhs = expr(*n.children[2]);
      if (op.is_type<g::cmp_op>()) {
        ast::Expr e = binary(K::compare, std::move(lhs), std::move(rhs));
        e.text = op.string();
        return e;
      }
      return binary(op.is_type<g::not_in_op>() ? K::not_in : K::in, std::move(lhs), std::move(rhs));
    }
    if (n.is_type<g::not_op>()) {
      ast::Expr e = make(K::not_, n);
      e.args.push_back(expr(*n.children.front()));
      return e;
    }
    if (n.is_type<g::and_expr>() || n.is_type<g::or_expr>() || n.is_type<g::quantifier_set>() ||
        n.is_type<g::scope_condition_expr>()) {
      if (n.children.size() == 1) return expr(*n.children.front());
      ast::Expr e = make(n.is_type<g::and_expr>() ? K::and_ : K::or_, n);
      for (const auto& c : n.children) e.args.push_back(expr(*c));
      return e;
    }
    if (n.is_type<g::quantifier>()) {
      ast::Expr e = make(K::quantifier, n);
      e.text = child<g::quantifier_word>(n)->string();
      const Node* var = child<g::quantifier_var>(n);
      e.var = var->string();
      e.var_span = span(*var);
      // children: word, var, set, body
      e.args.push_back(expr(*n.children[2]));
      e.args.push_back(expr(*n.children[3]));
      return e;
    }
    if (n.children.size() == 1) return expr(*n.children.front());
    // Unreachable for a tree built by this grammar; keep a harmless node.
    ast::Expr e = make(K::name, n);
    e.text = n.string();
    return e;
  }

  // An expression that is stored in an item: its height is checked.
  ast::Expr top_expr(const Node& n) {
    ast::Expr e = expr(n);
    if (std::size_t at = too_deep_at(e); at != std::string_view::npos) {
      dispose(e);
      throw TooDeep{at};
    }
    return e;
  }

  // ---- definitions ----

  ast::CriterionDef criterion_def(const Node& n) {
    ast::CriterionDef d;
    d.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::definition_name>()) {
        d.name = c->string();
        d.name_span = span(*c);
      } else if (c->is_type<g::params>()) {
        d.has_params = true;
        for (const auto& p : c->children) {
          ast::Param param;
          param.span = span(*p);
          for (const auto& pc : p->children) {
            if (pc->is_type<g::param_name>()) {
              param.name = pc->string();
              param.name_span = span(*pc);
            } else if (pc->is_type<g::type_name>()) {
              param.type = pc->string();
              param.type_span = span(*pc);
            } else if (pc->is_type<g::param_default>()) {
              param.default_value = top_expr(*pc->children.front());
            }
          }
          d.params.push_back(std::move(param));
        }
      } else if (c->is_type<g::reports_word>()) {
        d.reports = c->string();
        d.reports_span = span(*c);
      } else if (c->is_type<g::wording>()) {
        d.wording = decode_string(c->string_view());
      } else {
        d.body = top_expr(*c);
      }
    }
    return d;
  }

  ast::LetDef let_def(const Node& n) {
    ast::LetDef d;
    d.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::definition_name>()) {
        d.name = c->string();
        d.name_span = span(*c);
      } else if (c->is_type<g::wording>()) {
        d.wording = decode_string(c->string_view());
      } else {
        d.value = top_expr(*c);
      }
    }
    return d;
  }

  ast::Rule rule(const Node& n) {
    ast::Rule r;
    r.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::scope>()) {
        r.scope.span = span(*c);
        for (const auto& sc : c->children) {
          if (sc->is_type<g::ex_mark>()) r.scope.ex = true;
          else if (sc->is_type<g::code_list>()) r.scope.codes = code_list(*sc);
          else if (sc->is_type<g::scope_description>()) r.scope.description = decode_string(sc->string_view());
          else if (sc->is_type<g::scope_condition>()) r.scope.condition = top_expr(*sc->children.front());
        }
      } else if (c->is_type<g::rule_body>()) {
        r.body = top_expr(*c->children.front());
      } else if (c->is_type<g::valid_from>()) {
        r.valid_from = c->children.front()->string();
        r.valid_from_span = span(*c->children.front());
      } else if (c->is_type<g::valid_until>()) {
        r.valid_until = c->children.front()->string();
        r.valid_until_span = span(*c->children.front());
      } else if (c->is_type<g::meta_cite>()) {
        r.cite = decode_string(c->children.front()->string_view());
      } else if (c->is_type<g::meta_note>()) {
        r.note = decode_string(c->children.front()->string_view());
      } else if (c->is_type<g::meta_to>()) {
        for (const auto& country : c->children) {
          r.to.push_back(country->string());
          r.to_spans.push_back(span(*country));
        }
      } else if (c->is_type<g::meta_quota>()) {
        r.quota = true;
      }
    }
    return r;
  }

  ast::Setting setting(const Node& n) {
    ast::Setting s;
    s.span = span(n);
    auto text = n.string_view();
    std::size_t key_end = 0;
    while (key_end < text.size() && (std::isalnum(static_cast<unsigned char>(text[key_end])) || text[key_end] == '_'))
      ++key_end;
    s.key = std::string(text.substr(0, key_end));
    s.key_span = ast::Span{span(n).begin, span(n).begin + static_cast<std::uint32_t>(key_end)};
    for (const auto& c : n.children) {
      if (c->is_type<g::s_word>() || c->is_type<g::s_none>()) {
        s.word = c->string();
        s.word_span = span(*c);
      } else if (c->is_type<g::s_text>()) {
        s.text = decode_string(c->string_view());
      } else if (c->is_type<g::s_number>()) {
        s.number = c->string();
        s.number_span = span(*c);
      } else if (c->is_type<g::s_percent>()) {
        s.number = c->string();
        s.number.pop_back();
        s.number_span = span(*c);
      } else if (c->is_type<g::country>()) {
        s.names.push_back(c->string());
        s.name_spans.push_back(span(*c));
      } else if (c->is_type<g::tolerance_codes>() || c->is_type<g::explained_codes>()) {
        s.codes = code_list(*c);
      } else {
        s.expr = top_expr(*c);
      }
    }
    return s;
  }

private:
  const char* base_;
};

template <typename Rule>
std::unique_ptr<Node> parse_one(std::string_view source, std::size_t offset) {
  tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy, tao::pegtl::eol::lf_crlf> in(
      source.data() + offset, source.data() + source.size(), "");
  item_units = 0;
  return pt::parse<Rule, Node, selector, action, grammar::control>(in);
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Driver {
public:
  Driver(std::string_view source, std::string_view file_name) : src_(source), file_(file_name), conv_(source.data()) {}

  ParseResult run() {
    ParseResult result;
    if (src_.size() > max_source_bytes) {
      error(0, fmt::format("the file is {} bytes; at most {} are accepted", src_.size(), max_source_bytes));
      result.diagnostics = std::move(diags_);
      return result;
    }
    if (auto bad = find_invalid_utf8(src_); bad != std::string_view::npos) {
      error(bad, "invalid UTF-8 byte sequence; roo files are UTF-8 text");
      result.diagnostics = std::move(diags_);
      return result;
    }
    collect_comments(result.file);
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (true) {
      skip_space();
      if (pos_ >= src_.size()) break;
      if (starts_word("agreement") || starts_word("rules")) {
        parse_agreement(result.file);
        continue;
      }
      parse_item<grammar::top_item>(
          "expected 'import', 'include', 'criterion', 'let', 'process', 'agreement' or 'rules'",
          [&](const Node& n) {
            const Node& item = *n.children.front();
            if (item.is_type<grammar::import_decl>()) {
              result.file.items.push_back(ast::Import{item.children.front()->string(), conv_.span(item)});
            } else if (item.is_type<grammar::include_decl>()) {
              const Node& path = *item.children.front();
              result.file.items.push_back(
                  ast::Include{Converter::decode_string(path.string_view()), conv_.span(item), conv_.span(path)});
            } else if (item.is_type<grammar::criterion_def>()) {
              result.file.items.push_back(conv_.criterion_def(item));
            } else if (item.is_type<grammar::let_def>()) {
              result.file.items.push_back(conv_.let_def(item));
            } else if (item.is_type<grammar::process_decl>()) {
              ast::ProcessDecl d;
              d.span = conv_.span(item);
              for (const auto& c : item.children) {
                d.names.push_back(c->string());
                d.name_spans.push_back(conv_.span(*c));
              }
              result.file.items.push_back(std::move(d));
            }
          },
          top_starts);
    }
    result.diagnostics = std::move(diags_);
    return result;
  }

private:
  std::string_view src_;
  std::string_view file_;
  Converter conv_;
  std::size_t pos_ = 0;
  std::vector<Diagnostic> diags_;
  LineIndex lines_{src_};  // locates errors without rescanning the text

  static constexpr const char* top_starts[] = {"import", "include", "criterion", "let", "process", "agreement", "rules", nullptr};
  static constexpr const char* agreement_starts[] = {
      "criterion", "let", "ex", "chapter", "chapters", "heading", "headings", "subheading", "subheadings", "title",
      "citation", "hs", "parties", "group", "basis", "cumulation", "tolerance", "tolerance_applies_to",
      "insufficient", "roll_up", "all_rules_apply", "origin_criterion", "sets", "kind", "residual", "explained", nullptr};


  void error(std::size_t offset, std::string message) {
    if (diags_.size() == max_syntax_errors) {
      message = fmt::format("too many syntax errors: the parse stops after {}", max_syntax_errors);
      pos_ = src_.size();
    }
    if (diags_.size() > max_syntax_errors) return;
    Diagnostic d;
    d.severity = Severity::error;
    d.code = "roo-syntax";
    d.message = std::move(message);
    d.file = std::string(file_);
    auto at = lines_.locate(offset);
    d.line = at.line;
    d.column = at.column;
    set_source_line(d, at.text);
    diags_.push_back(std::move(d));
  }

  void collect_comments(ast::File& file) {
    // Comments are found by a scan of their own, so `roo fmt` can put every
    // one back whatever construct it sits in. Strings may contain "//".
    bool in_string = false;
    for (std::size_t i = 0; i < src_.size(); ++i) {
      char c = src_[i];
      if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"' || c == '\n') in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '/' && i + 1 < src_.size() && src_[i + 1] == '/') {
        std::size_t end = src_.find('\n', i);
        if (end == std::string_view::npos) end = src_.size();
        std::size_t stop = end;
        if (stop > i && src_[stop - 1] == '\r') --stop;
        file.comments.push_back(ast::Comment{{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(stop)}});
        i = end;
      }
    }
  }

  void skip_space() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  bool starts_word(std::string_view word, std::size_t at) const {
    return src_.substr(at, word.size()) == word && (at + word.size() >= src_.size() || !is_word_char(src_[at + word.size()]));
  }
  bool starts_word(std::string_view word) const { return starts_word(word, pos_); }

  bool line_starts_item(std::size_t line_start, const char* const* starts) const {
    std::size_t first = line_start;
    while (first < src_.size() && (src_[first] == ' ' || src_[first] == '\t')) ++first;
    if (first >= src_.size() || src_[first] == '\n' || src_[first] == '\r') return false;
    char c = src_[first];
    if (c == '}' || (starts == agreement_starts && c >= '0' && c <= '9')) return true;
    for (const char* const* s = starts; *s; ++s)
      if (starts_word(*s, first)) return true;
    return false;
  }

  // After an error at `error_at`: resume at the next line whose first token
  // can start an item (the error's own line when the error is at its start).
  void recover(const char* const* starts, std::size_t error_at) {
    std::size_t line_start = src_.rfind('\n', error_at == 0 ? 0 : error_at - 1);
    line_start = (line_start == std::string_view::npos || error_at == 0) ? 0 : line_start + 1;
    std::size_t first = line_start;
    while (first < src_.size() && (src_[first] == ' ' || src_[first] == '\t')) ++first;
    if (line_start > pos_ && error_at <= first && line_starts_item(line_start, starts)) {
      pos_ = line_start;
      return;
    }
    pos_ = std::max(pos_, line_start);
    while (pos_ < src_.size()) {
      std::size_t nl = src_.find('\n', pos_);
      if (nl == std::string_view::npos) {
        pos_ = src_.size();
        return;
      }
      pos_ = nl + 1;
      if (line_starts_item(pos_, starts)) return;
    }
  }

  template <typename Rule, typename OnNode>
  bool parse_item(const char* expected, OnNode&& on_node, const char* const* starts) {
    try {
      auto root = parse_one<Rule>(src_, pos_);
      if (!root || root->children.empty()) {
        if (src_[pos_] == ':')
          error(pos_, "unexpected ':': the rule before it may be incomplete (its expression ran on into this line)");
        else
          error(pos_, expected);
        recover(starts, pos_);
        return false;
      }
      const Node& n = *root->children.front();
      on_node(*root);
      pos_ = static_cast<std::size_t>(n.string_view().data() + n.string_view().size() - src_.data());
      return true;
    } catch (const tao::pegtl::parse_error& e) {
      std::size_t offset = pos_;
      if (!e.positions().empty()) offset = pos_ + e.positions().front().byte;
      // limit_depth's own message names no construct of roo.
      if (e.message() == "maximum parser rule nesting depth exceeded")
        error(offset, "the expression is nested too deeply; split it with 'let' or 'criterion' definitions");
      else
        error(offset, std::string(e.message()));
      recover(starts, offset);
      return false;
    } catch (const TooDeep& e) {
      error(e.offset, fmt::format("the expression nests more than {} operations inside one another; split it with "
                                  "'let' or 'criterion' definitions",
                                  max_expression_height));
      recover(starts, e.offset);
      return false;
    }
  }

  // `agreement "TITLE" { ... }`, or an included file's `rules { ... }`.
  void parse_agreement(ast::File& file) {
    ast::Agreement agreement;
    std::size_t start = pos_;
    agreement.part = starts_word("rules");
    auto on_head = [&](const Node& root) {
      const Node& head = *root.children.front();
      for (const auto& c : head.children)
        if (c->is_type<grammar::agreement_title>()) {
          agreement.title = Converter::decode_string(c->string_view());
          agreement.title_span = conv_.span(*c);
        }
    };
    bool opened = agreement.part ? parse_item<grammar::rules_head>("expected 'rules {'", on_head, agreement_starts)
                                 : parse_item<grammar::agreement_head>("expected 'agreement \"TITLE\" {'", on_head,
                                                                       agreement_starts);
    if (!opened) {
      // Parse what follows as the agreement's body anyway, so its errors are reported too.
    }
    while (true) {
      skip_space();
      if (pos_ >= src_.size()) {
        error(src_.size(), fmt::format("the {} opened at line {} is not closed: expected '}}'",
                                       agreement.part ? "rules block" : "agreement", locate(src_, start).line));
        break;
      }
      if (src_[pos_] == '}') {
        ++pos_;
        break;
      }
      if (starts_word("agreement") || starts_word("rules")) {
        error(pos_, fmt::format("expected '}}' to close the {} before another block starts",
                                agreement.part ? "rules block" : "agreement"));
        break;
      }
      parse_item<grammar::agreement_item>(
          "expected a setting, a definition or a rule such as 'heading 7302: CTH'",
          [&](const Node& root) {
            const Node& item = *root.children.front();
            if (item.is_type<grammar::criterion_def>()) agreement.items.push_back(conv_.criterion_def(item));
            else if (item.is_type<grammar::let_def>()) agreement.items.push_back(conv_.let_def(item));
            else if (item.is_type<grammar::rule_stmt>()) agreement.items.push_back(conv_.rule(item));
            else agreement.items.push_back(conv_.setting(item));
          },
          agreement_starts);
    }
    agreement.span = ast::Span{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos_)};
    file.items.push_back(std::move(agreement));
  }
};

}  // namespace

ParseResult parse(std::string_view source, std::string_view file_name) { return Driver(source, file_name).run(); }

std::size_t grammar_issues() {
  // analyze() reports rules that can loop without consuming input (on stderr).
  return tao::pegtl::analyze<grammar::top_item>() + tao::pegtl::analyze<grammar::agreement_item>() +
         tao::pegtl::analyze<grammar::agreement_head>() + tao::pegtl::analyze<grammar::rules_head>();
}

}  // namespace roo
