// Name resolution and static checks: every name defined once and known,
// every expression well typed, every HS code real, every percentage between 0
// and 100, no definition that refers to itself, no two rules of equal
// specificity that can apply to the same product at once.
#include <algorithm>
#include <functional>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "grammar/parse.hpp"
#include "interpreter/core/iso.hpp"
#include "interpreter/core/sha256.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/lang/program.hpp"

namespace roo {

std::string_view type_name(Type t) noexcept {
  switch (t) {
    case Type::error: return "error";
    case Type::boolean: return "bool";
    case Type::number: return "number";
    case Type::percent: return "percent";
    case Type::money: return "money";
    case Type::weight: return "weight";
    case Type::text: return "text";
    case Type::codes: return "codes";
    case Type::materials: return "materials";
    case Type::material: return "material";
    case Type::process: return "process";
    case Type::processes: return "processes";
    case Type::level: return "level";
    case Type::empty: return "none";
    case Type::product: return "product";
    case Type::module: return "module";
  }
  return "error";
}

std::optional<Type> type_from_name(std::string_view name) noexcept {
  for (Type t : {Type::boolean, Type::number, Type::percent, Type::money, Type::weight, Type::text, Type::codes,
                 Type::materials, Type::material, Type::process, Type::processes, Type::level})
    if (type_name(t) == name) return t;
  return std::nullopt;
}

namespace {

// The line and column of an offset in a unit (indexed once check_sources has run).
LineInfo locate_in(const SourceUnit& unit, std::size_t offset) {
  return unit.lines.locate(offset);
}

}  // namespace

Diagnostic diagnostic_at(const SourceUnit& unit, ast::Span span, std::string code, std::string message,
                         Severity severity) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = unit.name;
  auto at = locate_in(unit, span.begin);
  d.line = at.line;
  d.column = at.column;
  d.length = span.end > span.begin ? span.end - span.begin : 1;
  // Underline within the first line only.
  if (at.column - 1 + d.length > at.text.size())
    d.length = static_cast<std::uint32_t>(std::max<std::size_t>(1, at.text.size() - (at.column - 1)));
  set_source_line(d, at.text);
  return d;
}

std::string format_ref(const SourceRef& ref) {
  if (!ref.unit) return "<unknown>";
  auto at = locate_in(*ref.unit, ref.span.begin);
  return fmt::format("{}:{}:{}", ref.unit->name, at.line, at.column);
}

bool AgreementSettings::is_party(std::string_view code) const {
  if (std::binary_search(party_codes.begin(), party_codes.end(), code, std::less<>())) return true;
  if (is_eu_member_state(code) && std::binary_search(party_codes.begin(), party_codes.end(), "EU", std::less<>()))
    return true;
  return std::any_of(parties.begin(), parties.end(), [&](const std::string& p) { return p == code && groups.count(p); });
}

const Symbol* Program::lookup(std::string_view name) const {
  std::string key(name);
  if (auto it = agreement_scope.find(key); it != agreement_scope.end()) return &it->second;
  if (auto it = globals.find(key); it != globals.end()) return &it->second;
  return nullptr;
}

std::vector<Program::Candidate> Program::candidates(const HsCode& code) const {
  std::vector<Candidate> out;
  for (const auto& entry : rules) {
    std::uint64_t best = 0;
    bool found = false;
    for (const auto& item : entry.items) {
      if (item.interval.low <= code.low10() && code.high10() <= item.interval.high) {
        if (!found || item.width < best) best = item.width;
        found = true;
      }
    }
    if (found) out.push_back({&entry, best});
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.width < b.width; });
  return out;
}

namespace {

// "std.NAME": the key under which a stdlib definition stays reachable when an
// agreement redefines NAME.
std::string qualified(std::string_view name) {
  std::string key = "std.";
  key.append(name);
  return key;
}

// Built-in functions: name, parameter types, result.
struct Builtin {
  std::string_view name;
  std::vector<Type> params;
  Type result;
};
const std::vector<Builtin>& builtin_functions() {
  static const std::vector<Builtin> list = {
      {"value", {Type::materials}, Type::money},
      {"vnm", {Type::materials}, Type::money},
      {"vom", {Type::materials}, Type::money},
      {"weight", {Type::materials}, Type::weight},
      {"count", {Type::materials}, Type::number},
      {"total", {Type::materials, Type::text}, Type::number},
      {"changes", {Type::material, Type::level}, Type::boolean},
      {"performed", {Type::process}, Type::boolean},
      {"performed_count", {Type::processes}, Type::number},
  };
  return list;
}

struct BuiltinValue {
  std::string_view name;
  Type type;
};
constexpr BuiltinValue builtin_values[] = {
    {"materials", Type::materials},       {"non_originating", Type::materials}, {"originating", Type::materials},
    {"none", Type::empty},                {"product", Type::product},           {"price", Type::money},
    {"ex_works", Type::money},            {"fob", Type::money},                 {"transaction_value", Type::money},
    {"adjusted_value", Type::money},      {"net_cost", Type::money},            {"total_cost", Type::money},
    {"weight", Type::weight},             {"chapter", Type::level},             {"heading", Type::level},
    {"subheading", Type::level},          {"tariff_line", Type::level},
};

// Members of the product and of a material: name -> (argument type or error for none, result).
struct Member {
  std::string_view name;
  bool takes_text;
  Type result;
};
constexpr Member product_members[] = {
    {"hs", false, Type::codes},         {"chapter", false, Type::codes},     {"heading", false, Type::codes},
    {"subheading", false, Type::codes}, {"weight", false, Type::weight},     {"wholly_obtained", false, Type::boolean},
    {"processes", false, Type::processes}, {"is", true, Type::boolean},       {"attribute", true, Type::text},
    {"number", true, Type::number},
};
constexpr Member material_members[] = {
    {"hs", false, Type::codes},          {"value", false, Type::money},   {"weight", false, Type::weight},
    {"originating", false, Type::boolean}, {"wholly_obtained", false, Type::boolean}, {"is", true, Type::boolean},
    {"attribute", true, Type::text},     {"number", true, Type::number},
};

bool is_numeric(Type t) { return t == Type::number || t == Type::percent || t == Type::money || t == Type::weight; }
bool is_set(Type t) { return t == Type::codes || t == Type::materials || t == Type::processes; }

// `from` may be used where `to` is expected.
bool assignable(Type from, Type to) {
  if (from == to || from == Type::error || to == Type::error) return true;
  if (from == Type::empty) return is_set(to);
  if (from == Type::codes && to == Type::materials) return true;  // the materials classified there
  if (from == Type::process && to == Type::processes) return true;
  return false;
}

// Lexical scope: parameters, quantifier variables, `it`.
struct Env {
  const Env* parent = nullptr;
  std::vector<Symbol> names;
  bool has_it = false;

  const Symbol* find(std::string_view name) const {
    for (const Env* e = this; e; e = e->parent)
      for (const auto& s : e->names)
        if (s.name == name) return &s;
    return nullptr;
  }
  bool it_available() const {
    for (const Env* e = this; e; e = e->parent)
      if (e->has_it) return true;
    return false;
  }
};

class Checker {
public:
  Checker(Program& program, std::vector<Diagnostic>& diags) : p_(program), diags_(diags) {}

  void run() {
    declare_builtins();
    for (const auto& unit : p_.units) declare_unit(*unit);
    for (const auto& unit : p_.units) check_unit(*unit);
    if (check_cycles()) check_expansion();
    check_not_empty();
  }

private:
  Program& p_;
  std::vector<Diagnostic>& diags_;
  const SourceUnit* unit_ = nullptr;  // the unit being checked
  // Built-in symbols live in the program: ExprInfo points at them.
  std::unordered_map<std::string, Symbol>& builtins_ = p_.builtins;
  std::unordered_map<std::string, Symbol>& builtin_calls_ = p_.builtin_calls;
  std::unordered_map<const ast::LetDef*, Type> let_types_;
  std::unordered_set<const ast::LetDef*> lets_in_progress_;
  // Dependency edges between definitions, for cycle detection.
  std::map<const void*, std::vector<std::pair<const void*, ast::Span>>> edges_;
  std::map<const void*, std::pair<std::string, const SourceUnit*>> def_names_;
  const void* current_def_ = nullptr;
  // Definitions in dependency order (each after those it uses), from check_cycles.
  std::vector<const void*> def_order_;
  std::unordered_map<const void*, const ast::CriterionDef*> criteria_;
  std::unordered_map<const void*, const ast::LetDef*> lets_;
  std::size_t let_depth_ = 0;  // let_type's recursion
  bool let_depth_reported_ = false;
  std::set<std::string> stdlib_imported_;
  // The `rules { ... }` blocks of included files, in the order they were read:
  // checked with the agreement, after its own items.
  std::vector<std::pair<const SourceUnit*, const ast::Agreement*>> parts_;

  // Rules that decide nothing must not pass: an agreement without a rule
  // would make every product undetermined, and an empty file is a mistake.
  void check_not_empty() {
    if (p_.agreement_ast) {
      auto holds_rule = [](const ast::Agreement& a) {
        return std::any_of(a.items.begin(), a.items.end(),
                           [](const ast::AgreementItem& i) { return std::holds_alternative<ast::Rule>(i); });
      };
      bool has_rule = holds_rule(*p_.agreement_ast) ||
                      std::any_of(parts_.begin(), parts_.end(), [&](const auto& part) { return holds_rule(*part.second); });
      if (!has_rule)
        report(p_.agreement_unit, p_.agreement_ast->title_span, "roo-no-rules",
               "this agreement has no rule: every product would be undetermined");
      return;
    }
    // The entry file: the first that is not the stdlib.
    for (const auto& unit : p_.units) {
      if (unit->is_stdlib) continue;
      if (unit->file.items.empty())
        report(unit.get(), ast::Span{0, 0}, "roo-empty", "the file holds no agreement and no definition");
      break;
    }
  }

  // ---- reporting ----

  Diagnostic& report(const SourceUnit* unit, ast::Span span, std::string code, std::string message,
                     Severity severity = Severity::error) {
    if (unit) {
      diags_.push_back(diagnostic_at(*unit, span, std::move(code), std::move(message), severity));
    } else {
      Diagnostic d;
      d.severity = severity;
      d.code = std::move(code);
      d.message = std::move(message);
      diags_.push_back(std::move(d));
    }
    return diags_.back();
  }
  Diagnostic& report(ast::Span span, std::string code, std::string message) {
    return report(unit_, span, std::move(code), std::move(message));
  }
  std::string where_is(const SourceUnit* unit, ast::Span span) { return format_ref(SourceRef{unit, span}); }

  ExprInfo& note(const ast::Expr& e, Type t, const Symbol* s = nullptr) {
    ExprInfo& info = p_.info[&e];
    info.type = t;
    info.symbol = s;
    return info;
  }

  // ---- declarations ----

  void declare_builtins() {
    for (const auto& v : builtin_values) {
      Symbol s;
      s.kind = Symbol::Kind::builtin_value;
      s.name = v.name;
      s.type = v.type;
      builtins_[s.name] = s;
    }
    for (const auto& f : builtin_functions()) {
      Symbol s;
      s.kind = Symbol::Kind::builtin_function;
      s.name = f.name;
      s.type = f.result;
      builtin_calls_[s.name] = s;
      if (!builtins_.count(s.name)) builtins_[s.name] = s;  // `weight` is both a value and a function
    }
    Symbol std_module;
    std_module.kind = Symbol::Kind::module;
    std_module.name = "std";
    std_module.type = Type::module;
    builtins_["std"] = std_module;
  }

  bool declare(std::unordered_map<std::string, Symbol>& table, Symbol symbol, ast::Span span) {
    if (builtins_.count(symbol.name) && symbol.name != "std") {
      report(symbol.unit, span, "roo-duplicate", fmt::format("'{}' is a built-in name and cannot be redefined", symbol.name));
      return false;
    }
    auto it = table.find(symbol.name);
    if (it != table.end()) {
      // The stdlib may be redefined by an agreement's own files, not within itself.
      bool redefines_stdlib = it->second.unit && it->second.unit->is_stdlib && symbol.unit && !symbol.unit->is_stdlib;
      if (!redefines_stdlib) {
        auto& d = report(symbol.unit, span, "roo-duplicate", fmt::format("'{}' is defined twice", symbol.name));
        ast::Span first = it->second.criterion ? it->second.criterion->name_span
                          : it->second.let     ? it->second.let->name_span
                                               : ast::Span{};
        d.notes.push_back(fmt::format("first defined at {}", where_is(it->second.unit, first)));
        return false;
      }
    }
    if (symbol.unit && symbol.unit->is_stdlib && &table == &p_.globals) table[qualified(symbol.name)] = symbol;
    table[symbol.name] = std::move(symbol);
    return true;
  }

  void declare_definition(std::unordered_map<std::string, Symbol>& table, const SourceUnit& unit,
                          const ast::CriterionDef& c) {
    Symbol s;
    s.kind = Symbol::Kind::criterion;
    s.name = c.name;
    s.unit = &unit;
    s.criterion = &c;
    s.type = Type::boolean;
    def_names_[&c] = {c.name, &unit};
    criteria_[&c] = &c;
    declare(table, std::move(s), c.name_span);
  }
  void declare_definition(std::unordered_map<std::string, Symbol>& table, const SourceUnit& unit, const ast::LetDef& l) {
    Symbol s;
    s.kind = Symbol::Kind::let;
    s.name = l.name;
    s.unit = &unit;
    s.let = &l;
    def_names_[&l] = {l.name, &unit};
    lets_[&l] = &l;
    declare(table, std::move(s), l.name_span);
  }

  void declare_unit(const SourceUnit& unit) {
    for (const auto& item : unit.file.items) {
      if (auto c = std::get_if<ast::CriterionDef>(&item)) {
        declare_definition(p_.globals, unit, *c);
      } else if (auto l = std::get_if<ast::LetDef>(&item)) {
        declare_definition(p_.globals, unit, *l);
      } else if (auto proc = std::get_if<ast::ProcessDecl>(&item)) {
        for (std::size_t i = 0; i < proc->names.size(); ++i) {
          Symbol s;
          s.kind = Symbol::Kind::process;
          s.name = proc->names[i];
          s.unit = &unit;
          s.type = Type::process;
          declare(p_.globals, std::move(s), proc->name_spans[i]);
        }
      } else if (auto a = std::get_if<ast::Agreement>(&item); a && a->part) {
        parts_.push_back({&unit, a});
        for (const auto& ai : a->items) {
          if (auto c2 = std::get_if<ast::CriterionDef>(&ai)) declare_definition(p_.agreement_scope, unit, *c2);
          else if (auto l2 = std::get_if<ast::LetDef>(&ai)) declare_definition(p_.agreement_scope, unit, *l2);
        }
      } else if (a) {
        if (p_.agreement_ast) {
          report(&unit, a->title_span, "roo-duplicate", "a file holds one agreement; this is a second one")
              .notes.push_back(fmt::format("the first starts at {}", where_is(p_.agreement_unit, p_.agreement_ast->title_span)));
          continue;
        }
        p_.agreement_ast = a;
        p_.agreement_unit = &unit;
        for (const auto& ai : a->items) {
          if (auto c2 = std::get_if<ast::CriterionDef>(&ai)) declare_definition(p_.agreement_scope, unit, *c2);
          else if (auto l2 = std::get_if<ast::LetDef>(&ai)) declare_definition(p_.agreement_scope, unit, *l2);
        }
      }
    }
  }

  // ---- lookup ----

  const Symbol* lookup(std::string_view name, const Env& env) const {
    if (const Symbol* s = env.find(name)) return s;
    // Inside the stdlib, names mean the stdlib's own definitions, whatever an
    // agreement redefines.
    if (unit_ && unit_->is_stdlib) {
      if (auto it = p_.globals.find(qualified(name)); it != p_.globals.end()) return &it->second;
    }
    if (const Symbol* s = p_.lookup(name)) return s;
    if (auto it = builtins_.find(std::string(name)); it != builtins_.end()) return &it->second;
    return nullptr;
  }

  std::vector<std::string_view> visible_names(const Env& env) const {
    std::vector<std::string_view> names;
    for (const Env* e = &env; e; e = e->parent)
      for (const auto& s : e->names) names.push_back(s.name);
    for (const auto& [n, s] : p_.agreement_scope) names.push_back(n);
    for (const auto& [n, s] : p_.globals)
      if (n.rfind("std.", 0) != 0) names.push_back(n);
    for (const auto& [n, s] : builtins_) names.push_back(n);
    std::sort(names.begin(), names.end());
    return names;
  }

  void unknown_name(const ast::Expr& e, std::string_view name, const Env& env, std::string_view what = "name") {
    auto& d = report(e.span, "roo-unknown-name", fmt::format("unknown {} '{}'", what, name));
    auto nearest = nearest_name(name, visible_names(env));
    if (!nearest.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", nearest));
  }

  void add_edge(const void* to, ast::Span at) {
    if (current_def_ && to) edges_[current_def_].push_back({to, at});
  }

  // ---- HS codes ----

  std::optional<HsSet> check_codes(const std::vector<ast::CodeItem>& items) {
    HsSet set;
    bool ok = true;
    for (const auto& item : items) {
      auto parse_one = [&](const std::string& text, ast::Span span) -> std::optional<HsCode> {
        std::string why;
        auto code = HsCode::parse(text, &why, 2);
        if (!code) {
          report(span, "roo-hs", why);
          return std::nullopt;
        }
        return code;
      };
      auto first = parse_one(item.first, item.first_span);
      std::optional<HsCode> last;
      if (!item.last.empty()) last = parse_one(item.last, item.last_span);
      if (!first || (!item.last.empty() && !last)) {
        ok = false;
        continue;
      }
      if (!item.level.empty()) {
        int want = item.level.rfind("chapter", 0) == 0 ? 2 : item.level.rfind("subheading", 0) == 0 ? 6 : 4;
        for (const auto& [code, span] : {std::pair{*first, item.first_span}, std::pair{last.value_or(*first), item.last_span}}) {
          if (code.length() != want) {
            report(span, "roo-hs",
                   fmt::format("'{}' has {} digits, but '{}' calls for {} digits", code.digits(), code.length(), item.level, want));
            ok = false;
          }
          if (item.last.empty()) break;
        }
      }
      if (last) {
        if (last->high10() < first->low10()) {
          report(item.span, "roo-hs", fmt::format("the range {}..{} is empty: it ends before it starts", item.first, item.last));
          ok = false;
          continue;
        }
        set.add(HsRange{*first, *last});
      } else {
        set.add(*first);
      }
    }
    if (!ok) return std::nullopt;
    return set;
  }

  // An integer literal used where codes are expected ("CTH except 8503").
  std::optional<HsSet> literal_as_codes(const ast::Expr& e) {
    if (e.kind != ast::ExprKind::number || e.text.find('.') != std::string::npos) return std::nullopt;
    std::string why;
    auto code = HsCode::parse(e.text, &why, 2);
    if (!code) {
      report(e.span, "roo-hs", why);
      return HsSet{};
    }
    HsSet set;
    set.add(*code);
    return set;
  }

  // ---- expressions ----

  void expect(const ast::Expr& e, Type got, Type want, std::string_view context) {
    if (!assignable(got, want))
      report(e.span, "roo-type", fmt::format("{} must be {}, but this is {}", context, describe(want), describe(got)));
  }

  static std::string describe(Type t) {
    switch (t) {
      case Type::boolean: return "a condition";
      case Type::number: return "a number";
      case Type::percent: return "a percentage";
      case Type::money: return "an amount of money";
      case Type::weight: return "a weight";
      case Type::text: return "a text";
      case Type::codes: return "HS codes";
      case Type::materials: return "a set of materials";
      case Type::material: return "a material";
      case Type::process: return "a process";
      case Type::processes: return "a list of processes";
      case Type::level: return "a level (chapter, heading, subheading)";
      case Type::empty: return "'none'";
      case Type::product: return "the product";
      case Type::module: return "a module";
      case Type::error: return "an error";
    }
    return "a value";
  }

  // Checks `e` where a value of type `want` is expected (error: no expectation).
  Type check_as(const ast::Expr& e, Type want, const Env& env, std::string_view context) {
    if (want == Type::codes || want == Type::materials) {
      if (auto codes = literal_as_codes(e)) {
        ExprInfo& info = note(e, Type::codes);
        info.codes = std::move(codes);
        return Type::codes;
      }
    }
    Type got = check(e, env);
    if (want != Type::error) expect(e, got, want, context);
    return got;
  }

  Type check_name(const ast::Expr& e, const Env& env) {
    const Symbol* s = lookup(e.text, env);
    if (!s) {
      unknown_name(e, e.text, env);
      return note(e, Type::error).type;
    }
    return name_type(e, *s, env);
  }

  Type name_type(const ast::Expr& e, const Symbol& s, const Env& env) {
    (void)env;
    switch (s.kind) {
      case Symbol::Kind::criterion: {
        add_edge(s.criterion, e.span);
        for (const auto& prm : s.criterion->params) {
          if (!prm.default_value) {
            report(e.span, "roo-arity",
                   fmt::format("'{}' needs its argument '{}': write {}(...)", s.name, prm.name, s.name));
            break;
          }
        }
        return note(e, Type::boolean, &s).type;
      }
      case Symbol::Kind::let:
        add_edge(s.let, e.span);
        return note(e, let_type(s), &s).type;
      case Symbol::Kind::builtin_function:
        report(e.span, "roo-arity", fmt::format("'{}' is a function: call it as {}(...)", s.name, s.name));
        return note(e, Type::error).type;
      case Symbol::Kind::param:
      case Symbol::Kind::variable:
        return note(e, s.type).type;  // scoped names: the compiler resolves them itself
      default:
        return note(e, s.type, &s).type;
    }
  }

  Type let_type(const Symbol& s) {
    const ast::LetDef* let = s.let;
    if (auto it = let_types_.find(let); it != let_types_.end()) return it->second;
    if (lets_in_progress_.count(let)) return Type::error;  // a cycle: reported by check_cycles
    // A chain of lets, each using the next, is typed by recursion: a long one
    // is refused before it exhausts the stack.
    if (let_depth_ >= max_definition_depth) {
      if (!let_depth_reported_)
        report(s.unit, let->name_span, "roo-too-complex",
               fmt::format("'{}' is reached through more than {} definitions, each using the next", let->name,
                           max_definition_depth));
      let_depth_reported_ = true;
      return let_types_[let] = Type::error;
    }
    lets_in_progress_.insert(let);
    ++let_depth_;
    const SourceUnit* saved_unit = unit_;
    const void* saved_def = current_def_;
    unit_ = s.unit;
    current_def_ = let;
    Env env;
    Type t = check(let->value, env);
    if (t == Type::empty) t = Type::empty;
    unit_ = saved_unit;
    current_def_ = saved_def;
    --let_depth_;
    lets_in_progress_.erase(let);
    let_types_[let] = t;
    return t;
  }

  Type check_member(const ast::Expr& e, const Env& env) {
    const ast::Expr& object = e.args.front();
    // std.NAME
    if (object.kind == ast::ExprKind::name && object.text == "std" && !env.find("std")) {
      note(object, Type::module);
      auto it = p_.globals.find(qualified(e.text));
      if (it == p_.globals.end()) {
        std::vector<std::string_view> names;
        for (const auto& [n, s] : p_.globals)
          if (n.rfind("std.", 0) == 0) names.push_back(std::string_view(n).substr(4));
        auto& d = report(e.span, "roo-unknown-name", fmt::format("the stdlib has no '{}'", e.text));
        auto nearest = nearest_name(e.text, names);
        if (!nearest.empty()) d.notes.push_back(fmt::format("did you mean 'std.{}'?", nearest));
        return note(e, Type::error).type;
      }
      if (e.call_parens) return check_call_to(e, it->second, env, 1);
      return name_type(e, it->second, env);
    }
    Type ot = check(object, env);
    if (ot == Type::error) return note(e, Type::error).type;
    const Member* begin = nullptr;
    const Member* end = nullptr;
    if (ot == Type::product) {
      begin = std::begin(product_members);
      end = std::end(product_members);
    } else if (ot == Type::material) {
      begin = std::begin(material_members);
      end = std::end(material_members);
    } else {
      report(e.span, "roo-type", fmt::format("{} has no members; '.{}' applies to the product or a material", describe(ot), e.text));
      return note(e, Type::error).type;
    }
    const Member* m = std::find_if(begin, end, [&](const Member& x) { return x.name == e.text; });
    if (m == end) {
      std::vector<std::string_view> names;
      for (auto* x = begin; x != end; ++x) names.push_back(x->name);
      auto& d = report(e.span, "roo-unknown-name",
                       fmt::format("{} has no member '{}'", ot == Type::product ? "the product" : "a material", e.text));
      auto nearest = nearest_name(e.text, names);
      if (!nearest.empty()) d.notes.push_back(fmt::format("did you mean '.{}'?", nearest));
      return note(e, Type::error).type;
    }
    std::size_t nargs = e.args.size() - 1;
    if (m->takes_text) {
      if (!e.call_parens || nargs != 1) {
        report(e.span, "roo-arity", fmt::format("'.{}' takes one text argument: .{}(\"name\")", e.text, e.text));
        return note(e, Type::error).type;
      }
      check_as(e.args[1], Type::text, env, fmt::format("the argument of '.{}'", e.text));
    } else if (e.call_parens) {
      report(e.span, "roo-arity", fmt::format("'.{}' takes no arguments", e.text));
    }
    return note(e, m->result).type;
  }

  // A call `e` to symbol `s`; arguments start at e.args[first_arg] (1 for member calls).
  Type check_call_to(const ast::Expr& e, const Symbol& s, const Env& env, std::size_t first_arg,
                     const ast::Expr* extra_excluded = nullptr) {
    if (s.kind == Symbol::Kind::builtin_function) {
      const Builtin* b = nullptr;
      for (const auto& f : builtin_functions())
        if (f.name == s.name) b = &f;
      std::size_t nargs = e.args.size() - first_arg;
      if (nargs != b->params.size()) {
        report(e.span, "roo-arity", fmt::format("'{}' takes {} argument{}, not {}", s.name, b->params.size(),
                                                b->params.size() == 1 ? "" : "s", nargs));
      }
      for (std::size_t i = 0; i < nargs; ++i) {
        if (!e.arg_names[first_arg + i].empty())
          report(e.args[first_arg + i].span, "roo-arity", fmt::format("'{}' takes positional arguments only", s.name));
        Type want = i < b->params.size() ? b->params[i] : Type::error;
        check_as(e.args[first_arg + i], want, env, fmt::format("argument {} of '{}'", i + 1, s.name));
      }
      return note(e, b->result, &s).type;
    }
    if (s.kind != Symbol::Kind::criterion) {
      report(e.span, "roo-type", fmt::format("'{}' is not a criterion and cannot be called", s.name));
      for (std::size_t i = first_arg; i < e.args.size(); ++i) check(e.args[i], env);
      return note(e, Type::error).type;
    }
    add_edge(s.criterion, e.span);
    const auto& params = s.criterion->params;
    std::vector<bool> bound(params.size(), false);
    bool positional_allowed = true;
    for (std::size_t i = first_arg; i < e.args.size(); ++i) {
      const std::string& arg_name = e.arg_names[i];
      std::size_t index = params.size();
      if (arg_name.empty()) {
        if (!positional_allowed) {
          report(e.args[i].span, "roo-arity", "a positional argument cannot follow a named one");
        }
        std::size_t pos = i - first_arg;
        if (pos >= params.size()) {
          report(e.args[i].span, "roo-arity",
                 fmt::format("'{}' takes at most {} argument{}", s.name, params.size(), params.size() == 1 ? "" : "s"));
          check(e.args[i], env);
          continue;
        }
        index = pos;
      } else {
        positional_allowed = false;
        for (std::size_t k = 0; k < params.size(); ++k)
          if (params[k].name == arg_name) index = k;
        if (index == params.size()) {
          std::vector<std::string_view> names;
          for (const auto& prm : params) names.push_back(prm.name);
          auto& d = report(e.args[i].span, "roo-unknown-name", fmt::format("'{}' has no parameter '{}'", s.name, arg_name));
          auto nearest = nearest_name(arg_name, names);
          if (!nearest.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", nearest));
          check(e.args[i], env);
          continue;
        }
      }
      if (bound[index]) report(e.args[i].span, "roo-arity", fmt::format("argument '{}' is given twice", params[index].name));
      bound[index] = true;
      auto want = type_from_name(params[index].type).value_or(Type::error);
      check_as(e.args[i], want, env, fmt::format("argument '{}' of '{}'", params[index].name, s.name));
    }
    if (extra_excluded) {
      std::size_t index = params.size();
      for (std::size_t k = 0; k < params.size(); ++k)
        if (params[k].name == "excluded") index = k;
      if (index == params.size()) {
        report(extra_excluded->span, "roo-type",
               fmt::format("'{}' has no 'excluded' parameter, so 'except' cannot apply to it", s.name));
      } else {
        if (bound[index]) report(extra_excluded->span, "roo-arity", "the exclusions are given twice");
        bound[index] = true;
        Type t = check_as(*extra_excluded, Type::materials, env, "what follows 'except'");
        (void)t;
      }
    }
    for (std::size_t k = 0; k < params.size(); ++k) {
      if (!bound[k] && !params[k].default_value)
        report(e.span, "roo-arity", fmt::format("'{}' needs its argument '{}'", s.name, params[k].name));
    }
    return note(e, Type::boolean, &s).type;
  }

  // The criterion symbol an `except` applies to, when its left side names one.
  const Symbol* criterion_of(const ast::Expr& e, const Env& env) {
    const ast::Expr* target = &e;
    if (e.kind == ast::ExprKind::member && e.args.front().kind == ast::ExprKind::name && e.args.front().text == "std") {
      auto it = p_.globals.find(qualified(e.text));
      return it != p_.globals.end() && it->second.kind == Symbol::Kind::criterion ? &it->second : nullptr;
    }
    if (target->kind != ast::ExprKind::name && target->kind != ast::ExprKind::call) return nullptr;
    const Symbol* s = lookup(target->text, env);
    return s && s->kind == Symbol::Kind::criterion ? s : nullptr;
  }

  Type check(const ast::Expr& e, const Env& env) {
    using K = ast::ExprKind;
    switch (e.kind) {
      case K::number:
        return note(e, Type::number).type;
      case K::percent: {
        auto value = Decimal::parse(e.text);
        if (!value || *value > Decimal::from_int(100))
          report(e.span, "roo-percent", fmt::format("{}% is not a percentage between 0% and 100%", e.text));
        return note(e, Type::percent).type;
      }
      case K::string:
        return note(e, Type::text).type;
      case K::boolean:
        return note(e, Type::boolean).type;
      case K::codes: {
        ExprInfo& info = note(e, Type::codes);
        auto codes = check_codes(e.codes);
        p_.info[&e].codes = codes ? std::move(*codes) : HsSet{};
        (void)info;
        return Type::codes;
      }
      case K::list: {
        if (e.args.empty()) return note(e, Type::empty).type;
        for (const auto& a : e.args) {
          Type t = check(a, env);
          if (t != Type::process && t != Type::error)
            report(a.span, "roo-type", fmt::format("a list holds processes (codes go in a code list), but this is {}", describe(t)));
        }
        return note(e, Type::processes).type;
      }
      case K::name:
        return check_name(e, env);
      case K::it:
        if (!env.it_available()) {
          report(e.span, "roo-unknown-name", "'it' stands for each material of a 'where' filter and is only meaningful there");
          return note(e, Type::error).type;
        }
        return note(e, Type::material).type;
      case K::member:
        return check_member(e, env);
      case K::call: {
        const Symbol* s = lookup(e.text, env);
        // `weight` is the product's weight as a value and the total weight of a set as a call.
        if (s && s->kind == Symbol::Kind::builtin_value) {
          if (auto it = builtin_calls_.find(e.text); it != builtin_calls_.end()) s = &it->second;
        }
        if (!s && e.text == "rule_of") {
          report(e.span, "roo-rule-of", "rule_of is the whole body of a rule (the rule of other codes), not a condition to combine");
          return note(e, Type::error).type;
        }
        if (!s) {
          unknown_name(e, e.text, env, "criterion or function");
          for (const auto& a : e.args) check(a, env);
          return note(e, Type::error).type;
        }
        return check_call_to(e, *s, env, 0);
      }
      case K::not_:
        check_as(e.args[0], Type::boolean, env, "the operand of 'not'");
        return note(e, Type::boolean).type;
      case K::and_:
      case K::or_:
        for (const auto& a : e.args)
          check_as(a, Type::boolean, env, e.kind == K::and_ ? "each side of 'and'" : "each alternative of 'or'");
        return note(e, Type::boolean).type;
      case K::compare: {
        Type a = check(e.args[0], env);
        Type b = check(e.args[1], env);
        if (a != Type::error && b != Type::error) {
          bool equality = e.text == "==" || e.text == "!=";
          bool ok = (is_numeric(a) && a == b) || (equality && a == b && (a == Type::text || a == Type::boolean)) ||
                    (is_numeric(a) && is_numeric(b) && (a == Type::number || b == Type::number) &&
                     (a == Type::percent || b == Type::percent));
          if (!ok)
            report(e.span, "roo-type", fmt::format("cannot compare {} with {}", describe(a), describe(b)));
        }
        return note(e, Type::boolean).type;
      }
      case K::in:
      case K::not_in: {
        Type a = check(e.args[0], env);
        Type want = a == Type::codes      ? Type::codes
                    : a == Type::material ? Type::materials
                    : a == Type::process  ? Type::processes
                                          : Type::error;
        if (a != Type::error && want == Type::error)
          report(e.args[0].span, "roo-type",
                 fmt::format("'in' tests HS codes, a material or a process, but this is {}", describe(a)));
        check_as(e.args[1], want, env, "the right side of 'in'");
        return note(e, Type::boolean).type;
      }
      case K::add:
      case K::sub: {
        Type a = check(e.args[0], env);
        Type b = check(e.args[1], env);
        if (a == Type::error || b == Type::error) return note(e, Type::error).type;
        if ((a == Type::materials || a == Type::codes) && assignable(b, Type::materials))
          return note(e, Type::materials).type;
        if (is_numeric(a) && a == b) return note(e, a).type;
        report(e.span, "roo-type", fmt::format("cannot {} {} and {}", e.kind == K::add ? "add" : "subtract", describe(a), describe(b)));
        return note(e, Type::error).type;
      }
      case K::mul: {
        Type a = check(e.args[0], env);
        Type b = check(e.args[1], env);
        if (a == Type::error || b == Type::error) return note(e, Type::error).type;
        auto scalar = [](Type t) { return t == Type::number || t == Type::percent; };
        if (scalar(a) && is_numeric(b)) return note(e, b).type;
        if (is_numeric(a) && scalar(b)) return note(e, a).type;
        report(e.span, "roo-type", fmt::format("cannot multiply {} by {}", describe(a), describe(b)));
        return note(e, Type::error).type;
      }
      case K::of: {
        Type a = check(e.args[0], env);
        if (a == Type::percent) {
          Type b = check(e.args[1], env);
          if (b != Type::error && b != Type::money && b != Type::weight && b != Type::number)
            report(e.args[1].span, "roo-type", fmt::format("a percentage is taken of an amount, a weight or a number, not of {}", describe(b)));
          return note(e, b == Type::error ? Type::error : b).type;
        }
        if (a == Type::materials || a == Type::codes) {
          check_as(e.args[1], Type::codes, env, "what follows 'of'");
          return note(e, Type::materials).type;
        }
        check(e.args[1], env);
        if (a != Type::error)
          report(e.args[0].span, "roo-type", fmt::format("'of' takes a percentage or a set of materials on its left, not {}", describe(a)));
        return note(e, Type::error).type;
      }
      case K::except_: {
        if (const Symbol* s = criterion_of(e.args[0], env)) {
          const ast::Expr& lhs = e.args[0];
          if (lhs.kind == K::call) check_call_to(lhs, *s, env, 0, &e.args[1]);
          else if (lhs.kind == K::member && lhs.call_parens) check_call_to(lhs, *s, env, 1, &e.args[1]);
          else {
            // A bare name: `except` binds `excluded`; the other parameters need defaults.
            check_call_to(lhs, *s, env, lhs.kind == K::member ? 1 : 0, &e.args[1]);
          }
          return note(e, Type::boolean).type;
        }
        Type a = check(e.args[0], env);
        if (a != Type::error && a != Type::materials && a != Type::codes)
          report(e.args[0].span, "roo-type", fmt::format("'except' applies to a criterion or a set of materials, not to {}", describe(a)));
        check_as(e.args[1], Type::materials, env, "what follows 'except'");
        return note(e, a == Type::error ? Type::error : Type::materials).type;
      }
      case K::where: {
        check_as(e.args[0], Type::materials, env, "the left side of 'where'");
        Env inner;
        inner.parent = &env;
        inner.has_it = true;
        check_as(e.args[1], Type::boolean, inner, "the condition after 'where'");
        return note(e, Type::materials).type;
      }
      case K::quantifier: {
        check_as(e.args[0], Type::materials, env, "the set a quantifier ranges over");
        Env inner;
        inner.parent = &env;
        Symbol var;
        var.kind = Symbol::Kind::variable;
        var.name = e.var;
        var.type = Type::material;
        if (lookup(e.var, env) && lookup(e.var, env)->kind != Symbol::Kind::builtin_value)
          report(e.var_span, "roo-duplicate", fmt::format("'{}' is already a name here; choose another", e.var));
        inner.names.push_back(var);
        check_as(e.args[1], Type::boolean, inner, "the condition of a quantifier");
        return note(e, Type::boolean).type;
      }
    }
    return Type::error;
  }

  // ---- definitions ----

  void check_criterion(const ast::CriterionDef& c) {
    current_def_ = &c;
    Env env;
    std::set<std::string> seen;
    for (const auto& prm : c.params) {
      if (!seen.insert(prm.name).second)
        report(prm.name_span, "roo-duplicate", fmt::format("parameter '{}' is declared twice", prm.name));
      auto t = type_from_name(prm.type);
      if (!t) {
        std::vector<std::string_view> names = {"bool", "number", "percent", "money", "weight", "text", "codes",
                                               "materials", "material", "process", "processes", "level"};
        auto& d = report(prm.type_span, "roo-type", fmt::format("unknown type '{}'", prm.type));
        auto nearest = nearest_name(prm.type, names);
        if (!nearest.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", nearest));
      }
      if (prm.default_value) check_as(*prm.default_value, t.value_or(Type::error), env, fmt::format("the default of '{}'", prm.name));
      Symbol s;
      s.kind = Symbol::Kind::param;
      s.name = prm.name;
      s.type = t.value_or(Type::error);
      env.names.push_back(std::move(s));
    }
    if (!c.reports.empty() && c.reports != "nom" && c.reports != "rvc")
      report(c.reports_span, "roo-syntax", fmt::format("'reports {}': expected 'reports nom' or 'reports rvc'", c.reports));
    if (c.wording) check_wording(c, *c.wording);
    check_as(c.body, Type::boolean, env, fmt::format("the body of criterion '{}'", c.name));
    current_def_ = nullptr;
  }

  void check_wording(const ast::CriterionDef& c, const std::string& wording) {
    std::size_t i = 0;
    int depth = 0;
    while (i < wording.size()) {
      char ch = wording[i];
      if (ch == '[') ++depth;
      if (ch == ']') --depth;
      if (depth < 0 || depth > 1) {
        report(c.name_span, "roo-wording", fmt::format("the wording of '{}' has unbalanced '[' ']'", c.name));
        return;
      }
      if (ch == '{') {
        std::size_t close = wording.find('}', i);
        if (close == std::string::npos) {
          report(c.name_span, "roo-wording", fmt::format("the wording of '{}' has an unclosed '{{'", c.name));
          return;
        }
        std::string param = wording.substr(i + 1, close - i - 1);
        bool known = std::any_of(c.params.begin(), c.params.end(), [&](const ast::Param& p) { return p.name == param; });
        if (!known) report(c.name_span, "roo-wording", fmt::format("the wording of '{}' mentions {{{}}}, which is not one of its parameters", c.name, param));
        i = close;
      }
      ++i;
    }
    if (depth != 0) report(c.name_span, "roo-wording", fmt::format("the wording of '{}' has unbalanced '[' ']'", c.name));
  }

  void check_let(const ast::LetDef& l, const SourceUnit& unit) {
    Symbol s;
    s.kind = Symbol::Kind::let;
    s.name = l.name;
    s.unit = &unit;
    s.let = &l;
    let_type(s);
  }

  void check_unit(const SourceUnit& unit) {
    unit_ = &unit;
    for (const auto& item : unit.file.items) {
      if (auto c = std::get_if<ast::CriterionDef>(&item)) check_criterion(*c);
      else if (auto l = std::get_if<ast::LetDef>(&item)) check_let(*l, unit);
      else if (auto imp = std::get_if<ast::Import>(&item)) {
        if (imp->path != "std" && !stdlib_source(imp->path))
          report(imp->span, "roo-import", fmt::format("unknown module '{}'; the stdlib module is 'std'", imp->path));
      } else if (auto a = std::get_if<ast::Agreement>(&item)) {
        if (a == p_.agreement_ast) check_agreement(*a);
        else if (a->part && !p_.agreement_ast)
          report(ast::Span{a->span.begin, a->span.begin + 5}, "roo-rules-block",
                 "a 'rules' block adds to the agreement of the file that includes it, and no agreement includes this "
                 "file; check the agreement (its main.roo or its folder) instead");
      }
    }
    unit_ = nullptr;
  }

  // ---- agreement ----

  std::vector<std::string> countries(const std::vector<std::string>& names, const std::vector<ast::Span>& spans) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string& n = names[i];
      if (n == "EU") {
        for (auto c : eu_member_states()) out.emplace_back(c);
        out.push_back("EU");
      } else if (auto g = p_.agreement.groups.find(n); g != p_.agreement.groups.end()) {
        out.insert(out.end(), g->second.begin(), g->second.end());
      } else if (is_iso_country(n)) {
        out.push_back(n);
      } else {
        auto& d = report(spans[i], "roo-country", fmt::format("'{}' is not an ISO 3166-1 country code or a group", n));
        if (n == "UK") d.notes.push_back("the ISO code of the United Kingdom is 'GB'");
        else if (auto nearest = nearest_country(n); !nearest.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", nearest));
      }
    }
    return out;
  }

  std::optional<Decimal> percent_value(const std::string& text, ast::Span span) {
    auto v = Decimal::parse(text);
    if (!v || *v > Decimal::from_int(100)) {
      report(span, "roo-percent", fmt::format("{}% is not a percentage between 0% and 100%", text));
      return std::nullopt;
    }
    return v;
  }

  bool is_base_name(std::string_view n) {
    for (std::string_view b : {"ex_works", "fob", "transaction_value", "adjusted_value", "net_cost", "total_cost"})
      if (n == b) return true;
    return false;
  }

  void check_setting(const ast::Setting& s, std::set<std::string>& seen) {
    AgreementSettings& a = p_.agreement;
    static const std::set<std::string> repeatable = {"cumulation", "tolerance", "origin_criterion", "group", "explained"};
    if (!repeatable.count(s.key) && !seen.insert(s.key).second)
      report(s.key_span, "roo-duplicate", fmt::format("'{}' is set twice", s.key));
    auto one_of = [&](std::initializer_list<std::string_view> allowed, std::string_view what) {
      for (auto w : allowed)
        if (s.word == w) return true;
      std::string list;
      for (auto w : allowed) list += (list.empty() ? "" : ", ") + std::string(w);
      report(s.word_span, "roo-setting", fmt::format("'{}' is not a {}; expected one of: {}", s.word, what, list));
      return false;
    };
    if (s.key == "title") a.title = s.text;
    else if (s.key == "citation") a.citation = s.text;
    else if (s.key == "hs") {
      int year = std::atoi(s.number.c_str());
      static const std::set<int> editions = {1988, 1992, 1996, 2002, 2007, 2012, 2017, 2022, 2028};
      if (!editions.count(year)) report(s.number_span, "roo-setting", fmt::format("{} is not an HS edition", s.number));
      else a.hs_edition = year;
    } else if (s.key == "parties") {
      a.parties = s.names;
      countries(s.names, s.name_spans);
      a.party_codes.clear();
      for (const auto& n : s.names) {
        if (auto g = a.groups.find(n); g != a.groups.end())
          a.party_codes.insert(a.party_codes.end(), g->second.begin(), g->second.end());
        else
          a.party_codes.push_back(n);
      }
      std::sort(a.party_codes.begin(), a.party_codes.end());
      a.party_codes.erase(std::unique(a.party_codes.begin(), a.party_codes.end()), a.party_codes.end());
    } else if (s.key == "group") {
      if (s.word == "EU" || is_iso_country(s.word))
        report(s.word_span, "roo-duplicate", fmt::format("'{}' is a country code or the predefined EU group", s.word));
      a.groups[s.word] = countries(s.names, s.name_spans);
    } else if (s.key == "basis") {
      if (!is_base_name(s.word))
        report(s.word_span, "roo-setting", fmt::format("'{}' is not a value base; expected ex_works, fob, transaction_value, adjusted_value, net_cost or total_cost", s.word));
      else a.basis = s.word;
    } else if (s.key == "cumulation") {
      if (one_of({"bilateral", "diagonal", "full"}, "kind of cumulation"))
        a.cumulation.push_back(Cumulation{s.word, countries(s.names, s.name_spans)});
    } else if (s.key == "tolerance") {
      Tolerance t;
      t.place = SourceRef{unit_, s.span};
      if (s.word == "none") {
        t.none = true;
      } else {
        if (auto v = percent_value(s.number, s.number_span)) t.percent = *v;
        if (s.word != "weight" && !is_base_name(s.word))
          report(s.word_span, "roo-setting", fmt::format("a tolerance is a percentage of weight or of a value base, not of '{}'", s.word));
        t.base = s.word;
      }
      if (auto codes = check_codes(s.codes)) t.chapters = *codes;
      a.tolerances.push_back(std::move(t));
    } else if (s.key == "tolerance_applies_to") {
      if (one_of({"all", "tariff_shift"}, "tolerance scope")) a.tolerance_applies_to = s.word;
    } else if (s.key == "insufficient") {
      Env env;
      check_as(*s.expr, Type::processes, env, "the insufficient-operations list");
      a.insufficient = &*s.expr;
    } else if (s.key == "roll_up") {
      if (one_of({"absorb", "look_through"}, "roll-up method")) a.roll_up = s.word;
    } else if (s.key == "all_rules_apply") {
      a.all_rules_apply = true;
    } else if (s.key == "origin_criterion") {
      if (one_of({"wholly_obtained", "originating_materials", "psr", "cumulation", "tolerance"}, "way of qualifying"))
        a.origin_criteria[s.word] = s.text;
    } else if (s.key == "explained") {
      if (auto codes = check_codes(s.codes)) a.explained.push_back({*codes, s.text});
    } else if (s.key == "kind") {
      if (one_of({"preferential", "non_preferential"}, "kind of rules")) a.non_preferential = s.word == "non_preferential";
    } else if (s.key == "residual") {
      if (one_of({"major_portion_of_value"}, "residual rule")) a.residual = s.word;
    } else if (s.key == "sets") {
      a.sets_percent = percent_value(s.number, s.number_span);
      if (!is_base_name(s.word)) report(s.word_span, "roo-setting", fmt::format("'{}' is not a value base", s.word));
      a.sets_base = s.word;
      a.sets_source = where_is(unit_, s.span);
    }
  }

  void check_agreement(const ast::Agreement& a) {
    std::set<std::string> seen;
    // Groups first, so that parties and partners may name them.
    for (const auto& item : a.items)
      if (auto s = std::get_if<ast::Setting>(&item); s && s->key == "group") check_setting(*s, seen);
    for (const auto& item : a.items)
      if (auto s = std::get_if<ast::Setting>(&item); s && s->key != "group") check_setting(*s, seen);
    // The agreement's own items, then those its included files add, each
    // checked as part of the file it is written in.
    const SourceUnit* agreement_unit = unit_;
    std::vector<std::pair<const SourceUnit*, const ast::Agreement*>> blocks = {{agreement_unit, &a}};
    blocks.insert(blocks.end(), parts_.begin(), parts_.end());
    for (const auto& [unit, block] : blocks) {
      unit_ = unit;
      for (const auto& item : block->items) {
        if (auto c = std::get_if<ast::CriterionDef>(&item)) check_criterion(*c);
        else if (auto l = std::get_if<ast::LetDef>(&item)) check_let(*l, *unit_);
        else if (auto st = std::get_if<ast::Setting>(&item); st && block->part)
          report(st->key_span, "roo-setting",
                 fmt::format("'{}' is a setting of the agreement: settings are written in the agreement block, "
                             "not in an included file's rules block",
                             st->key));
      }
    }
    std::size_t index = 0;
    for (const auto& [unit, block] : blocks) {
      unit_ = unit;
      for (const auto& item : block->items)
        if (auto r = std::get_if<ast::Rule>(&item)) check_rule(*r, index++);
    }
    unit_ = agreement_unit;
    check_overlaps();
    check_followed_codes();
  }

  void check_rule(const ast::Rule& r, std::size_t index) {
    RuleEntry entry;
    entry.rule = &r;
    entry.unit = unit_;
    entry.index = index;
    bool codes_ok = true;
    for (const auto& item : r.scope.codes) {
      auto set = check_codes({item});
      if (!set) {
        codes_ok = false;
        continue;
      }
      for (const auto& iv : set->intervals()) entry.items.push_back({iv, iv.high - iv.low + 1});
    }
    if (r.scope.ex && !r.scope.condition)
      report(r.scope.span, "roo-ex", "an 'ex' rule applies to part of its codes: say which with 'where' (a condition on the product)");
    if (r.scope.condition) {
      Env env;
      check_as(*r.scope.condition, Type::boolean, env, "the condition of an 'ex' rule");
    }
    if (r.body.kind == ast::ExprKind::call && r.body.text == "rule_of") {
      if (!check_rule_of(r.body, entry)) codes_ok = false;
    } else {
      Env env;
      check_as(r.body, Type::boolean, env, "a rule");
    }
    auto date = [&](const std::optional<std::string>& text, ast::Span span) -> std::optional<Date> {
      if (!text) return std::nullopt;
      std::string why;
      auto d = Date::parse(*text, &why);
      if (!d) report(span, "roo-date", why);
      return d;
    };
    entry.valid_from = date(r.valid_from, r.valid_from_span);
    entry.valid_until = date(r.valid_until, r.valid_until_span);
    if (entry.valid_from && entry.valid_until && *entry.valid_until < *entry.valid_from)
      report(r.valid_until_span, "roo-date", "the rule ends before it starts");
    entry.to_countries = countries(r.to, r.to_spans);
    if (codes_ok) p_.rules.push_back(std::move(entry));
  }

  // `rule_of(subheading 0304.49, ...)`: the body names codes whose rules
  // apply, not a condition. Only plain codes: a range would not say which rule.
  bool check_rule_of(const ast::Expr& body, RuleEntry& entry) {
    entry.follows_span = body.span;
    bool ok = !body.args.empty();
    if (!ok) report(body.span, "roo-rule-of", "rule_of needs the codes whose rules apply, such as rule_of(subheading 0304.49)");
    for (std::size_t i = 0; i < body.args.size(); ++i) {
      const ast::Expr& arg = body.args[i];
      if (!body.arg_names[i].empty() || arg.kind != ast::ExprKind::codes) {
        report(arg.span, "roo-rule-of", "rule_of takes codes only, such as rule_of(subheading 0304.49, heading 85.29)");
        ok = false;
        continue;
      }
      for (const auto& item : arg.codes) {
        if (!item.last.empty()) {
          report(item.span, "roo-rule-of", "rule_of names codes, not ranges: list each code whose rule applies");
          ok = false;
          continue;
        }
        std::string why;
        auto code = HsCode::parse(item.first, &why, 2);
        if (!code) {
          report(item.first_span, "roo-hs", why);
          ok = false;
          continue;
        }
        entry.follows.push_back(*code);
      }
    }
    return ok;
  }

  // Every code that a rule_of names has a rule of its own, which is not a
  // rule_of itself (one step, so that the rule applied is the one written).
  void check_followed_codes() {
    // Each code is looked up among all the rules: bound the work, so that no
    // input makes the check run for hours.
    std::uint64_t follows = 0;
    for (const auto& e : p_.rules) follows += e.follows.size();
    if (follows * p_.rules.size() > max_rule_of_checks) {
      for (const auto& e : p_.rules)
        if (!e.follows.empty()) {
          report(e.unit, e.follows_span, "roo-too-complex",
                 fmt::format("{} rule_of codes against {} rules are too many to check; split the agreement", follows,
                             p_.rules.size()));
          return;
        }
    }
    for (const auto& e : p_.rules) {
      for (const auto& code : e.follows) {
        auto cands = p_.candidates(code);
        std::erase_if(cands, [&](const Program::Candidate& c) { return c.entry == &e; });
        if (cands.empty()) {
          report(e.unit, e.follows_span, "roo-rule-of", fmt::format("no rule covers {}, whose rule this rule takes", code.dotted()));
          continue;
        }
        for (const auto& c : cands) {
          if (c.width != cands.front().width) break;
          if (!c.entry->follows.empty()) {
            auto& d = report(e.unit, e.follows_span, "roo-rule-of",
                             fmt::format("the rule for {} is itself a rule_of; name the codes whose rules it takes", code.dotted()));
            d.notes.push_back(fmt::format("that rule is at {}", where_is(c.entry->unit, c.entry->rule->span)));
            break;
          }
        }
      }
    }
  }

  static bool windows_overlap(const RuleEntry& a, const RuleEntry& b) {
    if (a.valid_until && b.valid_from && *a.valid_until < *b.valid_from) return false;
    if (b.valid_until && a.valid_from && *b.valid_until < *a.valid_from) return false;
    return true;
  }
  static bool directions_overlap(const RuleEntry& a, const RuleEntry& b) {
    // Groups expanded: `to EU` and `to DE` meet in DE.
    if (a.rule->to.empty() || b.rule->to.empty()) return true;
    for (const auto& x : a.to_countries)
      if (std::find(b.to_countries.begin(), b.to_countries.end(), x) != b.to_countries.end()) return true;
    return false;
  }

  // Two rules whose scopes name overlapping codes equally narrowly, neither
  // with an 'ex' condition, in force at the same time for the same direction:
  // which one applies would be a coin toss.
  void check_overlaps() {
    if (p_.agreement.all_rules_apply) return;
    struct Ref {
      std::uint64_t low, high, width;
      const RuleEntry* entry;
    };
    std::vector<Ref> refs;
    for (const auto& e : p_.rules) {
      if (e.rule->scope.condition) continue;
      for (const auto& item : e.items) refs.push_back({item.interval.low, item.interval.high, item.width, &e});
    }
    std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
      if (a.width != b.width) return a.width < b.width;
      if (a.low != b.low) return a.low < b.low;
      return a.entry->index < b.entry->index;
    });
    // A rule that names the same codes twice is compared once.
    refs.erase(std::unique(refs.begin(), refs.end(),
                           [](const Ref& a, const Ref& b) {
                             return a.width == b.width && a.low == b.low && a.entry == b.entry;
                           }),
               refs.end());
    // Each later rule is reported once, against the first earlier one found.
    std::set<const RuleEntry*> reported;
    for (std::size_t i = 0; i < refs.size(); ++i) {
      for (std::size_t j = i + 1; j < refs.size() && refs[j].width == refs[i].width && refs[j].low <= refs[i].high; ++j) {
        const RuleEntry* a = refs[i].entry;
        const RuleEntry* b = refs[j].entry;
        if (a == b || !windows_overlap(*a, *b) || !directions_overlap(*a, *b)) continue;
        if (a->index > b->index) std::swap(a, b);
        if (!reported.insert(b).second) continue;
        auto& d = report(b->unit, b->rule->scope.span, "roo-overlap",
                         "this rule and an earlier one name the same codes equally specifically, so it is undecided which applies");
        d.notes.push_back(fmt::format("the earlier rule is at {}", where_is(a->unit, a->rule->scope.span)));
        d.notes.emplace_back(
            "give them disjoint codes, different validity dates or directions, make one an 'ex' rule with a 'where' condition, or say 'all_rules_apply'");
      }
    }
  }

  // ---- cycles ----

  // Reports every cycle of definitions; false when there is one. Without
  // recursion (a chain of definitions may be long), and it records the
  // definitions in dependency order for check_expansion.
  bool check_cycles() {
    std::map<const void*, int> state;  // 0 new, 1 on the path, 2 done
    std::vector<const void*> path;
    std::vector<std::size_t> next_edge;  // for each definition on the path: the next of its edges to follow
    bool acyclic = true;
    auto visit = [&](const void* root) {
      if (state[root] != 0) return;
      state[root] = 1;
      path.push_back(root);
      next_edge.push_back(0);
      while (!path.empty()) {
        const void* node = path.back();
        auto edges = edges_.find(node);
        if (edges != edges_.end() && next_edge.back() < edges->second.size()) {
          const auto& [next, span] = edges->second[next_edge.back()++];
          int& next_state = state[next];
          if (next_state == 1) {
            acyclic = false;
            auto [name, unit] = def_names_[node];
            std::string cycle;
            auto start = std::find(path.begin(), path.end(), next);
            for (auto it = start; it != path.end(); ++it) cycle += def_names_[*it].first + " -> ";
            cycle += def_names_[next].first;
            report(unit, span, "roo-cycle",
                   fmt::format("'{}' refers to itself ({}); roo definitions cannot be recursive", def_names_[next].first,
                               cycle));
          } else if (next_state == 0) {
            next_state = 1;
            path.push_back(next);
            next_edge.push_back(0);
          }
          continue;
        }
        state[node] = 2;
        def_order_.push_back(node);
        path.pop_back();
        next_edge.pop_back();
      }
    };
    for (const auto& [node, list] : edges_) visit(node);
    for (const auto& [node, names] : def_names_) visit(node);
    return acyclic;
  }

  // ---- expansion ----

  // Criteria and lets are written out where they are used when rules are
  // compiled (interpreter/eval/compile.cpp): a chain of definitions, each
  // using the next, expands into a tree as deep as the chain, and one using
  // the next twice into an exponentially large one. Both are refused here,
  // so that compiling and evaluating stay within the stack and the memory.
  struct Expansion {
    std::uint64_t height = 0;
    std::uint64_t size = 0;
    bool reported = false;  // it, or a definition it uses, is over a limit and reported
  };
  std::unordered_map<const void*, Expansion> expansion_;

  // The height and size of expressions once the definitions they use (all
  // measured already) are written out. Sizes saturate above the limit.
  Expansion measure(const std::vector<const ast::Expr*>& roots) {
    Expansion out;
    std::vector<std::pair<const ast::Expr*, std::uint64_t>> stack;
    for (const ast::Expr* r : roots) stack.push_back({r, 1});
    while (!stack.empty()) {
      auto [e, depth] = stack.back();
      stack.pop_back();
      std::uint64_t height = depth;
      out.size = std::min<std::uint64_t>(out.size + 1, max_expanded_size + 1);
      if (auto info = p_.info.find(e); info != p_.info.end() && info->second.symbol) {
        const Symbol* sym = info->second.symbol;
        const void* def = sym->criterion ? static_cast<const void*>(sym->criterion) : static_cast<const void*>(sym->let);
        if (auto x = def ? expansion_.find(def) : expansion_.end(); x != expansion_.end()) {
          height += x->second.height;
          out.size = std::min<std::uint64_t>(out.size + x->second.size, max_expanded_size + 1);
          out.reported = out.reported || x->second.reported;
        }
      }
      out.height = std::max(out.height, height);
      for (const auto& a : e->args) stack.push_back({&a, depth + 1});
    }
    return out;
  }

  // Reports `what` when its expansion is over a limit (unless what it uses
  // was reported); true when it is over.
  bool too_complex(const Expansion& x, const SourceUnit* unit, ast::Span span, const std::string& what) {
    if (x.height <= max_expanded_height && x.size <= max_expanded_size) return false;
    if (x.reported) return true;
    std::string why = x.height > max_expanded_height
                          ? fmt::format("nests more than {} levels deep", max_expanded_height)
                          : fmt::format("has more than {} parts", max_expanded_size);
    report(unit, span, "roo-too-complex",
           fmt::format("{}, with the definitions it uses written out, {}; simplify the definitions it uses", what, why));
    return true;
  }

  void check_expansion() {
    for (const void* def : def_order_) {
      std::vector<const ast::Expr*> roots;
      const SourceUnit* unit = def_names_[def].second;
      ast::Span span;
      std::string what;
      if (auto c = criteria_.find(def); c != criteria_.end()) {
        roots.push_back(&c->second->body);
        for (const auto& prm : c->second->params)
          if (prm.default_value) roots.push_back(&*prm.default_value);
        span = c->second->name_span;
        what = fmt::format("criterion '{}'", c->second->name);
      } else if (auto l = lets_.find(def); l != lets_.end()) {
        roots.push_back(&l->second->value);
        span = l->second->name_span;
        what = fmt::format("'{}'", l->second->name);
      } else {
        continue;
      }
      Expansion x = measure(roots);
      // Reported once: what uses it is not reported again.
      if (too_complex(x, unit, span, what)) x = Expansion{1, 1, true};
      expansion_[def] = x;
    }
    for (const auto& entry : p_.rules) {
      std::vector<const ast::Expr*> roots;
      if (entry.follows.empty()) roots.push_back(&entry.rule->body);
      if (entry.rule->scope.condition) roots.push_back(&*entry.rule->scope.condition);
      Expansion x = measure(roots);
      too_complex(x, entry.unit, entry.rule->scope.span, "this rule");
      p_.expanded_size += x.size;
    }
    if (const ast::Expr* e = p_.agreement.insufficient)
      too_complex(measure({e}), p_.agreement_unit, e->span, "the 'insufficient' setting");
  }
};

}  // namespace

ProgramLoad check_sources(std::vector<std::unique_ptr<SourceUnit>> sources, std::string agreement_id) {
  ProgramLoad result;
  auto program = std::make_unique<Program>();
  program->agreement.id = std::move(agreement_id);
  program->units = std::move(sources);
  std::string hashed;
  for (auto& u : program->units) {
    u->lines = LineIndex(u->text);
    hashed += u->name;
    hashed += '\0';
    hashed += u->text;
    hashed += '\0';
  }
  program->rules_sha256 = sha256_hex(hashed);
  Checker(*program, result.diagnostics).run();
  sort_by_place(result.diagnostics);
  if (!has_errors(result.diagnostics)) {
    program->compiled = compile_program(*program);
    result.program = std::move(program);
  }
  return result;
}

}  // namespace roo
