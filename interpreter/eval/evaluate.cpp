// Evaluation of a BOM against a compiled program: rule selection, roll-up of
// self-produced materials, the rule's alternatives with tolerance, the
// insufficient-operations check, figures and the explanation tree.
//
// Conditions are three-valued (Tri): a condition that needs data the BOM does
// not give is `unknown`, and the determination is then undetermined, naming
// the data. Material sets carry a "maybe" part for materials whose membership
// is unknown for the same reason.
#include <algorithm>
#include <map>
#include <set>

#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

#include "interpreter/core/iso.hpp"
#include "interpreter/eval/compiled.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/lang/render.hpp"

namespace roo {

std::string_view status_name(Status s) noexcept {
  switch (s) {
    case Status::originating: return "originating";
    case Status::not_originating: return "not_originating";
    case Status::undetermined: return "undetermined";
    case Status::error: return "error";
  }
  return "error";
}

namespace {

// ---- material sets ---------------------------------------------------------

class Bits {
public:
  explicit Bits(std::size_t n = 0) : words_((n + 63) / 64, 0) {}
  void set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
  void reset(std::size_t i) { words_[i / 64] &= ~(std::uint64_t{1} << (i % 64)); }
  bool test(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  bool any() const {
    for (auto w : words_)
      if (w) return true;
    return false;
  }
  Bits& operator|=(const Bits& o) {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= o.words_[i];
    return *this;
  }
  Bits& operator&=(const Bits& o) {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= o.words_[i];
    return *this;
  }
  Bits& minus(const Bits& o) {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= ~o.words_[i];
    return *this;
  }
  template <typename F>
  void each(F&& f) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t word = words_[w];
      while (word) {
        int bit = __builtin_ctzll(word);
        f(w * 64 + static_cast<std::size_t>(bit));
        word &= word - 1;
      }
    }
  }

private:
  boost::container::small_vector<std::uint64_t, 2> words_;
};

struct SetValue {
  Bits sure;
  Bits maybe;  // membership unknown (data missing)
};

struct Num {
  bool known = false;
  Decimal value;
};

// ---- the BOM as evaluation sees it -----------------------------------------

struct MaterialView {
  const Material* m = nullptr;
  std::string_view label;  // id, or JSON pointer / CSV line (of the Material, which outlives the view)
  // A code created after the agreement's edition (a rule_of scope): the codes
  // of that edition it stands for, which tariff-shift and code tests read.
  const std::vector<HsCode>* reads = nullptr;
  bool originating = false;
  bool cumulated = false;  // originating thanks to a partner (cumulation)
};

struct Product {
  const Item* item = nullptr;
  HsCode hs;
  const std::array<std::optional<Decimal>, all_value_bases.size()>* bases = nullptr;
  std::optional<Decimal> price_override;  // roll-up: a sub-assembly's value is its base
  bool reading = false;  // one reading of a rule_of: its code's own rules apply, not another rule_of
};

struct CriterionCapture {
  bool has = false;
  CompareOp op = CompareOp::le;
  Decimal lhs, rhs, percent, base;
  bool has_percent = false;
  bool passed = false;  // the comparison (or the nested criterion it came from) held
};

struct Failure {
  std::size_t material;
  std::string reason;
};

class Evaluator {
public:
  Evaluator(const Program& p, const CompiledProgram& cp, const std::vector<MaterialView>& mats, const Product& product,
            bool trace, std::uint64_t& steps_left)
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

  // Missing data noticed during evaluation (deduplicated, in order).
  std::vector<MissingData> missing;
  // Tolerance: materials to disregard in `every` quantifiers, and the ones that failed.
  Bits ignore_;
  Bits collected_;
  bool collect_ = false;
  bool shift_only_ = false;  // tolerance may cure only tariff-shift failures

  Tri condition(std::uint32_t id, ExplainNode* into) {
    ExplainNode* saved = node_;
    node_ = into;
    Tri t = eval_bool(id);
    node_ = saved;
    return t;
  }

  // Top-level criterion results of the last evaluation, for by_criterion.
  struct TopCriterion {
    std::string name;
    Tri verdict;
    CriterionCapture capture;
    const Symbol* symbol;
    std::vector<std::string> failing;  // labels of the materials that failed it
  };
  std::vector<TopCriterion> tops;

private:
  const Program& p_;
  const CompiledProgram& cp_;
  const std::vector<MaterialView>& mats_;
  const Product& product_;
  std::vector<std::size_t> slots_;
  Bits all_, non_, orig_;
  bool trace_;
  // The product's work budget (DetermineOptions::max_steps), shared by every
  // evaluator of one determination; at zero every test answers unknown and the
  // determination becomes an error (bom-too-complex).
  std::uint64_t& steps_left_;
  ExplainNode* node_ = nullptr;  // where explanation children go
  int criterion_depth_ = 0;
  CriterionCapture* capture_ = nullptr;
  std::vector<Failure>* failures_ = nullptr;  // failing materials of the current criterion
  Decimal last_percent_, last_base_;
  bool has_last_percent_ = false;

  const Node& n(std::uint32_t id) const { return cp_.nodes[id]; }

  // Notes data the rule needs: the BOM field, the material ("" for the
  // product) and the words messages use.
  void need(std::string field, std::string_view material, std::string text) {
    MissingData m{std::move(field), std::string(material), std::move(text), {}, "rule"};
    if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(std::move(m));
  }
  // The material's id for a `who` of label() ("material M3"), "" for "the product".
  std::string_view who_id(std::string_view who) const {
    return who.starts_with("material ") ? who.substr(9) : std::string_view();
  }

  const Material& mat(std::uint32_t id) { return *mats_[slots_[n(id).slot]].m; }
  std::size_t mat_index(std::uint32_t id) { return slots_[n(id).slot]; }

  static Tri tri(bool b) { return b ? Tri::yes : Tri::no; }

  // Attribute as a boolean: true/false text, or unknown.
  Tri attribute_flag(const Item& item, const std::string& name, const std::string& who) {
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

  Num attribute_number(const Item& item, const std::string& name, const std::string& who) {
    const Attribute* a = item.attribute(name);
    if (a) {
      if (auto d = Decimal::parse(a->text)) return {true, *d};
    }
    need("attributes." + name, who_id(who), fmt::format("attribute '{}' of {} as a number", name, who));
    return {};
  }

  std::string label(std::size_t i) const { return fmt::format("material {}", mats_[i].label); }

  // A test on a material's code. A code created after the agreement's edition
  // is read as each code of that edition it stands for: the test holds when it
  // holds for all of them, fails when it fails for all, and is undecided
  // (naming what would decide it) when they differ.
  template <typename Test>
  Tri readings(std::size_t i, Test&& test) {
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

  bool out_of_steps() {
    if (steps_left_ == 0) return true;
    --steps_left_;
    return false;
  }

  Tri eval_bool(std::uint32_t id) {
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
        std::string p = n(nd.a).text;
        for (auto c : cp_.lists[n(nd.b).list])
          if (n(c).text == p) return Tri::yes;
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
        return tri(std::find(list.begin(), list.end(), n(nd.a).text) != list.end());
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
      case Op::product_is: return attribute_flag(*product_.item, nd.text, "the product");
      case Op::material_is: return attribute_flag(mat(nd.a), nd.text, label(mat_index(nd.a)));
      default: return Tri::unknown;
    }
  }

  Tri compare(const Node& nd) {
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
    if (capture_ && !capture_->has && (rhs_percent || money_node(nd.a))) {
      capture_->has = true;
      capture_->op = op;
      capture_->lhs = a.value;
      capture_->rhs = b.value;
      capture_->has_percent = rhs_percent;
      capture_->percent = pct;
      capture_->base = base;
      capture_->passed = r;
    }
    return tri(r);
  }

  // Does the node compute an amount of money (so its comparison is a figure worth reporting)?
  bool money_node(std::uint32_t id) const {
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
  std::string failure_reason(std::uint32_t body, std::size_t i) {
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

  Tri quantifier(const Node& nd) {
    SetValue s = eval_set(nd.a);
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
          if (failures_) failures_->push_back({i, trace_ ? failure_reason(nd.b, i) : std::string()});
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

  Tri criterion(std::uint32_t id) {
    const Node& nd = n(id);
    const ast::CriterionDef& def = *nd.symbol->criterion;
    bool top = criterion_depth_ == 0;
    CriterionCapture capture;
    CriterionCapture* saved_capture = capture_;
    // A criterion that reports a figure keeps its own; nested in another
    // (rvc: build-down or build-up), it is passed up below.
    bool own_capture = top || !def.reports.empty();
    if (own_capture) capture_ = &capture;
    std::vector<Failure> failures;
    std::vector<Failure>* saved_failures = failures_;
    if (top || (trace_ && !failures_)) failures_ = &failures;
    ExplainNode* parent = node_;
    ExplainNode* mine = nullptr;
    if (trace_ && parent && top) {
      parent->children.emplace_back();
      mine = &parent->children.back();
      mine->label = nd.symbol->name;
      mine->text = nd.expr ? render_expr(p_, *nd.expr) : nd.symbol->name;
      mine->source = nd.expr ? format_ref(SourceRef{nd.unit, nd.expr->span}) : std::string();
      node_ = mine;
    }
    std::size_t missing_before = missing.size();
    ++criterion_depth_;
    Tri t = eval_bool(nd.a);
    --criterion_depth_;
    if (mine) {
      mine->verdict = t;
      for (const auto& f : failures) {
        const Material& m = *mats_[f.material].m;
        mine->materials.push_back(material_note(mats_[f.material].label, m, f.reason, false));
      }
      if (capture.has) add_capture_figures(*mine, capture, def.reports);
      for (std::size_t k = missing_before; k < missing.size(); ++k) mine->missing.push_back(missing[k].text);
    }
    if (top) {
      std::vector<std::string> failing;
      for (const auto& f : failures)
        if (failing.empty() || failing.back() != mats_[f.material].label) failing.emplace_back(mats_[f.material].label);
      tops.push_back(TopCriterion{nd.symbol->name, t, capture, nd.symbol, std::move(failing)});
    }
    // The enclosing criterion shows the figures of the first nested method,
    // or of the first one that held when an earlier one did not.
    if (!top && own_capture && saved_capture && capture.has &&
        (!saved_capture->has || (t == Tri::yes && !saved_capture->passed))) {
      *saved_capture = capture;
      saved_capture->passed = t == Tri::yes;
    }
    node_ = parent;
    capture_ = saved_capture;
    failures_ = saved_failures;
    return t;
  }

 public:
  // Money and weights: the exact value, with at least two decimals and no
  // trailing zeros beyond them (500.0000 -> 500.00, 0.01500 -> 0.015).
  static std::string money(const Decimal& d) {
    std::string text = d.scale() >= 2 ? d.to_string() : d.format(2);
    std::size_t point = text.find('.');
    if (point != std::string::npos)
      while (text.size() > point + 3 && text.back() == '0') text.pop_back();
    return text;
  }

  static Figure money_figure(std::string name, const Decimal& d) {
    return Figure{std::move(name), money(d), d, Decimal::from_int(1)};
  }
  // 100 * num / den, displayed as percent_text shows it.
  static Figure percent_figure(std::string name, const Decimal& num, const Decimal& den,
                               const std::optional<Decimal>& limit) {
    return Figure{std::move(name), percent_text(num, den, limit), num.shifted(2), den};
  }
  // A percentage written in the rules (the limit of a criterion).
  static Figure stated_percent(std::string name, const Decimal& p) {
    return Figure{std::move(name), p.format(2), p, Decimal::from_int(1)};
  }
  static MaterialNote material_note(std::string_view label, const Material& m, std::string reason, bool saved) {
    return MaterialNote{std::string(label), m.hs.dotted(), m.value ? money(*m.value) : std::string(), m.value,
                        std::move(reason), saved};
  }

  static void add_capture_figures(ExplainNode& node, const CriterionCapture& c, const std::string& reports) {
    for (auto& f : capture_figures(c, reports)) node.figures.push_back(std::move(f));
  }

  // Percentages shown with two decimals, or more when two decimals would hide
  // which side of the limit the exact value is on.
  static std::string percent_text(const Decimal& num, const Decimal& den, const std::optional<Decimal>& limit) {
    if (den.is_zero()) return "n/a";
    for (int places = 2; places <= 8; ++places) {
      auto shown = Decimal::divide(num.shifted(2), den, places);
      if (!shown) return "n/a";
      if (!limit) return shown->format(places);
      int exact = compare_ratio(num.shifted(2), den, *limit, Decimal::from_int(1));
      int display = shown->compare(*limit);
      if (exact == display || places == 8) return shown->format(places);
    }
    return "n/a";
  }

  static std::vector<Figure> capture_figures(const CriterionCapture& c, const std::string& reports) {
    std::vector<Figure> out;
    bool at_most = c.op == CompareOp::le || c.op == CompareOp::lt;
    if (c.has_percent && !c.base.is_zero()) {
      std::string name = reports == "rvc" ? "rvc_percent" : reports == "nom" ? "nom_percent" : "percent";
      out.push_back(percent_figure(name, c.lhs, c.base, c.percent));
      out.push_back(stated_percent("limit_percent", c.percent));
      out.push_back(money_figure("base", c.base));
    }
    out.push_back(money_figure("value", c.lhs));
    out.push_back(money_figure("limit", c.rhs));
    out.push_back(money_figure("headroom", at_most ? c.rhs - c.lhs : c.lhs - c.rhs));
    return out;
  }

 private:
  // ---- numbers ----

  Num eval_num(std::uint32_t id) {
    if (out_of_steps()) return {};
    const Node& nd = n(id);
    switch (nd.op) {
      case Op::const_num: return {true, nd.number};
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
      case Op::product_number: return attribute_number(*product_.item, nd.text, "the product");
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
      case Op::material_number: return attribute_number(mat(nd.a), nd.text, label(mat_index(nd.a)));
      case Op::aggregate: return aggregate(nd);
      case Op::total: {
        SetValue s = eval_set(nd.a);
        if (s.maybe.any()) return {};
        Num sum{true, Decimal()};
        std::string attr = n(nd.b).text;
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
          if (std::find(list.begin(), list.end(), n(c).text) != list.end()) ++count;
        }
        return {true, Decimal::from_int(count)};
      }
      default: return {};
    }
  }

  Num aggregate(const Node& nd) {
    SetValue s = eval_set(nd.a);
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
  Tri member_of(std::uint32_t id, std::size_t i) {
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

  SetValue eval_set(std::uint32_t id) {
    const Node& nd = n(id);
    std::size_t size = mats_.size();
    switch (nd.op) {
      case Op::set_all: return {all_, Bits(size)};
      case Op::set_non_originating: return {non_, Bits(size)};
      case Op::set_originating: return {orig_, Bits(size)};
      case Op::set_empty: return {Bits(size), Bits(size)};
      case Op::set_of:
      case Op::set_of_codes: {
        SetValue s = nd.op == Op::set_of ? eval_set(nd.a) : SetValue{all_, Bits(size)};
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
        SetValue a = eval_set(nd.a);
        SetValue b = eval_set(nd.b);
        a.sure |= b.sure;
        a.maybe |= b.maybe;
        a.maybe.minus(a.sure);
        return a;
      }
      case Op::set_diff: {
        SetValue a = eval_set(nd.a);
        SetValue b = eval_set(nd.b);
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
        SetValue s = eval_set(nd.a);
        SetValue out{Bits(size), Bits(size)};
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
  HsCode code_of(std::uint32_t id) {
    const Node& nd = n(id);
    if (nd.op == Op::material_hs) return mat(nd.a).hs;
    if (nd.op == Op::product_codes) return nd.aux ? product_.hs.truncated(nd.aux) : product_.hs;
    return HsCode();
  }

  // Whether the codes of a code-valued node (a literal set, or the product's or
  // a material's code) contain `code`. Allocates nothing.
  bool codes_contain(std::uint32_t id, const HsCode& code) {
    const Node& nd = n(id);
    if (nd.op == Op::const_codes) return cp_.code_sets[nd.codes].contains(code);
    HsCode own = code_of(id);
    return own.valid() && own.contains(code);
  }
};

// ---- determination ---------------------------------------------------------

struct Tolerance {
  bool any = false;
  Decimal percent;
  std::string base;  // "weight" or a value base
};

Tolerance tolerance_for(const Program& p, const HsCode& code) {
  const roo::Tolerance* fallback = nullptr;
  for (const auto& t : p.agreement.tolerances) {
    if (t.chapters.empty()) {
      if (!fallback) fallback = &t;
      continue;
    }
    if (t.chapters.contains(code)) return t.none ? Tolerance{} : Tolerance{true, t.percent, t.base};
  }
  if (fallback && !fallback->none) return Tolerance{true, fallback->percent, fallback->base};
  return {};
}

struct Run;

class Determiner {
public:
  Determiner(const Program& p, const DetermineOptions& o) : p_(p), cp_(*p.compiled), opt_(o) {}

  Determination run(const Bom& bom) {
    Determination d;
    d.agreement = p_.agreement.id;
    d.product = bom.product.id;
    d.engine_version = ROO_VERSION;
    d.rules_sha256 = p_.rules_sha256;
    d.figures.basis = p_.agreement.basis;
    Date date = opt_.date ? *opt_.date : bom.date ? *bom.date : Date::today();
    d.date = date.to_string();
    std::string destination = !opt_.destination.empty() ? opt_.destination : bom.product.destination;
    later_edition_ = bom.hs_edition > p_.agreement.hs_edition;
    if (bom.hs_edition != p_.agreement.hs_edition)
      message(d, Severity::warning, "roo-hs-edition",
              fmt::format("the BOM's codes are in HS {}, the agreement's rules in HS {}; codes were matched as given{}",
                          bom.hs_edition, p_.agreement.hs_edition,
                          cp_.has_rule_of && later_edition_
                              ? fmt::format(", except that a code created since HS {} is read as the codes its rule_of names",
                                            p_.agreement.hs_edition)
                              : ""));
    Product product{&bom.product, bom.product.hs, &bom.product.bases, std::nullopt};
    evaluate_product(d, bom, bom.materials, product, date, destination, 0);
    if (steps_left_ == 0) {
      // Out of budget: whatever was decided is not trusted.
      Diagnostic too_complex;
      too_complex.code = "bom-too-complex";
      too_complex.message = fmt::format(
          "the product took more than {} evaluation steps (materials times rule size); it was not decided. "
          "Raise the limit (--max-steps) if the BOM is meant to be this large",
          opt_.max_steps);
      too_complex.file = bom.product.id;
      Determination e = error_determination(p_, d.product, {too_complex});
      e.date = d.date;
      return e;
    }
    return d;
  }

private:
  const Program& p_;
  const CompiledProgram& cp_;
  const DetermineOptions& opt_;
  std::uint64_t steps_left_ = opt_.max_steps;
  // Re-evaluating with sub-assemblies of undetermined origin counted as
  // originating (the best case), to see whether the verdict depends on them.
  bool optimistic_ = false;
  // The BOM's codes are in a later HS edition than the rules: `rule_of`
  // entries (codes created since the agreement's edition) apply.
  bool later_edition_ = false;

  static void message(Determination& d, Severity s, std::string code, std::string text) {
    d.messages.push_back(Message{s, std::move(code), std::move(text)});
  }

  // Missing data that leaves the result undetermined: a roo-missing message
  // in words, and the structured entry (what for, and which rule asked).
  static void report_missing(Determination& d, MissingData m, std::string_view purpose, std::string_view needed_by,
                             std::string text) {
    message(d, Severity::error, "roo-missing", std::move(text));
    if (m.purpose != "tolerance") m.purpose = std::string(purpose);
    m.needed_by = std::string(needed_by);
    if (std::find(d.missing.begin(), d.missing.end(), m) == d.missing.end()) d.missing.push_back(std::move(m));
  }
  static std::vector<std::string> texts(const std::vector<MissingData>& missing) {
    std::vector<std::string> out;
    for (const auto& m : missing) out.push_back(m.text);
    return out;
  }

  bool is_partner(const std::string& country) const {
    for (const auto& c : p_.agreement.cumulation)
      if (std::find(c.partners.begin(), c.partners.end(), country) != c.partners.end()) return true;
    return false;
  }

  // Origin of a material under this agreement, before roll-up. Returns false
  // (with an error message) on contradictory declarations.
  bool declared_origin(Determination& d, const Material& m, std::string_view label, std::optional<bool>& out) {
    if (!m.originating_under.empty()) {
      bool listed = std::find(m.originating_under.begin(), m.originating_under.end(), p_.agreement.id) != m.originating_under.end();
      if (m.originating && *m.originating != listed) {
        message(d, Severity::error, "roo-origin-conflict",
                fmt::format("material {} says originating: {} but originating_under {} {}", label,
                            *m.originating ? "true" : "false", listed ? "lists" : "does not list", p_.agreement.id));
        return false;
      }
      out = listed;
      return true;
    }
    out = m.originating;
    return true;
  }

  // Builds the evaluation view of a list of materials: roll-up of self-produced
  // sub-assemblies first (depth first), then origin under cumulation.
  // `uncertain` is set when a sub-assembly's origin could not be determined
  // (it then counts as non-originating, or as originating when optimistic_).
  bool build_materials(Determination& d, const Bom& bom, const std::vector<Material>& list, const Date& date,
                       const std::string& destination, int depth, std::vector<MaterialView>& out, bool& used_cumulation,
                       bool& uncertain) {
    out.reserve(out.size() + list.size());
    for (const auto& m : list) {
      if (m.role == MaterialRole::packing || m.role == MaterialRole::neutral) continue;
      std::string_view label = !m.id.empty() ? std::string_view(m.id) : std::string_view(m.place.pointer);
      std::optional<bool> originating;
      if (!declared_origin(d, m, label, originating)) return false;
      bool has_sub = !m.materials.empty() && (m.self_produced || (!m.produced_in.empty() && is_partner(m.produced_in)));
      if (!originating && has_sub) {
        // Roll-up: decide the intermediate's origin by the rule for its own code, its value as the base.
        Determination sub;
        sub.agreement = d.agreement;
        Product sub_product{&m, m.hs, &bom.product.bases, m.value};
        if (!m.value) {
          message(d, Severity::warning, "roo-roll-up",
                  fmt::format("material {} is self-produced but has no value: its origin could not be determined and it counts as non-originating", label));
          originating = optimistic_;
          uncertain = true;
        } else {
          evaluate_product(sub, bom, m.materials, sub_product, date, destination, depth + 1);
          originating = sub.status == Status::originating || (optimistic_ && sub.status == Status::undetermined);
          if (sub.status == Status::undetermined) uncertain = true;
          std::string verdict = sub.status == Status::originating ? "originating"
                                : sub.status == Status::not_originating ? "not originating"
                                                                        : std::string(status_name(sub.status));
          bool partner = !m.self_produced;
          message(d, Severity::note, "roo-roll-up",
                  fmt::format("{} {} ({}){} is {} {}{}", partner ? "material" : "self-produced material", label,
                              m.hs.dotted(), partner ? fmt::format(", produced in {} (full cumulation),", m.produced_in) : "",
                              verdict, sub.rule ? "under " + sub.rule->scope : std::string("(no rule could be chosen for it)"),
                              sub.status == Status::originating ? " and counts as originating"
                              : partner ? "; the partner's production counts, so its own materials are looked through"
                                        : ""));
          if (partner) used_cumulation = true;
          // What the sub-assembly's determination said, as this product's warnings
          // (whether it matters for this product is this product's verdict to say).
          for (auto& msg : sub.messages) {
            if (msg.severity == Severity::note) continue;
            Message copy{Severity::warning, msg.code,
                         fmt::format("in the roll-up of material {} ({}): {}", label, m.hs.dotted(), msg.message)};
            bool seen = std::any_of(d.messages.begin(), d.messages.end(), [&](const Message& x) {
              return x.code == copy.code && x.message == copy.message;
            });
            if (!seen) d.messages.push_back(std::move(copy));
          }
          if (sub.status == Status::error) return false;
          // Full cumulation: production in a partner counts whether or not it was sufficient,
          // so a partner's intermediate that does not qualify is looked through to its inputs.
          bool look_through = !m.self_produced || (p_.agreement.roll_up == "look_through" && !m.intermediate.value_or(false));
          if (!*originating && look_through) {
            if (!build_materials(d, bom, m.materials, date, destination, depth + 1, out, used_cumulation, uncertain)) return false;
            continue;
          }
        }
      }
      MaterialView v;
      v.m = &m;
      v.label = label;
      if (later_edition_ && cp_.has_rule_of) v.reads = followed_codes(m.hs);
      v.originating = originating.value_or(false);
      // Non-preferential rules ask whether a material comes from the country of production.
      if (p_.agreement.non_preferential)
        v.originating = !m.origin.empty() && m.origin == bom.product.produced_in;
      if (v.originating && !m.origin.empty() && is_partner(m.origin)) {
        bool party = false;
        for (const auto& party_code : p_.agreement.parties) {
          if (party_code == m.origin || (party_code == "EU" && (m.origin == "EU" || is_eu_member_state(m.origin)))) party = true;
        }
        if (!party || (bom.product.produced_in.size() && m.origin != bom.product.produced_in &&
                       !(bom.product.produced_in == "GB" && m.origin == "XI"))) {
          v.cumulated = !party || m.origin != bom.product.produced_in;
        }
      }
      if (v.cumulated) used_cumulation = true;
      out.push_back(std::move(v));
    }
    return true;
  }

  // The codes of the agreement's edition that a code created after it stands
  // for: those of the narrowest rule_of scope that covers it; null when none does.
  const std::vector<HsCode>* followed_codes(const HsCode& code) const {
    int chapter = code.chapter_number();
    if (chapter < 0 || chapter >= 100) return nullptr;
    const std::vector<HsCode>* best = nullptr;
    std::uint64_t best_width = UINT64_MAX;
    for (auto index : cp_.rule_of_by_chapter[chapter]) {
      const RuleEntry& e = *cp_.rules[index].entry;
      for (const auto& item : e.items)
        if (item.interval.low <= code.low10() && code.high10() <= item.interval.high && item.width < best_width) {
          best = &e.follows;
          best_width = item.width;
        }
    }
    return best;
  }

  // Rules that apply to the product on the date for the destination: the
  // most specific scope wins; ex rules by their condition.
  // When 'ex' conditions cannot be decided (`undetermined`), `possible` gets
  // each set of rules that may be the one that applies, if there are few.
  std::vector<const CompiledRule*> select_rules(Determination& d, Evaluator& ev, const HsCode& code, const Date& date,
                                                const std::string& destination, bool reading, bool& undetermined,
                                                std::vector<std::vector<const CompiledRule*>>& possible) {
    std::vector<const CompiledRule*> in_force;
    std::vector<const CompiledRule*> expired;
    int chapter = code.chapter_number();
    struct Cand {
      const CompiledRule* rule;
      std::uint64_t width;
    };
    std::vector<Cand> cands;
    if (chapter >= 0 && chapter < 100) {
      for (auto index : cp_.by_chapter[chapter]) {
        const CompiledRule& r = cp_.rules[index];
        std::uint64_t best = UINT64_MAX;
        for (const auto& item : r.entry->items)
          if (item.interval.low <= code.low10() && code.high10() <= item.interval.high) best = std::min(best, item.width);
        if (best == UINT64_MAX) continue;
        const RuleEntry& e = *r.entry;
        // A reading of a rule_of takes the rules written for its code, never
        // another rule_of (the checker forbids chains; this makes them harmless).
        if (!e.follows.empty() && (!later_edition_ || reading)) continue;
        if ((e.valid_from && date < *e.valid_from) || (e.valid_until && *e.valid_until < date)) {
          expired.push_back(&r);
          continue;
        }
        if (!e.rule->to.empty()) {
          if (destination.empty()) {
            message(d, Severity::warning, "roo-destination",
                    fmt::format("the rule at {} applies to imports into {} only; no destination was given", r.source,
                                fmt::join(e.rule->to, ", ")));
            continue;
          }
          bool match = false;
          for (const auto& to : e.rule->to)
            if (to == destination || (to == "EU" && is_eu_member_state(destination))) match = true;
          if (!match) continue;
        }
        cands.push_back({&r, best});
      }
    }
    if (cands.empty()) {
      for (const auto* r : expired)
        message(d, Severity::warning, "roo-rule-expired",
                fmt::format("the rule at {} covers this code but is not in force on {}", r->source, date.to_string()));
      return {};
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.width < b.width; });
    // The narrowest level that has a rule applying to this product. With
    // all_rules_apply (CPTPP), every 'ex' rule of that level whose condition
    // holds must be met; the residual rule ("any other product") applies only
    // when none does. An 'ex' rule whose condition cannot be decided sets
    // `undetermined`: the caller cannot say the product is originating.
    std::size_t i = 0;
    while (i < cands.size()) {
      std::uint64_t width = cands[i].width;
      std::vector<const CompiledRule*> ex, plain, maybe;
      bool unknown = false;
      for (; i < cands.size() && cands[i].width == width; ++i) {
        const CompiledRule* r = cands[i].rule;
        if (r->condition == no_node) {
          plain.push_back(r);
          continue;
        }
        Tri t = ev.condition(r->condition, nullptr);
        if (t == Tri::yes) ex.push_back(r);
        if (t == Tri::unknown) {
          unknown = true;
          maybe.push_back(r);
        }
      }
      if (unknown) possible = possible_selections(ex, maybe, plain);
      if (!ex.empty() && p_.agreement.all_rules_apply) {
        undetermined = unknown;
        return ex;
      }
      if (!ex.empty()) {
        if (ex.size() > 1)
          message(d, Severity::warning, "roo-ex-overlap",
                  fmt::format("several 'ex' rules apply to this product ({} and {}); the first is used", ex[0]->source,
                              ex[1]->source));
        return {ex.front()};
      }
      if (unknown) {
        undetermined = true;
        return {};
      }
      if (!plain.empty()) {
        if (p_.agreement.all_rules_apply) return plain;
        return {plain.front()};
      }
    }
    return {};
  }

  struct AltResult {
    Tri verdict = Tri::no;
    bool tolerance_used = false;
    Decimal tolerance_amount;
    Decimal tolerance_limit;
    std::vector<std::size_t> saved;
    bool wholly_obtained = false;
    bool tolerance_tried = false;  // the tolerance was computed for this alternative
    std::vector<Evaluator::TopCriterion> tops;
  };

  // One alternative of a rule, with the tolerance applied when it fails only
  // on materials whose total stays within the limit.
  AltResult alternative(Evaluator& ev, std::uint32_t node, const Tolerance& tol, const Product& product,
                        const std::vector<MaterialView>& mats, ExplainNode* explain, std::vector<MissingData>& missing) {
    AltResult r;
    r.wholly_obtained = contains_op(node, Op::product_wo);
    ev.ignore_ = Bits(mats.size());
    ev.collected_ = Bits(mats.size());
    ev.collect_ = tol.any && !r.wholly_obtained;
    ev.shift_only_ = p_.agreement.tolerance_applies_to == "tariff_shift";
    ev.tops.clear();
    ev.missing.clear();
    ExplainNode first_pass;
    r.verdict = ev.condition(node, explain ? &first_pass : nullptr);
    r.tops = ev.tops;
    missing = ev.missing;
    ev.collect_ = false;
    if (r.verdict == Tri::no && tol.any && !r.wholly_obtained && ev.collected_.any()) {
      // The failing materials' share, by value or by weight.
      Decimal used;
      bool known = true;
      std::vector<std::size_t> failing;
      ev.collected_.each([&](std::size_t i) { failing.push_back(i); });
      for (auto i : failing) {
        const Material& m = *mats[i].m;
        const auto& amount = tol.base == "weight" ? m.weight_kg : m.value;
        if (!amount) {
          known = false;
          missing.push_back(MissingData{tol.base == "weight" ? "weight_kg" : "value", std::string(mats[i].label),
                                        fmt::format("the {} of material {} (for the tolerance)",
                                                    tol.base == "weight" ? "weight" : "value", mats[i].label),
                                        {}, "tolerance"});
        } else {
          used += *amount;
        }
      }
      std::optional<Decimal> base;
      if (tol.base == "weight") base = product.item->weight_kg;
      else if (product.price_override) base = product.price_override;
      else if (auto b = value_basis_from_name(tol.base)) base = (*product.bases)[static_cast<std::size_t>(*b)];
      if (!base) {
        known = false;
        missing.push_back(MissingData{tol.base == "weight" ? "weight_kg" : tol.base, "",
                                      tol.base == "weight" ? "the product's weight (for the tolerance)"
                                                           : fmt::format("the product's '{}' (for the tolerance)", tol.base),
                                      {}, "tolerance"});
      }
      std::optional<Decimal> known_limit;
      if (base) known_limit = (tol.percent * *base).shifted(-2);
      if (!known && known_limit && used > *known_limit) {
        // The failing materials whose amounts are known already exceed the limit.
        r.tolerance_tried = true;
        r.tolerance_limit = *known_limit;
        r.tolerance_amount = used;
        std::erase_if(missing, [](const MissingData& m) { return m.purpose == "tolerance"; });
      } else if (!known) {
        r.verdict = Tri::unknown;
      } else {
        Decimal limit = (tol.percent * *base).shifted(-2);
        r.tolerance_limit = limit;
        r.tolerance_amount = used;
        r.tolerance_tried = true;
        if (used <= limit) {
          ev.ignore_ = ev.collected_;
          ev.tops.clear();
          ev.missing.clear();
          ExplainNode second;
          Tri again = ev.condition(node, explain ? &second : nullptr);
          if (again == Tri::yes) {
            r.verdict = Tri::yes;
            r.tolerance_used = true;
            r.saved = failing;
            r.tops = ev.tops;
            first_pass = std::move(second);
            // Mark the disregarded materials in the explanation.
            mark_saved(first_pass, mats, failing, used, limit);
          } else if (again == Tri::unknown) {
            // With the failures disregarded, the rest needs data the BOM lacks.
            r.verdict = Tri::unknown;
            for (const auto& m : ev.missing)
              if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
          }
          ev.ignore_ = Bits(mats.size());
        }
      }
    }
    if (explain) {
      for (auto& c : first_pass.children) explain->children.push_back(std::move(c));
    }
    return r;
  }

  void mark_saved(ExplainNode& node, const std::vector<MaterialView>& mats, const std::vector<std::size_t>& saved,
                  const Decimal& used, const Decimal& limit) {
    for (auto& child : node.children) {
      if (child.verdict != Tri::yes) continue;
      bool any = false;
      for (auto i : saved) {
        const Material& m = *mats[i].m;
        child.materials.push_back(
            Evaluator::material_note(mats[i].label, m, "fails the condition, but is disregarded under the tolerance", true));
        any = true;
      }
      if (any) child.saved_by = fmt::format("tolerance: {} used of a {} limit", Evaluator::money(used), Evaluator::money(limit));
      break;
    }
  }

  bool contains_op(std::uint32_t id, Op op) const {
    const Node& nd = cp_.nodes[id];
    if (nd.op == op) return true;
    if (nd.op == Op::and_ || nd.op == Op::or_) {
      for (auto c : cp_.lists[nd.list])
        if (contains_op(c, op)) return true;
      return false;
    }
    if (nd.op == Op::criterion || nd.op == Op::not_) return contains_op(nd.a, op);
    return false;
  }

  // The alternatives of a rule body: the operands of a top-level `or`.
  std::vector<std::uint32_t> alternatives(std::uint32_t body) const {
    const Node& nd = cp_.nodes[body];
    if (nd.op == Op::or_) return cp_.lists[nd.list];
    return {body};
  }

 public:
  // `forced`: evaluate these rules instead of selecting them (one reading of a
  // selection that unknown 'ex' conditions left open).
  void evaluate_product(Determination& d, const Bom& bom, const std::vector<Material>& materials, const Product& product,
                        const Date& date, const std::string& destination, int depth,
                        const std::vector<const CompiledRule*>* forced = nullptr) {
    bool explain = opt_.explain != Explain::none && depth == 0 && !optimistic_;
    std::vector<MaterialView> mats;
    bool used_cumulation = false;
    bool uncertain = false;
    if (!build_materials(d, bom, materials, date, destination, depth, mats, used_cumulation, uncertain)) {
      d.status = Status::error;
      return;
    }
    if (depth == 0 && bom.product.is_set) {
      if (p_.agreement.sets_percent && !p_.agreement.non_preferential) {
        decide_set(d, bom, mats, uncertain, used_cumulation, explain);
        return;
      }
      message(d, Severity::note, "roo-set",
              "the product is a set, but the agreement has no sets provision: the rule for the set's code applies");
    }
    Evaluator ev(p_, cp_, mats, product, explain, steps_left_);
    bool undetermined = false;
    std::vector<std::vector<const CompiledRule*>> possible;
    auto rules = forced ? *forced : select_rules(d, ev, product.hs, date, destination, product.reading, undetermined, possible);
    // Only for the product itself: tried at every level of nested sub-assemblies,
    // the readings would multiply.
    if (undetermined && depth == 0 && !possible.empty() &&
        decide_across(d, bom, materials, product, date, destination, depth, possible, ev.missing))
      return;
    if (rules.empty()) {
      d.status = Status::undetermined;
      if (undetermined) {
        for (const auto& m : ev.missing)
          report_missing(d, m, "choice of 'ex' rule", "", fmt::format("missing {}, needed to choose between the 'ex' rules", m.text));
      } else {
        message(d, Severity::error, "roo-no-rule",
                fmt::format("no rule of {} applies to HS {} on {}", p_.agreement.id, product.hs.dotted(), date.to_string()));
      }
      return;
    }
    for (const CompiledRule* r : rules) {
      if (!r->entry->follows.empty()) {
        follow(d, bom, materials, product, date, destination, depth, *r);
        return;
      }
    }
    // all_rules_apply: an 'ex' rule that may apply could not be checked.
    std::vector<MissingData> selection_missing;
    if (undetermined) selection_missing = ev.missing;
    const CompiledRule& rule = *rules.front();
    d.rule = Determination::RuleRef{rule.scope_text, rule.text, rule.source, rule.citation};
    for (std::size_t k = 1; k < rules.size(); ++k) {
      d.rule->scope += "; " + rules[k]->scope_text;
      d.rule->text += "; and " + rules[k]->text;
    }
    Tolerance tol = tolerance_for(p_, product.hs);

    // Overall figures.
    Decimal vnm, vom;
    bool values_known = true;
    for (const auto& v : mats) {
      if (v.m->role == MaterialRole::packing || v.m->role == MaterialRole::neutral) continue;
      if (!v.m->value) {
        values_known = false;
        continue;
      }
      // Split without copies: this loop runs over every material of every product.
      if (v.originating) {
        vom += *v.m->value;
      } else if (v.m->originating_value) {
        vom += *v.m->originating_value;
        vnm += *v.m->value - *v.m->originating_value;
      } else {
        vnm += *v.m->value;
      }
    }
    std::optional<Decimal> basis_value = product.price_override;
    if (!basis_value) {
      if (auto b = value_basis_from_name(p_.agreement.basis)) basis_value = (*product.bases)[static_cast<std::size_t>(*b)];
    }
    if (values_known) {
      d.figures.vnm = Evaluator::money_figure("vnm", vnm);
      d.figures.vom = Evaluator::money_figure("vom", vom);
    }
    if (basis_value) d.figures.basis_value = Evaluator::money_figure("basis_value", *basis_value);
    if (values_known && basis_value && !basis_value->is_zero())
      d.figures.nom_percent = Evaluator::percent_figure("nom_percent", vnm, *basis_value, std::nullopt);
    if (tol.any) {
      std::optional<Decimal> tol_base = tol.base == "weight" ? product.item->weight_kg
                                        : tol.base == p_.agreement.basis ? basis_value
                                                                         : std::optional<Decimal>();
      if (!tol_base && tol.base != "weight") {
        if (auto b = value_basis_from_name(tol.base)) tol_base = (*product.bases)[static_cast<std::size_t>(*b)];
      }
      if (tol_base) d.figures.tolerance_limit = Evaluator::money_figure("tolerance_limit", (tol.percent * *tol_base).shifted(-2));
    }

    ExplainNode root;
    if (explain) {  // tracing off costs nothing: no explanation text is copied
      root.label = rules.size() > 1 ? "all of" : "rule";
      root.text = d.rule->text;
      root.source = rule.source;
    }
    Tri overall = Tri::yes;
    bool tolerance_used = false;
    bool wholly_obtained = false;
    std::vector<MissingData> all_missing;
    for (const CompiledRule* r : rules) {
      auto alts = alternatives(r->body);
      ExplainNode any_of;
      if (explain) {
        any_of.label = alts.size() > 1 ? "any of" : "rule";
        any_of.text = r->text;
        any_of.source = r->source;
      }
      Tri rule_verdict = Tri::no;
      const AltResult* decided = nullptr;
      std::vector<AltResult> results;
      results.reserve(alts.size());
      for (auto alt : alts) {
        ExplainNode alt_node;
        std::vector<MissingData> missing;
        results.push_back(alternative(ev, alt, tol, product, mats, explain ? &alt_node : nullptr, missing));
        AltResult& res = results.back();
        for (const auto& m : missing)
          if (std::find(all_missing.begin(), all_missing.end(), m) == all_missing.end()) all_missing.push_back(m);
        if (explain) {
          if (alt_node.children.size() == 1 && alts.size() > 1 && cp_.nodes[alt].op == Op::criterion) {
            any_of.children.push_back(std::move(alt_node.children.front()));
          } else {
            alt_node.label = alt_node.children.size() > 1 ? "all of" : "condition";
            alt_node.verdict = res.verdict;
            alt_node.text = render_expr(p_, *cp_.nodes[alt].expr);
            alt_node.source = format_ref(SourceRef{cp_.nodes[alt].unit, cp_.nodes[alt].expr->span});
            if (alts.size() > 1 || alt_node.children.empty()) any_of.children.push_back(std::move(alt_node));
            else
              for (auto& c : alt_node.children) any_of.children.push_back(std::move(c));
          }
          if (!any_of.children.empty()) any_of.children.back().verdict = res.verdict;
          if (res.tolerance_used && !any_of.children.empty() && any_of.children.back().saved_by.empty())
            any_of.children.back().saved_by = fmt::format("tolerance: {} used of a {} limit",
                                                          Evaluator::money(res.tolerance_amount), Evaluator::money(res.tolerance_limit));
        }
        for (const auto& t : res.tops) {
          CriterionFigures cf;
          cf.criterion = t.name;
          cf.passed = t.verdict;
          if (t.capture.has) cf.figures = Evaluator::capture_figures(t.capture, t.symbol->criterion->reports);
          cf.failing_materials = t.failing;
          if (res.tolerance_used) cf.figures.push_back(Evaluator::money_figure("tolerance_used", res.tolerance_amount));
          d.figures.by_criterion.push_back(std::move(cf));
        }
      }
      // The deciding alternative: the first that holds without the tolerance, else the first with it.
      for (const auto& res : results)
        if (res.verdict == Tri::yes && !res.tolerance_used && !decided) decided = &res;
      for (const auto& res : results)
        if (res.verdict == Tri::yes && !decided) decided = &res;
      if (decided) rule_verdict = Tri::yes;
      else
        for (const auto& res : results)
          if (res.verdict == Tri::unknown) rule_verdict = Tri::unknown;
      if (decided) {
        tolerance_used |= decided->tolerance_used;
        wholly_obtained |= decided->wholly_obtained;
        if (decided->tolerance_used) d.figures.tolerance_used = Evaluator::money_figure("tolerance_used", decided->tolerance_amount);
        headline(d, decided->tops);
      } else {
        // The alternative closest to passing: the first with figures.
        for (const auto& res : results)
          if (headline(d, res.tops)) break;
        // Say when the tolerance was tried and was not enough.
        for (std::size_t k = 0; k < results.size(); ++k) {
          const AltResult& res = results[k];
          if (!res.tolerance_tried || res.tolerance_used) continue;
          message(d, Severity::note, "roo-tolerance",
                  fmt::format("the tolerance cannot save {}: the non-originating materials that fail it amount to {}, over "
                              "the limit of {}",
                              alts.size() > 1 ? fmt::format("alternative {}", k + 1) : std::string("the rule"),
                              Evaluator::money(res.tolerance_amount), Evaluator::money(res.tolerance_limit)));
        }
      }
      any_of.verdict = rule_verdict;
      if (explain) root.children.push_back(std::move(any_of));
      if (rule_verdict == Tri::no) overall = Tri::no;
      else if (rule_verdict == Tri::unknown && overall == Tri::yes) overall = Tri::unknown;
    }
    if (undetermined && overall == Tri::yes) overall = Tri::unknown;
    if (explain && rules.size() == 1 && root.children.size() == 1) root = std::move(root.children.front());
    root.verdict = overall;

    // Insufficient operations defeat any rule, except for wholly obtained
    // products; a sub-assembly's too, when its processes are declared (the
    // warning that the check could not be made is for the product only).
    if (overall == Tri::yes && !wholly_obtained && cp_.insufficient != no_node) {
      if (!product.item->processes_declared) {
        if (depth == 0)
          message(d, Severity::warning, "roo-no-processes", "no processes declared: the insufficient-operations check was not made");
      } else {
        const auto& list = cp_.lists[cp_.nodes[cp_.insufficient].list];
        std::vector<std::string> beyond;
        for (const auto& p : product.item->processes) {
          bool minimal = std::any_of(list.begin(), list.end(), [&](std::uint32_t c) { return cp_.nodes[c].text == p; });
          if (!minimal) beyond.push_back(p);
        }
        if (beyond.empty()) {
          overall = Tri::no;
          std::string ops = product.item->processes.empty() ? std::string("none") : fmt::format("{}", fmt::join(product.item->processes, ", "));
          message(d, Severity::note, "roo-insufficient",
                  fmt::format("the operations carried out ({}) are all insufficient operations: they do not confer origin", ops));
          ExplainNode ins;
          ins.label = "insufficient operations";
          ins.text = fmt::format("production goes beyond insufficient operations (the operations declared are only: {})", ops);
          ins.verdict = Tri::no;
          root.children.push_back(std::move(ins));
          root.verdict = Tri::no;
        }
      }
    }
    if (overall == Tri::unknown) {
      for (const auto& m : all_missing)
        report_missing(d, m, "rule", rule.source, fmt::format("missing {}, needed by the rule at {}", m.text, rule.source));
      for (const auto& m : selection_missing)
        report_missing(d, m, "choice of 'ex' rule", "",
                       fmt::format("missing {}, needed to choose between the 'ex' rules", m.text));
      if (all_missing.empty() && selection_missing.empty())
        message(d, Severity::error, "roo-missing", "the rule could not be decided with the data given");
    } else if (!all_missing.empty() && overall == Tri::yes) {
      // A decision was reached by another alternative; the missing data did not matter.
    }
    d.status = overall == Tri::yes ? Status::originating : overall == Tri::no ? Status::not_originating : Status::undetermined;
    // A sub-assembly of undetermined origin counted as non-originating: the
    // product fails, but would it pass were the sub-assembly originating? Then
    // the verdict depends on the missing data, and is undetermined.
    if (d.status == Status::not_originating && uncertain && !optimistic_ && !p_.agreement.non_preferential) {
      Determination best;
      best.agreement = d.agreement;
      optimistic_ = true;
      evaluate_product(best, bom, materials, product, date, destination, depth, forced);
      optimistic_ = false;
      if (best.status != Status::not_originating) {
        overall = Tri::unknown;
        root.verdict = Tri::unknown;
        d.status = Status::undetermined;
        report_missing(d, MissingData{"originating", "", "the origin of a self-produced material", {}, {}}, "roll-up", "",
                       "the origin of a self-produced material could not be determined, and the verdict depends on it");
      }
    }
    if (p_.agreement.non_preferential && depth == 0) {
      country_of_origin(d, overall, mats, product);
      if (explain) d.explanation = std::move(root);
      return;
    }
    if (d.status == Status::originating) {
      bool all_originating = std::none_of(mats.begin(), mats.end(), [](const MaterialView& v) { return !v.originating; });
      std::string way = wholly_obtained ? "wholly_obtained"
                        : tolerance_used ? "tolerance"
                        : used_cumulation ? "cumulation"
                        : all_originating && !mats.empty() ? "originating_materials"
                                                          : "psr";
      auto it = p_.agreement.origin_criteria.find(way);
      if (it == p_.agreement.origin_criteria.end() && (way == "tolerance" || way == "cumulation" || way == "originating_materials"))
        it = p_.agreement.origin_criteria.find("psr");
      if (it != p_.agreement.origin_criteria.end()) d.origin_criterion = it->second;
    }
    if (explain) d.explanation = std::move(root);
  }

  // The selections an undecided 'ex' condition leaves open at one level:
  // `sure` hold, `maybe` may hold, `plain` are the residual rules. With
  // all_rules_apply, every 'ex' rule that holds applies (the residual rules
  // when none does); otherwise the first that holds does. Empty when there
  // are too many to try, or when the residual case would fall to a wider level.
  std::vector<std::vector<const CompiledRule*>> possible_selections(const std::vector<const CompiledRule*>& sure,
                                                                   const std::vector<const CompiledRule*>& maybe,
                                                                   const std::vector<const CompiledRule*>& plain) const {
    constexpr std::size_t max_unknown = 4;
    std::vector<std::vector<const CompiledRule*>> out;
    if (maybe.size() > max_unknown) return {};
    if (p_.agreement.all_rules_apply) {
      for (std::size_t subset = 0; subset < (std::size_t{1} << maybe.size()); ++subset) {
        std::vector<const CompiledRule*> rules = sure;
        for (std::size_t k = 0; k < maybe.size(); ++k)
          if (subset & (std::size_t{1} << k)) rules.push_back(maybe[k]);
        if (rules.empty()) rules = plain;
        if (rules.empty()) return {};
        out.push_back(std::move(rules));
      }
      return out;
    }
    if (!sure.empty()) return {};  // the first that holds is chosen already
    for (const CompiledRule* r : maybe) out.push_back({r});
    if (plain.empty()) return {};
    out.push_back({plain.front()});
    return out;
  }

  // An 'ex' condition could not be decided, but the product may still be:
  // when every selection it leaves open gives the same verdict, that is the
  // verdict (with a note naming what was not known). False when they differ.
  bool decide_across(Determination& d, const Bom& bom, const std::vector<Material>& materials, const Product& product,
                     const Date& date, const std::string& destination, int depth,
                     const std::vector<std::vector<const CompiledRule*>>& possible, const std::vector<MissingData>& unknown) {
    std::vector<Determination> outs;
    outs.reserve(possible.size());
    for (const auto& rules : possible) {
      outs.push_back(d);
      evaluate_product(outs.back(), bom, materials, product, date, destination, depth, &rules);
      const Status s = outs.back().status;
      if (s == Status::undetermined || s == Status::error || s != outs.front().status) return false;
    }
    d = std::move(outs.front());
    message(d, Severity::note, "roo-ex-unknown",
            fmt::format("which 'ex' rule applies is not known (missing {}), but each rule that may apply gives the same "
                        "verdict; the first is shown",
                        fmt::join(texts(unknown), "; ")));
    return true;
  }

  // `rule_of`: the product's code was created after the agreement's edition,
  // and takes the rules of the codes it was carved out of. The product is
  // determined as each of them; when they disagree, its classification in
  // the agreement's edition decides, and the result is undetermined.
  void follow(Determination& d, const Bom& bom, const std::vector<Material>& materials, const Product& product,
              const Date& date, const std::string& destination, int depth, const CompiledRule& via) {
    const auto& codes = via.entry->follows;
    if (codes.size() > 1 && depth > 0) {
      // A sub-assembly is read once: readings of readings would multiply.
      d.status = Status::undetermined;
      d.rule = Determination::RuleRef{via.scope_text, via.text, via.source, via.citation};
      message(d, Severity::error, "roo-rule-of",
              fmt::format("HS {} takes the rules of several HS {} codes; give the BOM's codes in HS {} to decide this "
                          "sub-assembly",
                          product.hs.dotted(), p_.agreement.hs_edition, p_.agreement.hs_edition));
      return;
    }
    std::vector<Determination> outs;
    outs.reserve(codes.size());
    for (const HsCode& code : codes) {
      outs.push_back(d);
      Product as = product;
      as.hs = code;
      as.reading = true;
      evaluate_product(outs.back(), bom, materials, as, date, destination, depth);
    }
    std::vector<std::string> names;
    for (const HsCode& code : codes) names.push_back(code.dotted());
    std::string which = fmt::format("{}", fmt::join(names, ", "));
    bool agree = std::all_of(outs.begin(), outs.end(), [&](const Determination& o) { return o.status == outs.front().status; });
    if (agree) {
      d = std::move(outs.front());
      message(d, Severity::note, "roo-rule-of",
              fmt::format("HS {} was created after HS {}, the edition of the rules; it takes the rule of {} (the rule at {}){}",
                          product.hs.dotted(), p_.agreement.hs_edition, which, via.source,
                          codes.size() > 1 ? ", and each of those rules gives the same verdict" : ""));
      return;
    }
    d.status = Status::undetermined;
    d.rule = Determination::RuleRef{via.scope_text, via.text, via.source, via.citation};
    // The value figures do not depend on the reading; the criteria's do, and
    // are in the explanation, reading by reading.
    d.figures = outs.front().figures;
    d.figures.by_criterion.clear();
    d.figures.tolerance_used.reset();
    d.figures.rvc_percent.reset();
    ExplainNode root;
    root.label = "rule_of";
    root.text = via.text;
    root.source = via.source;
    root.verdict = Tri::unknown;
    std::vector<std::string> verdicts;
    for (std::size_t k = 0; k < outs.size(); ++k) {
      std::string status(status_name(outs[k].status));
      std::replace(status.begin(), status.end(), '_', ' ');
      verdicts.push_back(fmt::format("as {} it is {}", names[k], status));
      if (outs[k].explanation) {
        root.children.push_back(std::move(*outs[k].explanation));
        root.children.back().text = fmt::format("as {}: {}", names[k], root.children.back().text);
      }
    }
    message(d, Severity::error, "roo-rule-of",
            fmt::format("HS {} takes the rules of {} (HS {}), which give different verdicts ({}): the verdict depends on the "
                        "product's classification in HS {}; give the BOM's codes in that edition (hs_edition {})",
                        product.hs.dotted(), which, p_.agreement.hs_edition, fmt::join(verdicts, "; "),
                        p_.agreement.hs_edition, p_.agreement.hs_edition));
    // What an undetermined reading lacked still matters: with it, the readings may agree.
    for (std::size_t k = 0; k < outs.size(); ++k)
      for (const auto& m : outs[k].messages)
        if (m.code == "roo-missing") message(d, Severity::error, m.code, fmt::format("as {}: {}", names[k], m.message));
    for (const auto& out : outs)
      for (const auto& m : out.missing)
        if (std::find(d.missing.begin(), d.missing.end(), m) == d.missing.end()) d.missing.push_back(m);
    if (opt_.explain != Explain::none && depth == 0 && !optimistic_) d.explanation = std::move(root);
  }

  // The sets provision (GRI 3 sets; TCA Art. ORIG.12, CPTPP Art. 3.17.3): a
  // set is originating when every item in it is, or when the value of its
  // non-originating items does not exceed the agreement's share of its value.
  // The items are the product's materials, self-produced ones rolled up first.
  void decide_set(Determination& d, const Bom& bom, const std::vector<MaterialView>& items, bool uncertain,
                  bool used_cumulation, bool explain) {
    const AgreementSettings& a = p_.agreement;
    std::string percent = a.sets_percent->to_string();
    std::string text = fmt::format("A set is originating when all its items are originating, or when the value of its "
                                   "non-originating items does not exceed {}% of the {} of the set",
                                   percent, base_words(a.sets_base));
    // No citation: the agreement's (that of its annex of rules) is not the
    // provision's; the source line points at the setting, which says which it is.
    d.rule = Determination::RuleRef{"set (General Rule 3)", text, a.sets_source, ""};
    d.figures.basis = a.sets_base;
    std::optional<Decimal> base;
    if (auto b = value_basis_from_name(a.sets_base)) base = bom.product.bases[static_cast<std::size_t>(*b)];
    if (base) d.figures.basis_value = Evaluator::money_figure("basis_value", *base);

    Decimal vnm, vom;
    std::vector<MissingData> missing;
    std::vector<const MaterialView*> non_originating;
    for (const auto& v : items) {
      if (!v.originating) non_originating.push_back(&v);
      if (!v.m->value) {
        if (!v.originating)
          missing.push_back(MissingData{"value", std::string(v.label), fmt::format("the value of item {} of the set", v.label), {}, {}});
        continue;
      }
      (v.originating ? vom : vnm) += *v.m->value;
    }
    if (missing.empty()) {
      d.figures.vnm = Evaluator::money_figure("vnm", vnm);
      d.figures.vom = Evaluator::money_figure("vom", vom);
      if (base && !base->is_zero()) d.figures.nom_percent = Evaluator::percent_figure("nom_percent", vnm, *base, std::nullopt);
    }
    ExplainNode root;
    root.label = "sets";
    root.text = text;
    root.source = a.sets_source;
    CriterionFigures cf;
    cf.criterion = "sets";
    Tri verdict;
    if (items.empty()) {
      verdict = Tri::unknown;
      missing.push_back(MissingData{"materials", "", "the items of the set (the product's materials)", {}, {}});
    } else if (non_originating.empty()) {
      verdict = Tri::yes;
      message(d, Severity::note, "roo-set", "every item of the set is originating");
    } else if (!base || !missing.empty()) {
      verdict = Tri::unknown;
      if (!base)
        missing.push_back(MissingData{a.sets_base, "", fmt::format("the product's '{}', the base of the sets provision", a.sets_base), {}, {}});
    } else {
      Decimal limit = (*a.sets_percent * *base).shifted(-2);
      verdict = vnm <= limit ? Tri::yes : Tri::no;
      cf.figures = {Evaluator::money_figure("value", vnm), Evaluator::money_figure("limit", limit),
                    Evaluator::money_figure("headroom", limit - vnm), Evaluator::stated_percent("limit_percent", *a.sets_percent)};
      root.figures = cf.figures;
      message(d, Severity::note, "roo-set",
              fmt::format("the non-originating items of the set are worth {}, {} the limit of {} ({}% of the {})",
                          Evaluator::money(vnm), verdict == Tri::yes ? "within" : "over", Evaluator::money(limit),
                          percent, base_words(a.sets_base)));
    }
    // An item whose roll-up was undetermined counted as non-originating: a
    // failing set may then be originating after all.
    if (verdict == Tri::no && uncertain) {
      verdict = Tri::unknown;
      missing.push_back(MissingData{"originating", "", "the origin of a self-produced item of the set, on which the verdict depends", {}, {}});
    }
    // What keeps a set that fails (or may fail) from being originating.
    if (verdict != Tri::yes) {
      for (const MaterialView* v : non_originating) {
        cf.failing_materials.emplace_back(v->label);
        if (explain)
          root.materials.push_back(Evaluator::material_note(v->label, *v->m, "a non-originating item of the set", false));
      }
    }
    cf.passed = verdict;
    d.figures.by_criterion.push_back(std::move(cf));
    root.verdict = verdict;
    root.missing = texts(missing);
    for (const auto& m : missing) report_missing(d, m, "sets", a.sets_source, fmt::format("missing {}", m.text));
    d.status = verdict == Tri::yes ? Status::originating : verdict == Tri::no ? Status::not_originating : Status::undetermined;
    if (d.status == Status::originating) {
      auto it = a.origin_criteria.find(non_originating.empty() && !used_cumulation ? "originating_materials" : "psr");
      if (it == a.origin_criteria.end()) it = a.origin_criteria.find("psr");
      if (it != a.origin_criteria.end()) d.origin_criterion = it->second;
    }
    if (explain) d.explanation = std::move(root);
  }

  static std::string base_words(const std::string& base) {
    if (base == "ex_works") return "ex-works price";
    if (base == "transaction_value") return "value";
    std::string words = base;
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
  }

 private:
  // Non-preferential origin: the country where the last substantial
  // transformation (the rule) took place; failing that, the residual rule.
  void country_of_origin(Determination& d, Tri overall, const std::vector<MaterialView>& mats, const Product& product) {
    if (overall == Tri::unknown) return;  // undetermined, with the missing data already named
    if (overall == Tri::yes) {
      if (product.item->produced_in.empty()) {
        d.status = Status::undetermined;
        report_missing(d, MissingData{"produced_in", "", "the product's 'produced_in', the country where the rule was met", {}, {}},
                       "residual rule", "", "missing the product's 'produced_in', the country where the rule was met");
        return;
      }
      d.status = Status::originating;
      d.country_of_origin = product.item->produced_in;
      message(d, Severity::note, "roo-country",
              fmt::format("the rule is met by the production in {}, which is therefore the country of origin", product.item->produced_in));
      return;
    }
    if (p_.agreement.residual != "major_portion_of_value") {
      d.status = Status::undetermined;
      message(d, Severity::error, "roo-no-residual", "the rule is not met and the rules define no residual rule to fall back on");
      return;
    }
    // The country from which the materials of the greatest total value come.
    std::map<std::string, Decimal> by_country;
    for (const auto& v : mats) {
      if (!v.m->value || v.m->origin.empty() || v.m->origin == "unknown") {
        d.status = Status::undetermined;
        report_missing(d,
                       MissingData{v.m->value ? "origin" : "value", std::string(v.label),
                                   fmt::format("the {} of material {}", v.m->value ? "origin" : "value", v.label), {}, {}},
                       "residual rule", "",
                       fmt::format("missing the {} of material {}, needed by the residual rule (major portion of value)",
                                   v.m->value ? "origin" : "value", v.label));
        return;
      }
      by_country[v.m->origin] += *v.m->value;
    }
    const std::pair<const std::string, Decimal>* best = nullptr;
    bool tie = false;
    for (const auto& entry : by_country) {
      if (!best || entry.second > best->second) {
        best = &entry;
        tie = false;
      } else if (entry.second == best->second) {
        tie = true;
      }
    }
    if (!best || tie) {
      d.status = Status::undetermined;
      message(d, Severity::error, "roo-residual-tie",
              best ? "two countries supply materials of the same greatest value: the residual rule does not decide"
                   : "no materials: the residual rule does not decide");
      return;
    }
    d.status = Status::originating;
    d.country_of_origin = best->first;
    std::vector<std::string> shares;
    for (const auto& [country, value] : by_country) shares.push_back(fmt::format("{} {}", country, Evaluator::money(value)));
    message(d, Severity::note, "roo-country",
            fmt::format("the rule is not met; under the residual rule the origin is {}, the country of the major portion of the "
                        "materials by value ({})", best->first, fmt::join(shares, ", ")));
  }

  // Sets the headline nom/rvc figures from an alternative's criteria; false when it has none.
  bool headline(Determination& d, const std::vector<Evaluator::TopCriterion>& tops) {
    bool any = false, nom_passed = false, rvc_passed = false, nom_set = false, rvc_set = false;
    for (const auto& t : tops) {
      if (!t.capture.has || !t.capture.has_percent || t.capture.base.is_zero()) continue;
      const std::string& reports = t.symbol->criterion->reports;
      Figure pct = Evaluator::percent_figure(reports == "rvc" ? "rvc_percent" : "nom_percent", t.capture.lhs,
                                             t.capture.base, t.capture.percent);
      bool passed = t.capture.passed;
      // The figure of a method that was met wins over one that was not.
      if (reports == "rvc" && (!rvc_set || (passed && !rvc_passed))) {
        d.figures.rvc_percent = pct;
        rvc_set = any = true;
        rvc_passed = passed;
      } else if (reports == "nom" && (!nom_set || (passed && !nom_passed))) {
        d.figures.nom_percent = pct;
        nom_set = any = true;
        nom_passed = passed;
      }
    }
    return any;
  }
};

}  // namespace

Determination determine(const Program& program, const Bom& bom, const DetermineOptions& options) {
  return Determiner(program, options).run(bom);
}

Determination error_determination(const Program& program, std::string product, const std::vector<Diagnostic>& diagnostics) {
  Determination d;
  d.agreement = program.agreement.id;
  d.product = std::move(product);
  d.status = Status::error;
  d.engine_version = ROO_VERSION;
  d.rules_sha256 = program.rules_sha256;
  d.figures.basis = program.agreement.basis;
  for (const auto& diag : diagnostics) {
    if (diag.severity != Severity::error) continue;
    d.messages.push_back(Message{Severity::error, diag.code, format_diagnostic_header(diag)});
  }
  return d;
}

}  // namespace roo
