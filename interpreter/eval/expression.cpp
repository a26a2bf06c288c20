#include "interpreter/eval/expression.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "interpreter/lang/render.hpp"

namespace roo::eval {

ExpressionEvaluator::ExpressionEvaluator(const Program& p, const CompiledProgram& cp, const std::vector<MaterialView>& mats,
                                         const ProductView& product, bool trace, std::uint64_t& steps_left)
    : p_(p), cp_(cp), mats_(mats), product_(product), slots_(cp.slots, 0), trace_(trace), steps_left_(steps_left) {
  all_ = Bits(mats.size());
  non_ = Bits(mats.size());
  orig_ = Bits(mats.size());
  ignore_ = Bits(mats.size());
  collected_ = Bits(mats.size());
  for (std::size_t i = 0; i < mats.size(); ++i) {
    all_.set(i);
    (mats[i].originating ? orig_ : non_).set(i);
  }
}

Tri ExpressionEvaluator::condition(std::uint32_t id, Tracer* tracer) {
  Tracer* saved = tracer_;
  tracer_ = tracer;
  Tri t = eval_bool(id);
  tracer_ = saved;
  return t;
}

void ExpressionEvaluator::need(std::string field, std::string_view material, std::string text) {
  MissingData m{std::move(field), std::string(material), std::move(text), {}, "rule"};
  if (std::find(missing.begin(), missing.end(), m) != missing.end()) return;
  missing.push_back(std::move(m));
  if (tracer_ && criterion_depth_ > 0) tracer_->data_missing(missing.back());
}
// The material's id for a `who` of label() ("material M3"), "" for "the product".
std::string_view ExpressionEvaluator::who_id(std::string_view who) const {
  return who.starts_with("material ") ? who.substr(9) : std::string_view();
}

// Attribute as a boolean: true/false text, or unknown.
Tri ExpressionEvaluator::attribute_flag(const Item& item, const std::string& name, const std::string& who) {
  const Attribute* a = item.attribute(name);
  if (!a) {
    need("attributes." + name, who_id(who), fmt::format("attribute '{}' of {}", name, who));
    return Tri::unknown;
  }
  if (a->text == "true" || a->text == "yes") return Tri::yes;
  if (a->text == "false" || a->text == "no") return Tri::no;
  need("attributes." + name, who_id(who), fmt::format("attribute '{}' of {} as true or false (it is '{}')", name, who, a->text));
  return Tri::unknown;
}

ExpressionEvaluator::Num ExpressionEvaluator::attribute_number(const Item& item, const std::string& name, const std::string& who) {
  const Attribute* a = item.attribute(name);
  if (a) {
    if (auto d = Decimal::parse(a->text)) return {true, *d};
  }
  need("attributes." + name, who_id(who), fmt::format("attribute '{}' of {} as a number", name, who));
  return {};
}

std::string ExpressionEvaluator::label(std::size_t i) const { return fmt::format("material {}", mats_[i].label); }

// A test on a material's code. A code created after the agreement's edition
// is read as each code of that edition it stands for: the test holds when it
// holds for all of them, fails when it fails for all, and is undecided
// (naming what would decide it) when they differ.
template <typename Test>
Tri ExpressionEvaluator::readings(std::size_t i, Test&& test) {
  const MaterialView& v = mats_[i];
  if (!v.reads) return tri(test(v.m->hs));
  bool any_yes = false, any_no = false;
  for (const HsCode& c : *v.reads) (test(c) ? any_yes : any_no) = true;
  if (any_yes != any_no) return tri(any_yes);
  std::vector<std::string> codes;
  for (const HsCode& c : *v.reads) codes.push_back(c.dotted());
  need("hs", v.label, fmt::format("the HS {} code of {}: its code {} was {} in HS {}, and the rule's test differs between them",
                   p_.agreement.hs_edition, label(i), v.m->hs.dotted(), fmt::join(codes, " or "),
                   p_.agreement.hs_edition));
  return Tri::unknown;
}

// ---- conditions ----

bool ExpressionEvaluator::out_of_steps() {
  if (steps_left_ == 0) return true;
  --steps_left_;
  return false;
}

Tri ExpressionEvaluator::eval_bool(std::uint32_t id) {
  if (out_of_steps()) return Tri::unknown;
  const Node& nd = n(id);
  switch (nd.op) {
    case Op::const_bool: return tri(nd.aux);
    case Op::not_: {
      Tri t = eval_bool(nd.a);
      return t == Tri::unknown ? t : tri(t == Tri::no);
    }
    case Op::and_: {
      Tri result = Tri::yes;
      for (auto c : cp_.lists[nd.list]) {
        Tri t = eval_bool(c);
        if (t == Tri::no) result = Tri::no;
        else if (t == Tri::unknown && result == Tri::yes) result = Tri::unknown;
      }
      return result;
    }
    case Op::or_: {
      Tri result = Tri::no;
      // Materials that failed a branch do not make the whole fail when another
      // branch holds: they are not for the tolerance to disregard.
      std::optional<Bits> collected_before;
      if (collect_) collected_before = collected_;
      for (auto c : cp_.lists[nd.list]) {
        Tri t = eval_bool(c);
        if (t == Tri::yes) result = Tri::yes;
        else if (t == Tri::unknown && result == Tri::no) result = Tri::unknown;
      }
      if (result == Tri::yes && collected_before) collected_ = std::move(*collected_before);
      return result;
    }
    case Op::compare: return compare(nd);
    case Op::in_codes: {
      if (n(nd.a).op == Op::material_hs)
        return readings(mat_index(n(nd.a).a), [&](const HsCode& c) { return codes_contain(nd.b, c); });
      HsCode code = code_of(nd.a);
      if (!code.valid()) return Tri::unknown;
      return tri(codes_contain(nd.b, code));
    }
    case Op::in_materials: {
      std::size_t i = mat_index(nd.a);
      // `m in none` and `m in <codes>` (CTH except ...): decided on the material
      // alone, without building the whole set for every material tested.
      const Node& set_node = n(nd.b);
      if (set_node.op == Op::set_empty) return Tri::no;
      if (set_node.op == Op::set_of_codes)
        return readings(i, [&](const HsCode& c) { return codes_contain(set_node.a, c); });
      return member_of(nd.b, i);
    }
    case Op::in_processes: {
      std::string p = cp_.text(n(nd.a));
      for (auto c : cp_.lists[n(nd.b).list])
        if (cp_.text(n(c)) == p) return Tri::yes;
      return Tri::no;
    }
    case Op::quantifier: return quantifier(nd);
    case Op::criterion: return criterion(id);
    case Op::performed: {
      if (!product_.item->processes_declared) {
        need("processes", "", "the processes carried out on the product ('processes')");
        return Tri::unknown;
      }
      const auto& list = product_.item->processes;
      return tri(std::find(list.begin(), list.end(), cp_.text(n(nd.a))) != list.end());
    }
    case Op::changes: {
      std::size_t i = mat_index(nd.a);
      int digits = nd.aux;
      bool short_code = false;
      Tri t = readings(i, [&](const HsCode& c) {
        if (c.length() < digits) short_code = true;
        return c.truncated(digits) != product_.hs.truncated(digits);
      });
      if (short_code || product_.hs.length() < digits) {
        need("hs", short_code ? std::string_view(mats_[i].label) : std::string_view(), fmt::format("the {}-digit HS code of {}", digits,
                         short_code ? label(i) : std::string("the product")));
        return Tri::unknown;
      }
      return t;
    }
    case Op::product_wo: {
      if (product_.item->wholly_obtained) return Tri::yes;
      if (non_.any()) return Tri::no;
      need("wholly_obtained", "", "whether the product is wholly obtained ('wholly_obtained')");
      return Tri::unknown;
    }
    case Op::material_flag: {
      std::size_t i = mat_index(nd.a);
      if (nd.aux == 0) return tri(mats_[i].originating);
      return tri(mats_[i].m->wholly_obtained.has_value());
    }
    case Op::product_is: return attribute_flag(*product_.item, cp_.text(nd), "the product");
    case Op::material_is: return attribute_flag(mat(nd.a), cp_.text(nd), label(mat_index(nd.a)));
    default: return Tri::unknown;
  }
}

Tri ExpressionEvaluator::compare(const Node& nd) {
  bool saved_has = has_last_percent_;
  has_last_percent_ = false;
  Num a = eval_num(nd.a);
  has_last_percent_ = false;
  Num b = eval_num(nd.b);
  bool rhs_percent = has_last_percent_;
  Decimal pct = last_percent_, base = last_base_;
  has_last_percent_ = saved_has;
  if (!a.known || !b.known) return Tri::unknown;
  int c = a.value.compare(b.value);
  auto op = static_cast<CompareOp>(nd.aux);
  bool r = op == CompareOp::le ? c <= 0 : op == CompareOp::lt ? c < 0 : op == CompareOp::ge ? c >= 0
         : op == CompareOp::gt ? c > 0 : op == CompareOp::eq ? c == 0 : c != 0;
  // An amount, or a share of one: a figure worth reporting.
  if (tracer_ && criterion_depth_ > 0 && (rhs_percent || money_node(nd.a)))
    tracer_->comparison(Comparison{true, op, a.value, b.value, pct, base, rhs_percent, r});
  return tri(r);
}

// Does the node compute an amount of money (so its comparison is a figure worth reporting)?
bool ExpressionEvaluator::money_node(std::uint32_t id) const {
  const Node& nd = n(id);
  switch (nd.op) {
    case Op::aggregate: return nd.aux != static_cast<std::uint8_t>(Aggregate::count) && nd.aux != static_cast<std::uint8_t>(Aggregate::weight);
    case Op::base_value:
    case Op::material_value: return true;
    case Op::add:
    case Op::sub: return money_node(nd.a);
    default: return false;
  }
}

// Why a material fails the body of a quantifier, in words.
std::string ExpressionEvaluator::failure_reason(std::uint32_t body, std::size_t i) {
  const Node& nd = n(body);
  if (nd.op == Op::and_) {
    for (auto c : cp_.lists[nd.list])
      if (eval_bool(c) == Tri::no) return failure_reason(c, i);
  }
  const Material& m = *mats_[i].m;
  if (nd.op == Op::changes) {
    static const std::map<int, std::string> level = {{2, "chapter"}, {4, "heading"}, {6, "subheading"}, {8, "tariff line"}};
    const HsCode& code = mats_[i].reads ? mats_[i].reads->front() : m.hs;
    return fmt::format("{} {} is the product's own {}", level.at(nd.aux), code.truncated(nd.aux).dotted(), level.at(nd.aux));
  }
  if (nd.op == Op::not_ && n(nd.a).op == Op::in_materials) return "it is among the excluded materials";
  if (nd.op == Op::in_materials) return "it is not among the materials allowed";
  if (nd.op == Op::material_flag) return nd.aux == 0 ? "it is not originating" : "it is not wholly obtained";
  if (nd.op == Op::or_) {
    std::vector<std::string> parts;
    for (auto c : cp_.lists[nd.list]) parts.push_back(failure_reason(c, i));
    std::string out;
    for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? "; and " : "") + parts[k];
    return out;
  }
  if (nd.expr) return "it does not satisfy: " + render_expr(p_, *nd.expr);
  return "it does not satisfy the condition";
}

Tri ExpressionEvaluator::quantifier(const Node& nd) {
  MaterialSet s = eval_set(nd.a);
  bool any_yes = false, any_unknown = false, any_no = false;
  auto visit = [&](std::size_t i, bool sure) {
    // Retail packaging and accessories classified with the product are
    // disregarded for the tariff shift (they still count in value rules).
    MaterialRole role = mats_[i].m->role;
    if (nd.in_tariff_shift && (role == MaterialRole::packaging || role == MaterialRole::accessory)) return;
    slots_[nd.slot] = i;
    Tri t = eval_bool(nd.b);
    // Disregarded under the tolerance (only in the tariff shift when the tolerance is limited to it).
    if (nd.aux == 0 && t == Tri::no && ignore_.test(i) && (!shift_only_ || nd.in_tariff_shift)) t = Tri::yes;
    if (t == Tri::yes) {
      if (sure) any_yes = true;
      else any_unknown |= nd.aux != 0;
    } else if (t == Tri::no) {
      if (!sure) {
        any_unknown |= nd.aux == 0;
        return;
      }
      any_no = true;
      if (nd.aux == 0) {
        if (collect_ && (!shift_only_ || nd.in_tariff_shift)) collected_.set(i);
        if (tracer_ && criterion_depth_ > 0) tracer_->material_failed(i, trace_ ? failure_reason(nd.b, i) : std::string());
      }
    } else {
      any_unknown = true;
    }
  };
  s.sure.each([&](std::size_t i) { visit(i, true); });
  s.maybe.each([&](std::size_t i) { visit(i, false); });
  switch (nd.aux) {
    case 0: return any_no ? Tri::no : any_unknown ? Tri::unknown : Tri::yes;   // every
    case 1: return any_yes ? Tri::yes : any_unknown ? Tri::unknown : Tri::no;  // some
    default: return any_yes ? Tri::no : any_unknown ? Tri::unknown : Tri::yes; // no
  }
}

Tri ExpressionEvaluator::criterion(std::uint32_t id) {
  const Node& nd = n(id);
  if (!tracer_) return eval_bool(nd.a);
  tracer_->criterion_entered(nd);
  ++criterion_depth_;
  Tri t = eval_bool(nd.a);
  --criterion_depth_;
  tracer_->criterion_left(t);
  return t;
}

// ---- numbers ----

ExpressionEvaluator::Num ExpressionEvaluator::eval_num(std::uint32_t id) {
  if (out_of_steps()) return {};
  const Node& nd = n(id);
  switch (nd.op) {
    case Op::const_num: return {true, cp_.number(nd)};
    case Op::base_value: {
      if (product_.price_override) return {true, *product_.price_override};
      const auto& v = (*product_.bases)[nd.aux];
      if (!v) {
        need(std::string(value_basis_name(static_cast<ValueBasis>(nd.aux))), "",
             fmt::format("the product's '{}'", value_basis_name(static_cast<ValueBasis>(nd.aux))));
        return {};
      }
      return {true, *v};
    }
    case Op::product_weight:
      if (!product_.item->weight_kg) {
        need("weight_kg", "", "the product's weight ('weight_kg')");
        return {};
      }
      return {true, *product_.item->weight_kg};
    case Op::product_number: return attribute_number(*product_.item, cp_.text(nd), "the product");
    case Op::material_value: {
      const Material& m = mat(nd.a);
      if (!m.value) {
        need("value", mats_[mat_index(nd.a)].label, fmt::format("the value of {}", label(mat_index(nd.a))));
        return {};
      }
      return {true, *m.value};
    }
    case Op::material_weight: {
      const Material& m = mat(nd.a);
      if (!m.weight_kg) {
        need("weight_kg", mats_[mat_index(nd.a)].label, fmt::format("the weight of {}", label(mat_index(nd.a))));
        return {};
      }
      return {true, *m.weight_kg};
    }
    case Op::material_number: return attribute_number(mat(nd.a), cp_.text(nd), label(mat_index(nd.a)));
    case Op::aggregate: return aggregate(nd);
    case Op::total: {
      MaterialSet s = eval_set(nd.a);
      if (s.maybe.any()) return {};
      Num sum{true, Decimal()};
      std::string attr = cp_.text(n(nd.b));
      s.sure.each([&](std::size_t i) {
        Num v = attribute_number(*mats_[i].m, attr, label(i));
        if (!v.known) sum.known = false;
        else sum.value += v.value;
      });
      return sum;
    }
    case Op::add:
    case Op::sub: {
      Num a = eval_num(nd.a);
      Num b = eval_num(nd.b);
      if (!a.known || !b.known) return {};
      return {true, nd.op == Op::add ? a.value + b.value : a.value - b.value};
    }
    case Op::mul: {
      Num a = eval_num(nd.a);
      Num b = eval_num(nd.b);
      if (!a.known || !b.known) return {};
      return {true, a.value * b.value};
    }
    case Op::percent_of: {
      Num a = eval_num(nd.a);
      Num b = eval_num(nd.b);
      if (!a.known || !b.known) return {};
      last_percent_ = a.value;
      last_base_ = b.value;
      has_last_percent_ = true;
      return {true, (a.value * b.value).shifted(-2)};
    }
    case Op::performed_count: {
      if (!product_.item->processes_declared) {
        need("processes", "", "the processes carried out on the product ('processes')");
        return {};
      }
      std::int64_t count = 0;
      for (auto c : cp_.lists[n(nd.a).list]) {
        const auto& list = product_.item->processes;
        if (std::find(list.begin(), list.end(), cp_.text(n(c))) != list.end()) ++count;
      }
      return {true, Decimal::from_int(count)};
    }
    default: return {};
  }
}

ExpressionEvaluator::Num ExpressionEvaluator::aggregate(const Node& nd) {
  MaterialSet s = eval_set(nd.a);
  auto kind = static_cast<Aggregate>(nd.aux);
  if (s.maybe.any()) return {};
  Num sum{true, Decimal()};
  s.sure.each([&](std::size_t i) {
    const MaterialView& v = mats_[i];
    const Material& m = *v.m;
    if (kind == Aggregate::count) {
      sum.value += Decimal::from_int(1);
      return;
    }
    if (kind == Aggregate::weight) {
      if (!m.weight_kg) {
        need("weight_kg", mats_[i].label, fmt::format("the weight of {}", label(i)));
        sum.known = false;
      } else {
        sum.value += *m.weight_kg;
      }
      return;
    }
    if (!m.value) {
      need("value", mats_[i].label, fmt::format("the value of {}", label(i)));
      sum.known = false;
      return;
    }
    // A supplier may declare part of a non-originating line's value originating.
    // (Without copies: this runs for every material of every value criterion.)
    if (kind == Aggregate::value) {
      sum.value += *m.value;
    } else if (v.originating) {
      if (kind == Aggregate::vom) sum.value += *m.value;
    } else if (m.originating_value) {
      sum.value += kind == Aggregate::vom ? *m.originating_value : *m.value - *m.originating_value;
    } else if (kind != Aggregate::vom) {
      sum.value += *m.value;
    }
  });
  return sum;
}

// ---- sets and codes ----

// Whether material i is in a set: what eval_set(id) says of i (sure: yes,
// maybe: unknown), decided on i alone. A test inside a quantifier over the
// materials ("every m ... m not in non_originating of headings ...") would
// otherwise build the whole set once per material: quadratic.
Tri ExpressionEvaluator::member_of(std::uint32_t id, std::size_t i) {
  const Node& nd = n(id);
  switch (nd.op) {
    case Op::set_all: return Tri::yes;
    case Op::set_non_originating: return tri(non_.test(i));
    case Op::set_originating: return tri(orig_.test(i));
    case Op::set_empty: return Tri::no;
    case Op::set_of:
    case Op::set_of_codes: {
      Tri in = nd.op == Op::set_of ? member_of(nd.a, i) : Tri::yes;
      if (in == Tri::no) return Tri::no;
      std::uint32_t codes = nd.op == Op::set_of ? nd.b : nd.a;
      Tri t = readings(i, [&](const HsCode& c) { return codes_contain(codes, c); });
      if (t == Tri::no) return Tri::no;
      return in == Tri::yes && t == Tri::yes ? Tri::yes : Tri::unknown;
    }
    case Op::set_union: {
      Tri a = member_of(nd.a, i);
      Tri b = member_of(nd.b, i);
      if (a == Tri::yes || b == Tri::yes) return Tri::yes;
      return a == Tri::unknown || b == Tri::unknown ? Tri::unknown : Tri::no;
    }
    case Op::set_diff: {
      Tri a = member_of(nd.a, i);
      if (a == Tri::no) return Tri::no;
      Tri b = member_of(nd.b, i);
      if (b == Tri::yes) return Tri::no;
      return a == Tri::yes && b == Tri::no ? Tri::yes : Tri::unknown;
    }
    case Op::set_where: {
      Tri in = member_of(nd.a, i);
      if (in == Tri::no) return Tri::no;
      std::size_t saved = slots_[nd.slot];
      slots_[nd.slot] = i;
      Tri t = eval_bool(nd.b);
      slots_[nd.slot] = saved;
      if (t == Tri::no) return Tri::no;
      return in == Tri::yes && t == Tri::yes ? Tri::yes : Tri::unknown;
    }
    default: return Tri::no;
  }
}

MaterialSet ExpressionEvaluator::eval_set(std::uint32_t id) {
  const Node& nd = n(id);
  std::size_t size = mats_.size();
  switch (nd.op) {
    case Op::set_all: return {all_, Bits(size)};
    case Op::set_non_originating: return {non_, Bits(size)};
    case Op::set_originating: return {orig_, Bits(size)};
    case Op::set_empty: return {Bits(size), Bits(size)};
    case Op::set_of:
    case Op::set_of_codes: {
      MaterialSet s = nd.op == Op::set_of ? eval_set(nd.a) : MaterialSet{all_, Bits(size)};
      std::uint32_t codes = nd.op == Op::set_of ? nd.b : nd.a;
      Bits keep(size), unsure(size);
      for (std::size_t i = 0; i < size; ++i) {
        Tri t = readings(i, [&](const HsCode& c) { return codes_contain(codes, c); });
        if (t != Tri::no) keep.set(i);
        if (t == Tri::unknown) unsure.set(i);
      }
      s.sure &= keep;
      s.maybe &= keep;
      Bits undecided = s.sure;  // in the set, but whether the codes contain it is not known
      undecided &= unsure;
      s.maybe |= undecided;
      s.sure.minus(unsure);
      return s;
    }
    case Op::set_union: {
      MaterialSet a = eval_set(nd.a);
      MaterialSet b = eval_set(nd.b);
      a.sure |= b.sure;
      a.maybe |= b.maybe;
      a.maybe.minus(a.sure);
      return a;
    }
    case Op::set_diff: {
      MaterialSet a = eval_set(nd.a);
      MaterialSet b = eval_set(nd.b);
      Bits maybe = a.sure;
      maybe |= a.maybe;
      maybe.minus(b.sure);
      a.sure.minus(b.sure);
      a.sure.minus(b.maybe);
      maybe.minus(a.sure);
      a.maybe = maybe;
      return a;
    }
    case Op::set_where: {
      MaterialSet s = eval_set(nd.a);
      MaterialSet out{Bits(size), Bits(size)};
      auto visit = [&](std::size_t i, bool sure) {
        slots_[nd.slot] = i;
        Tri t = eval_bool(nd.b);
        if (t == Tri::yes) (sure ? out.sure : out.maybe).set(i);
        else if (t == Tri::unknown) out.maybe.set(i);
      };
      s.sure.each([&](std::size_t i) { visit(i, true); });
      s.maybe.each([&](std::size_t i) { visit(i, false); });
      return out;
    }
    default: return {Bits(size), Bits(size)};
  }
}

// The HS code a code-valued node stands for (product or material code).
HsCode ExpressionEvaluator::code_of(std::uint32_t id) const {
  const Node& nd = n(id);
  if (nd.op == Op::material_hs) return mat(nd.a).hs;
  if (nd.op == Op::product_codes) return nd.aux ? product_.hs.truncated(nd.aux) : product_.hs;
  return HsCode();
}

// Whether the codes of a code-valued node (a literal set, or the product's or
// a material's code) contain `code`. Allocates nothing.
bool ExpressionEvaluator::codes_contain(std::uint32_t id, const HsCode& code) const {
  const Node& nd = n(id);
  if (nd.op == Op::const_codes) return cp_.code_sets[nd.codes].contains(code);
  HsCode own = code_of(id);
  return own.valid() && own.contains(code);
}

}  // namespace roo::eval
