// From the checked syntax tree to the evaluation form (compiled.hpp).
// Criteria are inlined: a call compiles its arguments in the caller's scope
// and then the criterion's body with its parameters bound to those argument
// nodes. The language has no recursion (the checker rejects cycles), so
// inlining terminates.
#include <map>
#include <unordered_map>

#include "interpreter/eval/compiled.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/lang/render.hpp"

namespace roo {

namespace {

// The names visible at a point of a rule being compiled: parameters bound to
// argument nodes, quantifier variables bound to slots.
struct NameScope {
  const NameScope* parent = nullptr;
  std::map<std::string, std::uint32_t> params;  // name -> node
  std::map<std::string, std::uint16_t> vars;    // quantifier variable -> slot
  std::uint16_t it_slot = UINT16_MAX;
  // Slots in use by the quantifiers and filters around this point (criteria are
  // written out where they are used, so this counts through them): a new one
  // takes the next, and slots are reused by expressions that are not nested.
  std::uint16_t depth = 0;
  const SourceUnit* unit = nullptr;
  bool in_tariff_shift = false;

  const std::uint32_t* param(const std::string& n) const {
    for (const NameScope* s = this; s; s = s->parent) {
      if (auto it = s->params.find(n); it != s->params.end()) return &it->second;
      if (!s->params.empty()) return nullptr;  // a criterion's scope ends the search
    }
    return nullptr;
  }
  const std::uint16_t* var(const std::string& n) const {
    for (const NameScope* s = this; s; s = s->parent) {
      if (auto it = s->vars.find(n); it != s->vars.end()) return &it->second;
      if (!s->params.empty()) return nullptr;
    }
    return nullptr;
  }
  std::uint16_t it() const {
    for (const NameScope* s = this; s; s = s->parent) {
      if (s->it_slot != UINT16_MAX) return s->it_slot;
      if (!s->params.empty()) return UINT16_MAX;
    }
    return UINT16_MAX;
  }
};

class Compiler {
public:
  Compiler(const Program& p, CompiledProgram& out) : p_(p), out_(out) {}

  // The slot of a quantifier or filter opened in `scope`, whose body is `inner`.
  std::uint16_t open_slot(const NameScope& scope, NameScope& inner) {
    inner.depth = static_cast<std::uint16_t>(scope.depth + 1);
    out_.slots = std::max(out_.slots, inner.depth);
    high_ = std::max(high_, inner.depth);
    return scope.depth;
  }

  std::uint32_t expr(const ast::Expr& e, const NameScope& scope) {
    using K = ast::ExprKind;
    switch (e.kind) {
      case K::number: {
        Node n = make(Op::const_num, e, scope);
        n.number = number_id(Decimal::parse(e.text).value_or(Decimal()));
        return add(std::move(n));
      }
      case K::percent: {
        Node n = make(Op::const_num, e, scope);
        n.number = number_id(Decimal::parse(e.text).value_or(Decimal()));
        return add(std::move(n));
      }
      case K::string: {
        Node n = make(Op::const_text, e, scope);
        n.text = text_id(e.text);
        return add(std::move(n));
      }
      case K::boolean: {
        Node n = make(Op::const_bool, e, scope);
        n.aux = e.text == "true";
        return add(std::move(n));
      }
      case K::codes: return codes_node(e, scope);
      case K::list: {
        Node n = make(Op::const_processes, e, scope);
        n.list = new_list();
        for (const auto& a : e.args) out_.lists[n.list].push_back(expr(a, scope));
        return add(std::move(n));
      }
      case K::name: return name(e, scope);
      case K::it: {
        Node n = make(Op::var, e, scope);
        n.slot = scope.it();
        return add(std::move(n));
      }
      case K::member: return member(e, scope);
      case K::call: return call(e, scope, 0, nullptr);
      case K::not_: {
        Node n = make(Op::not_, e, scope);
        n.a = expr(e.args[0], scope);
        return add(std::move(n));
      }
      case K::and_:
      case K::or_: {
        Node n = make(e.kind == K::and_ ? Op::and_ : Op::or_, e, scope);
        n.list = new_list();
        for (const auto& a : e.args) {
          std::uint32_t child = expr(a, scope);
          out_.lists[n.list].push_back(child);
        }
        return add(std::move(n));
      }
      case K::compare: {
        Node n = make(Op::compare, e, scope);
        static const std::map<std::string, CompareOp> ops = {{"<=", CompareOp::le}, {"<", CompareOp::lt},
                                                             {">=", CompareOp::ge}, {">", CompareOp::gt},
                                                             {"==", CompareOp::eq}, {"!=", CompareOp::ne}};
        n.aux = static_cast<std::uint8_t>(ops.at(e.text));
        n.a = expr(e.args[0], scope);
        n.b = expr(e.args[1], scope);
        return add(std::move(n));
      }
      case K::in:
      case K::not_in: {
        Type lt = type(e.args[0]);
        Node n = make(lt == Type::codes ? Op::in_codes : lt == Type::material ? Op::in_materials : Op::in_processes, e, scope);
        n.a = expr(e.args[0], scope);
        n.b = lt == Type::material ? as_set(e.args[1], scope) : expr(e.args[1], scope);
        std::uint32_t in = add(std::move(n));
        if (e.kind == K::in) return in;
        Node neg = make(Op::not_, e, scope);
        neg.a = in;
        return add(std::move(neg));
      }
      case K::add:
      case K::sub: {
        if (type(e) == Type::materials) {
          Node n = make(e.kind == K::add ? Op::set_union : Op::set_diff, e, scope);
          n.a = as_set(e.args[0], scope);
          n.b = as_set(e.args[1], scope);
          return add(std::move(n));
        }
        Node n = make(e.kind == K::add ? Op::add : Op::sub, e, scope);
        n.a = expr(e.args[0], scope);
        n.b = expr(e.args[1], scope);
        return add(std::move(n));
      }
      case K::mul: {
        // A percentage multiplies as its fraction.
        if (type(e.args[0]) == Type::percent || type(e.args[1]) == Type::percent) {
          bool left = type(e.args[0]) == Type::percent;
          Node n = make(Op::percent_of, e, scope);
          n.a = expr(left ? e.args[0] : e.args[1], scope);
          n.b = expr(left ? e.args[1] : e.args[0], scope);
          return add(std::move(n));
        }
        Node n = make(Op::mul, e, scope);
        n.a = expr(e.args[0], scope);
        n.b = expr(e.args[1], scope);
        return add(std::move(n));
      }
      case K::of: {
        if (type(e.args[0]) == Type::percent) {
          Node n = make(Op::percent_of, e, scope);
          n.a = expr(e.args[0], scope);
          n.b = expr(e.args[1], scope);
          return add(std::move(n));
        }
        Node n = make(Op::set_of, e, scope);
        n.a = as_set(e.args[0], scope);
        n.b = codes_of(e.args[1], scope);
        return add(std::move(n));
      }
      case K::except_: {
        const Symbol* s = symbol(e.args[0]);
        if (s && s->kind == Symbol::Kind::criterion)
          return call(e.args[0], scope, e.args[0].kind == K::member ? 1 : 0, &e.args[1], &e);
        Node n = make(Op::set_diff, e, scope);
        n.a = as_set(e.args[0], scope);
        n.b = as_set(e.args[1], scope);
        return add(std::move(n));
      }
      case K::where: {
        Node n = make(Op::set_where, e, scope);
        n.a = as_set(e.args[0], scope);
        NameScope inner;
        inner.parent = &scope;
        inner.unit = scope.unit;
        inner.in_tariff_shift = scope.in_tariff_shift;
        inner.it_slot = open_slot(scope, inner);
        n.slot = inner.it_slot;
        n.b = expr(e.args[1], inner);
        return add(std::move(n));
      }
      case K::quantifier: {
        Node n = make(Op::quantifier, e, scope);
        n.aux = e.text == "every" ? 0 : e.text == "some" ? 1 : 2;
        n.a = as_set(e.args[0], scope);
        NameScope inner;
        inner.parent = &scope;
        inner.unit = scope.unit;
        inner.in_tariff_shift = scope.in_tariff_shift;
        n.slot = open_slot(scope, inner);
        inner.vars[e.var] = n.slot;
        n.b = expr(e.args[1], inner);
        n.in_tariff_shift = scope.in_tariff_shift;
        return add(std::move(n));
      }
    }
    return constant(false, e, scope);
  }

  std::uint32_t process_list(const ast::Expr& e, const NameScope& scope) { return expr(e, scope); }

private:
  const Program& p_;
  CompiledProgram& out_;
  std::unordered_map<std::string, std::uint32_t> text_ids_;  // texts already in out_.texts
  std::uint16_t high_ = 0;  // the deepest slot depth reached since it was last reset (see call)

  Type type(const ast::Expr& e) const {
    auto it = p_.info.find(&e);
    return it == p_.info.end() ? Type::error : it->second.type;
  }
  const Symbol* symbol(const ast::Expr& e) const {
    auto it = p_.info.find(&e);
    return it == p_.info.end() ? nullptr : it->second.symbol;
  }

  Node make(Op op, const ast::Expr& e, const NameScope& scope) {
    Node n;
    n.op = op;
    n.expr = &e;
    n.unit = scope.unit;
    return n;
  }
  std::uint32_t add(Node n) {
    out_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }
  std::uint32_t number_id(const Decimal& d) {
    out_.numbers.push_back(d);
    return static_cast<std::uint32_t>(out_.numbers.size() - 1);
  }
  std::uint32_t text_id(const std::string& t) {
    auto [it, added] = text_ids_.try_emplace(t, static_cast<std::uint32_t>(out_.texts.size()));
    if (added) out_.texts.push_back(t);
    return it->second;
  }
  std::uint32_t new_list() {
    out_.lists.emplace_back();
    return static_cast<std::uint32_t>(out_.lists.size() - 1);
  }
  std::uint32_t constant(bool value, const ast::Expr& e, const NameScope& scope) {
    Node n = make(Op::const_bool, e, scope);
    n.aux = value;
    return add(std::move(n));
  }

  std::uint32_t codes_node(const ast::Expr& e, const NameScope& scope) {
    Node n = make(Op::const_codes, e, scope);
    auto it = p_.info.find(&e);
    out_.code_sets.push_back(it != p_.info.end() && it->second.codes ? *it->second.codes : HsSet{});
    n.codes = static_cast<std::uint32_t>(out_.code_sets.size() - 1);
    return add(std::move(n));
  }

  // An expression of type codes (a literal, an integer literal used as a code, a parameter, product.heading).
  std::uint32_t codes_of(const ast::Expr& e, const NameScope& scope) {
    auto it = p_.info.find(&e);
    if (it != p_.info.end() && it->second.codes) return codes_node(e, scope);
    return expr(e, scope);
  }

  // An expression used as a set of materials: codes become the materials classified there.
  std::uint32_t as_set(const ast::Expr& e, const NameScope& scope) {
    Type t = type(e);
    if (t == Type::codes) {
      Node n = make(Op::set_of_codes, e, scope);
      n.a = codes_of(e, scope);
      return add(std::move(n));
    }
    if (t == Type::empty) return add(make(Op::set_empty, e, scope));
    return expr(e, scope);
  }

  std::uint32_t convert(std::uint32_t node, Type from, Type to, const ast::Expr& e, const NameScope& scope) {
    if (from == Type::codes && to == Type::materials) {
      Node n = make(Op::set_of_codes, e, scope);
      n.a = node;
      return add(std::move(n));
    }
    if (from == Type::empty && to == Type::materials) return add(make(Op::set_empty, e, scope));
    if (from == Type::empty && to == Type::processes) {
      Node n = make(Op::const_processes, e, scope);
      n.list = new_list();
      return add(std::move(n));
    }
    if (from == Type::process && to == Type::processes) {
      Node n = make(Op::const_processes, e, scope);
      n.list = new_list();
      out_.lists[n.list].push_back(node);
      return add(std::move(n));
    }
    return node;
  }

  std::uint32_t name(const ast::Expr& e, const NameScope& scope) {
    if (const std::uint32_t* p = scope.param(e.text)) return *p;
    if (const std::uint16_t* v = scope.var(e.text)) {
      Node n = make(Op::var, e, scope);
      n.slot = *v;
      return add(std::move(n));
    }
    const Symbol* s = symbol(e);
    if (!s) return constant(false, e, scope);
    switch (s->kind) {
      case Symbol::Kind::criterion: return call(e, scope, 0, nullptr);
      case Symbol::Kind::let: {
        NameScope let_scope;
        let_scope.unit = s->unit;
        let_scope.depth = scope.depth;  // written out here: inside the quantifiers around it
        return expr(s->let->value, let_scope);
      }
      case Symbol::Kind::process: {
        Node n = make(Op::const_process, e, scope);
        n.text = text_id(s->name);
        return add(std::move(n));
      }
      case Symbol::Kind::builtin_value: return builtin_value(e, s->name, scope);
      default: return constant(false, e, scope);
    }
  }

  std::uint32_t builtin_value(const ast::Expr& e, const std::string& n, const NameScope& scope) {
    if (n == "materials") return add(make(Op::set_all, e, scope));
    if (n == "non_originating") return add(make(Op::set_non_originating, e, scope));
    if (n == "originating") return add(make(Op::set_originating, e, scope));
    if (n == "none") return add(make(Op::set_empty, e, scope));
    if (n == "weight") return add(make(Op::product_weight, e, scope));
    if (n == "chapter" || n == "heading" || n == "subheading" || n == "tariff_line") {
      Node node = make(Op::const_level, e, scope);
      node.aux = n == "chapter" ? 2 : n == "heading" ? 4 : n == "subheading" ? 6 : 8;
      return add(std::move(node));
    }
    std::string_view basis = n == "price" ? std::string_view(p_.agreement.basis) : std::string_view(n);
    Node node = make(Op::base_value, e, scope);
    node.aux = static_cast<std::uint8_t>(value_basis_from_name(basis).value_or(ValueBasis::ex_works));
    return add(std::move(node));
  }

  std::uint32_t member(const ast::Expr& e, const NameScope& scope) {
    const ast::Expr& object = e.args.front();
    if (object.kind == ast::ExprKind::name && object.text == "std") {
      const Symbol* s = symbol(e);
      if (s && s->kind == Symbol::Kind::criterion) return call(e, scope, 1, nullptr);
      if (s && s->kind == Symbol::Kind::let) {
        NameScope let_scope;
        let_scope.unit = s->unit;
        let_scope.depth = scope.depth;  // written out here: inside the quantifiers around it
        return expr(s->let->value, let_scope);
      }
      if (s && s->kind == Symbol::Kind::process) {
        Node n = make(Op::const_process, e, scope);
        n.text = text_id(s->name);
        return add(std::move(n));
      }
      return constant(false, e, scope);
    }
    // The attribute name: a string, or a parameter bound to one.
    std::string text_arg;
    if (e.args.size() > 1) {
      const ast::Expr& arg = e.args[1];
      if (arg.kind == ast::ExprKind::string) {
        text_arg = arg.text;
      } else {
        std::uint32_t node = expr(arg, scope);
        text_arg = out_.nodes[node].op == Op::const_text ? out_.text(out_.nodes[node]) : arg.text;
      }
    }
    if (type(object) == Type::product) {
      if (e.text == "hs" || e.text == "chapter" || e.text == "heading" || e.text == "subheading") {
        Node n = make(Op::product_codes, e, scope);
        n.aux = e.text == "hs" ? 0 : e.text == "chapter" ? 2 : e.text == "heading" ? 4 : 6;
        return add(std::move(n));
      }
      if (e.text == "weight") return add(make(Op::product_weight, e, scope));
      if (e.text == "wholly_obtained") return add(make(Op::product_wo, e, scope));
      Node n = make(e.text == "is" ? Op::product_is : e.text == "number" ? Op::product_number : Op::product_attr, e, scope);
      n.text = text_id(text_arg);
      return add(std::move(n));
    }
    std::uint32_t m = expr(object, scope);
    Node n = make(Op::material_hs, e, scope);
    n.a = m;
    if (e.text == "hs") n.op = Op::material_hs;
    else if (e.text == "value") n.op = Op::material_value;
    else if (e.text == "weight") n.op = Op::material_weight;
    else if (e.text == "originating" || e.text == "wholly_obtained") {
      n.op = Op::material_flag;
      n.aux = e.text == "wholly_obtained";
    } else {
      n.op = e.text == "is" ? Op::material_is : e.text == "number" ? Op::material_number : Op::material_attr;
      n.text = text_id(text_arg);
    }
    return add(std::move(n));
  }

  std::uint32_t builtin_call(const ast::Expr& e, const std::string& callee, std::size_t first, const NameScope& scope) {
    auto arg = [&](std::size_t i) { return first + i < e.args.size() ? &e.args[first + i] : nullptr; };
    if (callee == "value" || callee == "vnm" || callee == "vom" || callee == "weight" || callee == "count") {
      Node n = make(Op::aggregate, e, scope);
      n.aux = static_cast<std::uint8_t>(callee == "value" ? Aggregate::value
                                        : callee == "vnm" ? Aggregate::vnm
                                        : callee == "vom" ? Aggregate::vom
                                        : callee == "weight" ? Aggregate::weight
                                                             : Aggregate::count);
      n.a = as_set(*arg(0), scope);
      return add(std::move(n));
    }
    if (callee == "total") {
      Node n = make(Op::total, e, scope);
      n.a = as_set(*arg(0), scope);
      n.b = expr(*arg(1), scope);
      return add(std::move(n));
    }
    if (callee == "changes") {
      Node n = make(Op::changes, e, scope);
      n.a = expr(*arg(0), scope);
      std::uint32_t level = expr(*arg(1), scope);
      n.aux = out_.nodes[level].op == Op::const_level ? out_.nodes[level].aux : 4;
      n.b = level;
      return add(std::move(n));
    }
    if (callee == "performed") {
      Node n = make(Op::performed, e, scope);
      n.a = expr(*arg(0), scope);
      return add(std::move(n));
    }
    if (callee == "performed_count") {
      Node n = make(Op::performed_count, e, scope);
      n.a = convert(expr(*arg(0), scope), type(*arg(0)), Type::processes, *arg(0), scope);
      return add(std::move(n));
    }
    return constant(false, e, scope);
  }

  // A criterion call (or builtin call). Arguments start at e.args[first];
  // `excluded` is the right side of an `except` applied to the criterion.
  // `written` is what the author wrote, for the wording (the whole `X except Y`).
  std::uint32_t call(const ast::Expr& e, const NameScope& scope, std::size_t first, const ast::Expr* excluded,
                     const ast::Expr* written = nullptr) {
    const Symbol* s = symbol(e);
    if (!s) return constant(false, e, scope);
    if (s->kind == Symbol::Kind::builtin_function) return builtin_call(e, s->name, first, scope);
    if (s->kind != Symbol::Kind::criterion) return constant(false, e, scope);
    const ast::CriterionDef& def = *s->criterion;
    NameScope inner;
    inner.unit = s->unit;
    inner.in_tariff_shift = scope.in_tariff_shift || def.name == "tariff_shift";
    // Arguments are compiled here but evaluated inside the body, within its
    // quantifiers: the body's slots come after every slot the arguments use.
    const std::uint16_t outer_high = high_;
    high_ = scope.depth;
    std::vector<bool> bound(def.params.size(), false);
    auto bind = [&](std::size_t k, const ast::Expr& arg) {
      Type want = type_from_name(def.params[k].type).value_or(Type::error);
      // as_set and codes_of already turn codes, numbers and `none` into what is wanted.
      std::uint32_t node = want == Type::codes       ? codes_of(arg, scope)
                           : want == Type::materials ? as_set(arg, scope)
                                                     : convert(expr(arg, scope), type(arg), want, arg, scope);
      inner.params[def.params[k].name] = node;
      bound[k] = true;
    };
    for (std::size_t i = first; i < e.args.size(); ++i) {
      std::size_t k = def.params.size();
      if (e.arg_names[i].empty()) k = i - first;
      else
        for (std::size_t j = 0; j < def.params.size(); ++j)
          if (def.params[j].name == e.arg_names[i]) k = j;
      if (k < def.params.size()) bind(k, e.args[i]);
    }
    if (excluded) {
      for (std::size_t k = 0; k < def.params.size(); ++k)
        if (def.params[k].name == "excluded") bind(k, *excluded);
    }
    for (std::size_t k = 0; k < def.params.size(); ++k) {
      if (bound[k] || !def.params[k].default_value) continue;
      NameScope default_scope;
      default_scope.unit = s->unit;
      default_scope.depth = scope.depth;
      const ast::Expr& d = *def.params[k].default_value;
      Type want = type_from_name(def.params[k].type).value_or(Type::error);
      inner.params[def.params[k].name] = want == Type::materials
                                             ? as_set(d, default_scope)
                                             : convert(expr(d, default_scope), type(d), want, d, default_scope);
    }
    inner.depth = high_;
    high_ = std::max(outer_high, high_);
    if (inner.params.empty()) inner.params["\x01"] = no_node;  // marks the criterion's scope boundary
    Node n = make(Op::criterion, written ? *written : e, scope);
    n.symbol = s;
    n.a = expr(def.body, inner);
    return add(std::move(n));
  }
};

}  // namespace

std::shared_ptr<const CompiledProgram> compile_program(const Program& program) {
  auto out = std::make_shared<CompiledProgram>();
  // One allocation instead of doublings, which at their peak hold two copies.
  out->nodes.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(program.expanded_size + 64, 1u << 26)));
  Compiler compiler(program, *out);
  for (const auto& entry : program.rules) {
    CompiledRule rule;
    rule.entry = &entry;
    NameScope scope;
    scope.unit = entry.unit;
    if (entry.follows.empty()) rule.body = compiler.expr(entry.rule->body, scope);
    else out->has_rule_of = true;
    if (entry.rule->scope.condition) rule.condition = compiler.expr(*entry.rule->scope.condition, scope);
    rule.scope_text = render_scope(entry.rule->scope);
    rule.text = render_rule(program, entry);
    rule.source = format_ref(SourceRef{entry.unit, entry.rule->span});
    rule.citation = rule_citation(program, entry);
    out->rules.push_back(std::move(rule));
  }
  if (program.agreement.insufficient) {
    NameScope scope;
    scope.unit = program.agreement_unit;
    out->insufficient = compiler.process_list(*program.agreement.insufficient, scope);
  }
  for (std::uint32_t i = 0; i < out->rules.size(); ++i) {
    for (const auto& item : out->rules[i].entry->items) {
      std::uint64_t first = item.interval.low / 100000000ULL;
      std::uint64_t last = std::min<std::uint64_t>(item.interval.high / 100000000ULL, 99);
      for (std::uint64_t c = first; c <= last; ++c) {
        auto& bucket = out->by_chapter[c];
        if (bucket.empty() || bucket.back() != i) bucket.push_back(i);
        auto& followers = out->rule_of_by_chapter[c];
        if (!out->rules[i].entry->follows.empty() && (followers.empty() || followers.back() != i)) followers.push_back(i);
      }
    }
  }
  return out;
}

}  // namespace roo
