#include "interpreter/lang/render.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace roo {

namespace {

std::string spaced(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string level_noun(const ast::CodeItem& item, std::size_t digits) {
  std::string_view word = item.level;
  if (word.empty()) {
    word = digits <= 2 ? "chapter" : digits <= 4 ? "heading" : digits <= 6 ? "subheading" : "tariff line";
  }
  if (word.back() == 's') word.remove_suffix(1);
  return std::string(word);
}

std::string dotted(const std::string& text) {
  if (auto code = HsCode::parse(text, nullptr, 2)) return code->dotted();
  return text;
}

std::string join_and(const std::vector<std::string>& parts, std::string_view last = " and ") {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? std::string(last) : std::string(", ");
    out += parts[i];
  }
  return out;
}

std::string base_name(const Program& program, std::string_view base) {
  if (base == "price") base = program.agreement.basis;
  if (base == "ex_works") return "ex-works price";
  if (base == "fob") return "FOB value";
  if (base == "transaction_value") return "transaction value";
  if (base == "adjusted_value") return "adjusted value";
  if (base == "net_cost") return "net cost";
  if (base == "total_cost") return "total cost";
  if (base == "weight") return "weight of the product";
  return spaced(base);
}

class Renderer {
public:
  explicit Renderer(const Program& p) : p_(p) {}

  std::string expr(const ast::Expr& e) {
    using K = ast::ExprKind;
    switch (e.kind) {
      case K::number: return e.text;
      case K::percent: return e.text + "%";
      case K::string: return e.text;
      case K::boolean: return e.text == "true" ? "no further condition" : "never";
      case K::codes: return render_codes(e.codes);
      case K::list: {
        std::vector<std::string> parts;
        for (const auto& a : e.args) parts.push_back(expr(a));
        return join_and(parts, " or ");
      }
      case K::name: return name(e);
      case K::it: return "the material";
      case K::member: return member(e);
      case K::call: return call(e, e.text, 0, nullptr);
      case K::not_: {
        const ast::Expr& inner = e.args[0];
        bool compound = inner.kind == K::and_ || inner.kind == K::or_ || inner.kind == K::quantifier;
        return compound ? "it is not the case that " + expr(inner) : "not " + expr(inner);
      }
      case K::and_: {
        std::vector<std::string> parts;
        for (const auto& a : e.args) parts.push_back(sub(a, K::and_));
        return join_and(parts, ", and ");
      }
      case K::or_: {
        std::vector<std::string> parts;
        for (const auto& a : e.args) parts.push_back(sub(a, K::or_));
        std::string out;
        for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; or " : "") + parts[i];
        return out;
      }
      case K::compare: {
        static const std::map<std::string, std::string> words = {
            {"<=", "does not exceed"}, {"<", "is less than"}, {">=", "is at least"},
            {">", "is more than"},     {"==", "is"},          {"!=", "is not"}};
        return fmt::format("{} {} {}", expr(e.args[0]), words.at(e.text), expr(e.args[1]));
      }
      case K::in: return fmt::format("{} is in {}", expr(e.args[0]), expr(e.args[1]));
      case K::not_in: return fmt::format("{} is not in {}", expr(e.args[0]), expr(e.args[1]));
      case K::add: return fmt::format("{} plus {}", expr(e.args[0]), expr(e.args[1]));
      case K::sub: {
        if (type_of(e) == Type::materials) return fmt::format("{} other than {}", expr(e.args[0]), expr(e.args[1]));
        return fmt::format("{} less {}", expr(e.args[0]), expr(e.args[1]));
      }
      case K::mul: return fmt::format("{} times {}", expr(e.args[0]), expr(e.args[1]));
      case K::of: {
        if (type_of(e.args[0]) == Type::percent) return fmt::format("{} of the {}", expr(e.args[0]), expr(e.args[1]));
        return fmt::format("{} of {}", expr(e.args[0]), expr(e.args[1]));
      }
      case K::except_: {
        if (const Symbol* s = criterion_symbol(e.args[0])) {
          const ast::Expr& lhs = e.args[0];
          return call(lhs, s->name, lhs.kind == K::member ? 1 : 0, &e.args[1]);
        }
        return fmt::format("{} other than those of {}", expr(e.args[0]), expr(e.args[1]));
      }
      case K::where: return fmt::format("{} that {}", expr(e.args[0]), predicate(e.args[1]));
      case K::quantifier: {
        std::string set = expr(e.args[0]);
        std::string body = expr(e.args[1]);
        if (e.text == "every") return fmt::format("each of the {}: {}", set, body);
        if (e.text == "some") return fmt::format("at least one of the {}: {}", set, body);
        return fmt::format("none of the {}: {}", set, body);
      }
    }
    return {};
  }

private:
  const Program& p_;

  Type type_of(const ast::Expr& e) const {
    auto it = p_.info.find(&e);
    return it == p_.info.end() ? Type::error : it->second.type;
  }
  const Symbol* symbol_of(const ast::Expr& e) const {
    auto it = p_.info.find(&e);
    return it == p_.info.end() ? nullptr : it->second.symbol;
  }
  const Symbol* criterion_symbol(const ast::Expr& e) const {
    const Symbol* s = symbol_of(e);
    return s && s->kind == Symbol::Kind::criterion ? s : nullptr;
  }

  std::string sub(const ast::Expr& e, ast::ExprKind parent) {
    if (parent == ast::ExprKind::and_ && e.kind == ast::ExprKind::or_) {
      // Alternatives inside a conjunction: "either A or B".
      std::vector<std::string> parts;
      for (const auto& a : e.args) parts.push_back(expr(a));
      std::string out = "either ";
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " or " : "") + parts[i];
      return out;
    }
    return expr(e);
  }

  // The condition of a `where`, worded after "materials that ...".
  std::string predicate(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::member && e.args.front().kind == ast::ExprKind::it) {
      if (e.text == "is" && e.args.size() > 1) return "are " + spaced(e.args[1].text);
      if (e.text == "originating") return "are originating";
      if (e.text == "wholly_obtained") return "are wholly obtained";
    }
    return "satisfy: " + expr(e);
  }

  std::string name(const ast::Expr& e) {
    const Symbol* s = symbol_of(e);
    if (e.text == "materials") return "materials";
    if (e.text == "non_originating") return "non-originating materials";
    if (e.text == "originating") return "originating materials";
    if (e.text == "none") return "nothing";
    if (e.text == "weight" && (!s || s->kind == Symbol::Kind::builtin_value)) return "weight of the product";
    if (s && s->kind == Symbol::Kind::builtin_value && type_of(e) == Type::money) return base_name(p_, e.text);
    if (s && s->kind == Symbol::Kind::let && s->let->wording) return *s->let->wording;
    if (s && s->kind == Symbol::Kind::criterion) return call(e, s->name, 0, nullptr);
    return spaced(e.text);
  }

  std::string member(const ast::Expr& e) {
    const ast::Expr& object = e.args.front();
    if (object.kind == ast::ExprKind::name && object.text == "std") {
      if (const Symbol* s = criterion_symbol(e)) return call(e, s->name, 1, nullptr);
      return name(e);
    }
    std::string who = object.kind == ast::ExprKind::name && object.text == "product" ? "the product" : expr(object);
    if (e.text == "is" && e.args.size() > 1) return fmt::format("{} is {}", who, spaced(e.args[1].text));
    if (e.text == "attribute" || e.text == "number")
      return fmt::format("the {} of {}", e.args.size() > 1 ? spaced(e.args[1].text) : "attribute", who);
    if (e.text == "hs") return fmt::format("the classification of {}", who);
    if (e.text == "chapter" || e.text == "heading" || e.text == "subheading")
      return fmt::format("the {} of {}", e.text, who);
    if (e.text == "weight") return fmt::format("the weight of {}", who);
    if (e.text == "value") return fmt::format("the value of {}", who);
    if (e.text == "originating") return fmt::format("{} is originating", who);
    if (e.text == "wholly_obtained") return fmt::format("{} is wholly obtained", who);
    return fmt::format("the {} of {}", spaced(e.text), who);
  }

  // Is an argument "nothing" (so that an optional [...] part is dropped)?
  static bool empty_value(const ast::Expr* e) {
    if (!e) return true;
    if (e->kind == ast::ExprKind::name && e->text == "none") return true;
    if (e->kind == ast::ExprKind::list && e->args.empty()) return true;
    return false;
  }

  // A criterion used in a rule: its wording with the arguments filled in.
  std::string call(const ast::Expr& e, const std::string& callee, std::size_t first_arg, const ast::Expr* excluded) {
    const Symbol* s = symbol_of(e);
    if (!s || s->kind != Symbol::Kind::criterion) {
      // A built-in function.
      std::vector<std::string> args;
      for (std::size_t i = first_arg; i < e.args.size(); ++i) args.push_back(expr(e.args[i]));
      std::string a = args.empty() ? std::string() : args.front();
      if (callee == "value") return "the value of " + a;
      if (callee == "vnm") return a == "materials" ? "the value of all the non-originating materials used"
                                                    : "the value of the non-originating " + a;
      if (callee == "vom") return a == "materials" ? "the value of all the originating materials used"
                                                    : "the value of the originating " + a;
      if (callee == "weight") return "the weight of " + a;
      if (callee == "count") return "the number of " + a;
      if (callee == "performed") return a;
      if (callee == "performed_count") return "the number of operations among " + a;
      if (callee == "changes" && args.size() > 1) return fmt::format("{} changes {}", args[0], args[1]);
      return fmt::format("{}({})", callee, join_and(args, ", "));
    }
    const ast::CriterionDef& def = *s->criterion;
    // Bind arguments to parameters.
    std::vector<const ast::Expr*> bound(def.params.size(), nullptr);
    for (std::size_t i = first_arg; i < e.args.size(); ++i) {
      std::size_t index = def.params.size();
      if (e.arg_names[i].empty()) index = i - first_arg;
      else
        for (std::size_t k = 0; k < def.params.size(); ++k)
          if (def.params[k].name == e.arg_names[i]) index = k;
      if (index < bound.size()) bound[index] = &e.args[i];
    }
    for (std::size_t k = 0; k < def.params.size(); ++k) {
      if (def.params[k].name == "excluded" && excluded) bound[k] = excluded;
      if (!bound[k] && def.params[k].default_value) bound[k] = &*def.params[k].default_value;
    }
    if (!def.wording) {
      std::vector<std::string> args;
      for (std::size_t k = 0; k < def.params.size(); ++k)
        if (bound[k]) args.push_back(fmt::format("{} {}", spaced(def.params[k].name), arg_text(def.params[k], bound[k])));
      return args.empty() ? spaced(callee) : fmt::format("{} ({})", spaced(callee), join_and(args, ", "));
    }
    auto param_index = [&](std::string_view name) -> std::size_t {
      for (std::size_t k = 0; k < def.params.size(); ++k)
        if (def.params[k].name == name) return k;
      return def.params.size();
    };
    // Fill {param}; drop a [...] part whose parameters are all empty.
    const std::string& w = *def.wording;
    std::string out;
    std::size_t i = 0;
    while (i < w.size()) {
      if (w[i] == '[') {
        std::size_t close = w.find(']', i);
        if (close == std::string::npos) close = w.size();
        std::string part = w.substr(i + 1, close - i - 1);
        bool any = false;
        std::string filled = fill(part, def, bound, param_index, any);
        if (any) out += filled;
        i = close + 1;
        continue;
      }
      std::size_t next = w.find('[', i);
      if (next == std::string::npos) next = w.size();
      bool any = false;
      out += fill(w.substr(i, next - i), def, bound, param_index, any);
      i = next;
    }
    return out;
  }

  template <typename IndexOf>
  std::string fill(const std::string& text, const ast::CriterionDef& def, const std::vector<const ast::Expr*>& bound,
                   IndexOf&& index_of, bool& any_present) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] == '{') {
        std::size_t close = text.find('}', i);
        if (close == std::string::npos) break;
        std::size_t k = index_of(std::string_view(text).substr(i + 1, close - i - 1));
        if (k < def.params.size()) {
          if (!empty_value(bound[k])) any_present = true;
          out += arg_text(def.params[k], bound[k]);
        }
        i = close + 1;
        continue;
      }
      out += text[i++];
    }
    return out;
  }

  std::string arg_text(const ast::Param& param, const ast::Expr* value) {
    if (!value) return spaced(param.name);
    if (param.type == "money" && value->kind == ast::ExprKind::name) return base_name(p_, value->text);
    // Codes given where materials are meant: the materials classified there.
    if (param.type == "materials" && type_of(*value) == Type::codes) return "materials of " + expr(*value);
    return expr(*value);
  }
};

}  // namespace

std::string render_codes(const std::vector<ast::CodeItem>& items) {
  // Group consecutive items of the same level: "headings 72.08 through 72.17 and 72.19".
  std::vector<std::string> groups;
  std::string current_noun;
  std::vector<std::string> current;
  bool plural = false;
  auto flush = [&]() {
    if (current.empty()) return;
    groups.push_back(fmt::format("{}{} {}", current_noun, plural ? "s" : "", join_and(current)));
    current.clear();
    plural = false;
  };
  for (const auto& item : items) {
    std::size_t digits = std::count_if(item.first.begin(), item.first.end(), [](char c) { return c >= '0' && c <= '9'; });
    std::string noun = level_noun(item, digits);
    if (noun != current_noun) {
      flush();
      current_noun = noun;
    }
    if (item.last.empty()) {
      current.push_back(dotted(item.first));
    } else {
      current.push_back(fmt::format("{} through {}", dotted(item.first), dotted(item.last)));
      plural = true;
    }
    if (current.size() > 1) plural = true;
  }
  flush();
  return join_and(groups);
}

std::string render_scope(const ast::Scope& scope) {
  std::string out = (scope.ex ? "ex " : "") + render_codes(scope.codes);
  if (scope.description) out += fmt::format(" ({})", *scope.description);
  return out;
}

namespace {
// A wording that says "non-originating {on}" given non-originating materials.
std::string tidy(std::string text) {
  for (std::size_t at; (at = text.find("non-originating non-originating")) != std::string::npos;)
    text.erase(at, std::string_view("non-originating ").size());
  return text;
}
}  // namespace

std::string render_expr(const Program& program, const ast::Expr& expr) { return tidy(Renderer(program).expr(expr)); }

std::string render_rule(const Program& program, const RuleEntry& rule) {
  std::string text;
  if (!rule.follows.empty()) {
    std::vector<std::string> parts;
    for (const auto& arg : rule.rule->body.args) parts.push_back(render_codes(arg.codes));
    text = fmt::format("the rule of {} (HS {})", join_and(parts), program.agreement.hs_edition);
  } else {
    text = tidy(Renderer(program).expr(rule.rule->body));
  }
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string rule_citation(const Program& program, const RuleEntry& rule) {
  if (rule.rule->cite) return *rule.rule->cite;
  std::string chapter;
  if (!rule.rule->scope.codes.empty()) {
    if (auto code = HsCode::parse(rule.rule->scope.codes.front().first, nullptr, 2))
      chapter = fmt::format("Chapter {}", code->chapter_number());
  }
  if (program.agreement.citation.empty()) return chapter;
  return chapter.empty() ? program.agreement.citation : program.agreement.citation + ", " + chapter;
}

}  // namespace roo
