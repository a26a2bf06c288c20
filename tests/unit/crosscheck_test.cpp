// Cross-check of each agreement against the UK Trade Tariff's rule texts
// (data/uk-tariff-psr/rule_sets/*.json): for every rule set, the rules
// roo selects for a representative code of its range must use the same kinds
// of criteria as the rule texts: tariff shift levels, wholly obtained, MaxNOM
// thresholds, RVC thresholds and specific processes.
//
// Both sides are reduced to a Signature. The JSON side is read from the text
// with a small keyword classifier; the roo side from the compiled rule bodies.
// Every rule set whose signatures differ must be listed, with the reason, in
// tests/crosscheck/<agreement>.disagreements ("min-max: reason"), and every
// listed rule set must still differ, so the list stays true.
// ROO_CROSSCHECK_PRINT=1 prints the current disagreements in that format
// (with both signatures as the reason, to be edited by hand).
//
// The EU-Japan EPA (rules/eu-japan/) is checked against the verbatim annex
// (data/eu-japan/psr.jsonl) more finely: rule by rule (one line of the data,
// a scope and its text, a subdivision of a heading matched with the `ex`
// rule of the same description), each percentage with its base (MaxNOM on
// the EXW or on the FOB, RVC on the FOB) and the weight thresholds too; the
// rule must cover both ends of the scope; and every roo rule (but the
// rule_of rules of codes created since HS 2017) must be the rule of some
// line. Its disagreements are keyed by the data's "scope".
#include <doctest/doctest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpreter/bom/bom.hpp"
#include "interpreter/core/decimal.hpp"
#include "interpreter/core/hs.hpp"
#include "interpreter/eval/compiled.hpp"
#include "interpreter/json/json.hpp"
#include "interpreter/lang/program.hpp"

namespace {

struct Signature {
  std::set<int> shifts;  // 0: no change required; 2, 4, 6: CC, CTH, CTSH
  bool wholly_obtained = false;
  std::set<roo::Decimal> maxnom;
  std::set<roo::Decimal> rvc;
  bool process = false;

  void merge(const Signature& o) {
    shifts.insert(o.shifts.begin(), o.shifts.end());
    wholly_obtained = wholly_obtained || o.wholly_obtained;
    maxnom.insert(o.maxnom.begin(), o.maxnom.end());
    rvc.insert(o.rvc.begin(), o.rvc.end());
    process = process || o.process;
  }
  bool operator==(const Signature&) const = default;
};

std::string show_percents(const std::set<roo::Decimal>& s) {
  std::string out = "{";
  for (const auto& d : s) {
    if (out.size() > 1) out += ",";
    out += d.to_string();
  }
  return out + "}";
}

std::string show(const Signature& s) {
  std::string out = "shift{";
  bool first = true;
  for (int level : s.shifts) {
    if (!first) out += ",";
    first = false;
    out += level == 0 ? "none" : level == 2 ? "CC" : level == 4 ? "CTH" : level == 6 ? "CTSH" : "8";
  }
  out += "}";
  if (s.wholly_obtained) out += " WO";
  if (!s.maxnom.empty()) out += " maxnom" + show_percents(s.maxnom);
  if (!s.rvc.empty()) out += " rvc" + show_percents(s.rvc);
  if (s.process) out += " process";
  return out;
}

// ---- the JSON side ----

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t hit = s.find(from); hit != std::string_view::npos; hit = s.find(from, at)) {
    out.append(s.substr(at, hit - at));
    out.append(to);
    at = hit + from.size();
  }
  out.append(s.substr(at));
  return out;
}

// Drops markdown links ([text](url) -> text), <abbr ...> tags, emphasis and
// non-breaking spaces.
std::string plain(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '<') {
      std::size_t end = text.find('>', i);
      std::string_view tag = text.substr(i, end == std::string_view::npos ? 0 : end - i);
      if (tag.starts_with("<abbr") || tag.starts_with("</abbr")) {
        i = end + 1;
        continue;
      }
    }
    if (text[i] == ']' && i + 1 < text.size() && text[i + 1] == '(') {
      std::size_t end = text.find(')', i);
      if (end != std::string_view::npos) {
        i = end + 1;
        continue;
      }
    }
    if (text[i] == '[' || text[i] == '*') {
      ++i;
      continue;
    }
    out += text[i++];
  }
  return replace_all(replace_all(out, "&nbsp;", " "), "\n", " ");
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `word` occurs in `text` as a whole word (case-sensitive).
bool has_word(std::string_view text, std::string_view word) {
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    bool before = at == 0 || !is_word_char(text[at - 1]);
    bool after = at + word.size() >= text.size() || !is_word_char(text[at + word.size()]);
    if (before && after) return true;
  }
  return false;
}

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Words that mark a specific-process rule.
constexpr std::string_view process_words[] = {
    "weaving",        "spinning",     "chemical reaction", "knitting",      "extrusion",
    "twisting",       "tufting",      "flocking",          "printing",      "dyeing",
    "making-up",      "coating",      "laminating",        "purification",  "separation",
    "fusion",         "alloying",     "esterification",    "distillation",  "refining",
    "cut or knit to shape", "sewn or otherwise assembled", "biotechnological", "felting",
    "crocheting",     "surfacing",    "slaughter",         "retreading",    "retanning",
    "carding",        "bonding",      "embroidering",      "electrolytic",  "assembly of",
    "is smoked",      "crushed or ground"};

Signature classify_text(std::string_view raw) {
  Signature sig;
  const std::string text = plain(raw);
  const std::string low = lower(text);

  if (has_word(text, "CC") || has(low, "2-digit level") || has(low, "from any other chapter")) sig.shifts.insert(2);
  if (has_word(text, "CTH") || has(low, "4-digit level") || has(low, "from any other heading") ||
      has(low, "any heading, except that of the product") || has(low, "any heading except that of the product"))
    sig.shifts.insert(4);
  if (has_word(text, "CTSH") || has(low, "6-digit level") || has(low, "from any other subheading"))
    sig.shifts.insert(6);
  if (has(low, "no change in tariff classification") || has(low, "no required change in tariff classification") ||
      ((has(low, "materials of any heading") || has(low, "material of any heading")) &&
       !has(low, "except that of the product")))
    sig.shifts.insert(0);

  if (has(low, "wholly obtained")) sig.wholly_obtained = true;

  // Each percentage is MaxNOM (a share of the ex-works price), RVC, or
  // something else (weight, volume).
  for (std::size_t pct = low.find('%'); pct != std::string::npos; pct = low.find('%', pct + 1)) {
    std::size_t start = pct;
    while (start > 0 && (std::isdigit(static_cast<unsigned char>(low[start - 1])) || low[start - 1] == '.')) --start;
    if (start == pct) continue;
    auto number = roo::Decimal::parse(low.substr(start, pct - start));
    if (!number) continue;
    const std::string after = low.substr(pct, 60);
    const std::string before = low.substr(start >= 60 ? start - 60 : 0, start >= 60 ? 60 : start);
    if (after.starts_with("% under the") || has(before, "regional value content") || has(before, "rvc")) {
      sig.rvc.insert(*number);
    } else if (has(before, "maximum of") || has(after, "ex-works") || has(after, "exw") ||
               has(after, "of the price") || has(after, "of the value of the good")) {
      sig.maxnom.insert(*number);
    }
  }

  // Annex ORIG-1 Note 6.4 of the EU-UK TCA: "printing (as standalone
  // operation)" includes the condition that the value of the non-originating
  // materials does not exceed 50% of the ex-works price.
  if (has(low, "printing (as standalone operation)")) sig.maxnom.insert(roo::Decimal::from_int(50));

  for (std::string_view word : process_words)
    if (has(low, word)) sig.process = true;
  return sig;
}

// ---- the roo side ----

// Whether a node of the compiled subtree at `id` satisfies `pred`.
bool any_node(const roo::CompiledProgram& c, std::uint32_t id, auto&& pred) {
  if (id == roo::no_node) return false;
  const roo::Node& n = c.nodes[id];
  if (pred(n)) return true;
  if (any_node(c, n.a, pred) || any_node(c, n.b, pred)) return true;
  if (n.op == roo::Op::and_ || n.op == roo::Op::or_ || n.op == roo::Op::const_processes)
    for (std::uint32_t child : c.lists[n.list])
      if (any_node(c, child, pred)) return true;
  return false;
}

// Walks a compiled rule for the facts both signatures hold (tariff shifts,
// wholly obtained, processes). Each agreement's own reading is given:
// `on_criterion(name)` records what a criterion's name says and returns whether
// it opens an RVC; `on_compare(id, in_rvc)` reads a comparison's figures.
template <typename Sig, typename OnCriterion, typename OnCompare>
void walk_rule(const roo::CompiledProgram& c, std::uint32_t id, bool in_rvc, Sig& sig, OnCriterion&& on_criterion,
               OnCompare&& on_compare) {
  if (id == roo::no_node) return;
  const roo::Node& n = c.nodes[id];
  switch (n.op) {
    case roo::Op::criterion: {
      const std::string& name = n.symbol ? n.symbol->name : std::string();
      if (name.starts_with("wholly_obtained")) sig.wholly_obtained = true;
      if (on_criterion(name)) in_rvc = true;
      break;
    }
    case roo::Op::changes: sig.shifts.insert(n.aux); break;
    case roo::Op::product_wo: sig.wholly_obtained = true; break;
    case roo::Op::material_flag:
      if (n.aux == 1) sig.wholly_obtained = true;
      break;
    case roo::Op::performed:
    case roo::Op::performed_count:
    case roo::Op::in_processes: sig.process = true; break;
    case roo::Op::compare: on_compare(id, in_rvc); break;
    default: break;
  }
  walk_rule(c, n.a, in_rvc, sig, on_criterion, on_compare);
  walk_rule(c, n.b, in_rvc, sig, on_criterion, on_compare);
  if (n.op == roo::Op::and_ || n.op == roo::Op::or_ || n.op == roo::Op::const_processes)
    for (std::uint32_t child : c.lists[n.list]) walk_rule(c, child, in_rvc, sig, on_criterion, on_compare);
}

struct Walker {
  const roo::CompiledProgram& c;
  Signature sig;

  bool subtree_has(std::uint32_t id, auto&& pred) const { return any_node(c, id, pred); }

  // The percentage of a `P of X` within the subtree, or null.
  const roo::Decimal* percent_in(std::uint32_t id) const {
    if (id == roo::no_node) return nullptr;
    const roo::Node& n = c.nodes[id];
    if (n.op == roo::Op::percent_of && n.a != roo::no_node && c.nodes[n.a].op == roo::Op::const_num)
      return &c.number(c.nodes[n.a]);
    if (auto* p = percent_in(n.a)) return p;
    return percent_in(n.b);
  }

  void walk(std::uint32_t id, bool in_rvc) {
    walk_rule(
        c, id, in_rvc, sig,
        [&](const std::string& name) {
          // "Production from non-originating materials of any heading [except ...]".
          if (name == "no_change_required" || name == "any_heading_except") sig.shifts.insert(0);
          return name.starts_with("rvc") || name.find("_rvc") != std::string::npos;
        },
        [&](std::uint32_t at, bool rvc) {
          const roo::Decimal* p = percent_in(at);
          if (!p) return;
          if (rvc) {
            sig.rvc.insert(*p);
          } else if (subtree_has(at, [](const roo::Node& m) {
                       return m.op == roo::Op::aggregate &&
                              (m.aux == static_cast<std::uint8_t>(roo::Aggregate::vnm) ||
                               m.aux == static_cast<std::uint8_t>(roo::Aggregate::value));
                     })) {
            sig.maxnom.insert(*p);
          }
        });
  }
};

// ---- the comparison ----

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "min-max" -> reason, from a .disagreements file (blank lines and # comments skipped).
std::map<std::string, std::string> read_listed(const std::string& path) {
  std::map<std::string, std::string> out;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t colon = line.find(':');
    std::string key = line.substr(0, colon);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    out[key] = colon == std::string::npos ? std::string() : line.substr(colon + 1);
  }
  return out;
}

struct RuleSet {
  std::string min, max;
  Signature json;           // every rule of the range
  Signature general;        // its rules other than origin-quota rules
  bool quota_only = true;   // every rule is an origin-quota rule
};

void crosscheck(const std::string& agreement, const std::string& roo_path, const std::string& json_path,
                bool optional) {
  auto loaded = roo::load_program(roo_path);
  if (!loaded.program) {
    if (optional) {
      MESSAGE("skipping the " << agreement << " cross-check: " << roo_path << " is missing or does not load");
      return;
    }
    FAIL(roo_path << " does not load");
  }
  const roo::Program& program = *loaded.program;
  REQUIRE(program.compiled);
  const roo::CompiledProgram& compiled = *program.compiled;
  std::unordered_map<const roo::RuleEntry*, const roo::CompiledRule*> by_entry;
  for (const auto& rule : compiled.rules) by_entry[rule.entry] = &rule;

  const std::string json_text = read_text(json_path);
  REQUIRE_MESSAGE(!json_text.empty(), json_path << " is missing");
  auto parsed = roo::json::parse(json_text);
  REQUIRE(parsed.value);
  const roo::json::Value* sets = parsed.value->find("rule_sets");
  REQUIRE(sets);

  // Rule sets sharing a range (validity periods) are merged.
  std::vector<RuleSet> rule_sets;
  std::map<std::string, std::size_t> index;
  for (const auto& set : sets->items) {
    const auto* min = set.find("min");
    const auto* max = set.find("max");
    const auto* rules = set.find("rules");
    REQUIRE((min && max && rules));
    std::string key = min->text + "-" + max->text;
    auto [it, fresh] = index.emplace(key, rule_sets.size());
    if (fresh) rule_sets.push_back({min->text, max->text, {}, {}, true});
    RuleSet& out = rule_sets[it->second];
    for (const auto& rule : rules->items) {
      const auto* text = rule.find("rule");
      if (!text || !text->is(roo::json::Type::string)) continue;
      const Signature sig = classify_text(text->text);
      out.json.merge(sig);
      const auto* quota = rule.find("quota");
      if (quota && quota->is(roo::json::Type::boolean) && quota->boolean) continue;
      out.general.merge(sig);
      out.quota_only = false;
    }
  }
  // An origin-quota rule (EU-UK TCA Annex ORIG-2A) is an alternative to the
  // general rule of the product, which the data gives as a wider rule set; roo
  // writes it as an `ex` rule keeping the general rule as an alternative. So a
  // range with only quota rules is compared with the general rules too.
  for (auto& set : rule_sets) {
    if (!set.quota_only) continue;
    for (const auto& other : rule_sets)
      if (!other.quota_only && other.min <= set.min && set.max <= other.max) set.json.merge(other.general);
  }

  std::map<std::string, std::string> found;  // key -> signatures
  for (const auto& set : rule_sets) {
    const std::string key = set.min + "-" + set.max;
    auto code = roo::HsCode::parse(set.min.substr(0, 6), nullptr, 6);
    if (!code) {
      // e.g. "0100000000": take the first heading instead.
      code = roo::HsCode::from_digits(std::stoull(set.min.substr(0, 6)), 6);
    }
    Signature roo_sig;
    auto candidates = program.candidates(*code);
    if (candidates.empty()) {
      found[key] = "no roo rule; json " + show(set.json);
      continue;
    }
    for (const auto& cand : candidates) {
      if (cand.width != candidates.front().width) break;
      auto it = by_entry.find(cand.entry);
      if (it == by_entry.end()) continue;
      Walker w{compiled, {}};
      w.walk(it->second->body, false);
      roo_sig.merge(w.sig);
    }
    if (!(roo_sig == set.json)) found[key] = "json " + show(set.json) + "; roo " + show(roo_sig);
  }

  const std::string list_path = std::string(ROO_SOURCE_DIR) + "/tests/crosscheck/" + agreement + ".disagreements";
  const auto listed = read_listed(list_path);
  if (const char* print = std::getenv("ROO_CROSSCHECK_PRINT"); print && std::string_view(print) == "1") {
    std::string out = "# " + agreement + " (" + std::to_string(found.size()) + " of " +
                      std::to_string(rule_sets.size()) + " rule sets)\n";
    for (const auto& [key, why] : found) {
      auto it = listed.find(key);
      out += key + ": " + (it != listed.end() ? it->second.substr(it->second.find_first_not_of(' ')) : why) + "\n";
    }
    MESSAGE(out);
  }
  for (const auto& [key, why] : found) {
    INFO(agreement, " rule set ", key, ": ", why);
    CHECK_MESSAGE(listed.count(key) == 1, "not listed in " << list_path);
  }
  for (const auto& [key, why] : listed) {
    INFO(agreement, " rule set ", key, " is listed (", why, ") but agrees now (or is no rule set)");
    CHECK(found.count(key) == 1);
  }
  MESSAGE(agreement << ": " << rule_sets.size() << " rule sets, " << rule_sets.size() - found.size() << " agree, "
                    << found.size() << " listed disagreements");
}

// ---- EU-Japan EPA against the verbatim annex ----

struct BasedSignature {
  std::set<int> shifts;  // as Signature
  bool wholly_obtained = false;
  std::set<std::string> nom;     // "50% EXW", "45% FOB"
  std::set<std::string> rvc;     // "55% FOB"
  std::set<std::string> weight;  // "20%": a share of the product's (or materials') weight
  bool process = false;

  void merge(const BasedSignature& o) {
    shifts.insert(o.shifts.begin(), o.shifts.end());
    wholly_obtained = wholly_obtained || o.wholly_obtained;
    nom.insert(o.nom.begin(), o.nom.end());
    rvc.insert(o.rvc.begin(), o.rvc.end());
    weight.insert(o.weight.begin(), o.weight.end());
    process = process || o.process;
  }
  bool operator==(const BasedSignature&) const = default;
};

std::string show_set(std::string_view name, const std::set<std::string>& s) {
  if (s.empty()) return {};
  std::string out = " " + std::string(name) + "{";
  for (const auto& x : s) out += (out.back() == '{' ? "" : ",") + x;
  return out + "}";
}

std::string show(const BasedSignature& s) {
  Signature plain_sig;
  plain_sig.shifts = s.shifts;
  std::string out = show(plain_sig);  // "shift{...}"
  if (s.wholly_obtained) out += " WO";
  out += show_set("maxnom", s.nom) + show_set("rvc", s.rvc) + show_set("weight", s.weight);
  if (s.process) out += " process";
  return out;
}

std::string percent_text(const roo::Decimal& d) { return d.to_string() + "%"; }

// Words that mark a specific-process rule in the EU-Japan annex.
constexpr std::string_view japan_process_words[] = {
    "blending", "crushing", "grinding", "is undergone", "diffusion", "smelting", "re-tanning", "gimping",
    "rubberising", "nonwoven", "non-woven", "combing", "embroidering", "fabric formation"};

BasedSignature classify_japan(std::string_view text) {
  BasedSignature sig;
  const std::string low = lower(text);
  if (has_word(text, "CC")) sig.shifts.insert(2);
  if (has_word(text, "CTH")) sig.shifts.insert(4);
  if (has_word(text, "CTSH")) sig.shifts.insert(6);
  if (has(low, "materials of any heading") && !has(low, "except that of the product")) sig.shifts.insert(0);
  if (has(low, "wholly obtained")) sig.wholly_obtained = true;

  // "MaxNOM 50 % (EXW)", "RVC 55 % (FOB)", "20 % of the EXW or 15 % of the
  // FOB", "15 % of the EXW or (the) FOB", "10 % of the weight of the product".
  for (std::size_t pct = low.find('%'); pct != std::string::npos; pct = low.find('%', pct + 1)) {
    std::size_t end = pct;
    while (end > 0 && low[end - 1] == ' ') --end;
    std::size_t start = end;
    while (start > 0 && (std::isdigit(static_cast<unsigned char>(low[start - 1])) || low[start - 1] == '.')) --start;
    if (start == end) continue;
    auto number = roo::Decimal::parse(low.substr(start, end - start));
    if (!number) continue;
    const std::string n = percent_text(*number);
    const std::string after = low.substr(pct + 1, 40);
    const std::string before = low.substr(start >= 12 ? start - 12 : 0, start >= 12 ? 12 : start);
    if (after.starts_with(" (exw)")) {
      sig.nom.insert(n + " EXW");
    } else if (after.starts_with(" (fob)")) {
      (has(before, "rvc") ? sig.rvc : sig.nom).insert(n + " FOB");
    } else if (after.starts_with(" of the weight")) {
      sig.weight.insert(n);
    } else if (after.starts_with(" of the exw or fob") || after.starts_with(" of the exw or the fob")) {
      sig.nom.insert(n + " EXW");
      sig.nom.insert(n + " FOB");
    } else if (after.starts_with(" of the exw")) {
      sig.nom.insert(n + " EXW");
    } else if (after.starts_with(" of the fob")) {
      sig.nom.insert(n + " FOB");
    }
  }
  // Annex 3-A Note 6.4: "printing (as standalone operation)" includes the
  // condition that the non-originating materials are worth at most 50% of
  // the EXW or 45% of the FOB.
  if (has(low, "printing (as standalone operation)")) {
    sig.nom.insert("50% EXW");
    sig.nom.insert("45% FOB");
  }
  for (std::string_view word : process_words)
    if (has(low, word)) sig.process = true;
  for (std::string_view word : japan_process_words)
    if (has(low, word)) sig.process = true;
  return sig;
}

struct BasedWalker {
  const roo::CompiledProgram& c;
  BasedSignature sig;

  bool subtree_has(std::uint32_t id, auto&& pred) const { return any_node(c, id, pred); }

  // The `P of X` within the subtree, or null.
  const roo::Node* percent_of(std::uint32_t id) const {
    if (id == roo::no_node) return nullptr;
    const roo::Node& n = c.nodes[id];
    if (n.op == roo::Op::percent_of && n.a != roo::no_node && c.nodes[n.a].op == roo::Op::const_num) return &n;
    if (auto* p = percent_of(n.a)) return p;
    return percent_of(n.b);
  }

  static bool is_aggregate(const roo::Node& m, roo::Aggregate which) {
    return m.op == roo::Op::aggregate && m.aux == static_cast<std::uint8_t>(which);
  }

  void walk(std::uint32_t id, bool in_rvc) {
    walk_rule(
        c, id, in_rvc, sig,
        [&](const std::string& name) {
          if (name == "no_change_required") sig.shifts.insert(0);
          return name.starts_with("rvc");
        },
        [&](std::uint32_t at, bool rvc) {
          const roo::Node* p = percent_of(at);
          if (!p) return;
          const std::string percent = percent_text(c.number(c.nodes[p->a]));
          std::string base;
          if (p->b != roo::no_node) {
            const roo::Node& b = c.nodes[p->b];
            if (b.op == roo::Op::base_value) {
              auto name = roo::value_basis_name(static_cast<roo::ValueBasis>(b.aux));
              base = name == "ex_works" ? "EXW" : name == "fob" ? "FOB" : std::string(name);
            } else if (b.op == roo::Op::product_weight || is_aggregate(b, roo::Aggregate::weight)) {
              base = "weight";
            }
          }
          const bool value = subtree_has(at, [](const roo::Node& m) {
            return is_aggregate(m, roo::Aggregate::vnm) || is_aggregate(m, roo::Aggregate::value);
          });
          if (rvc) {
            sig.rvc.insert(percent + " " + base);
          } else if (value) {
            sig.nom.insert(percent + " " + base);
          } else if (base == "weight") {
            sig.weight.insert(percent);
          }
        });
  }
};

// "- Others:" -> "Others".
std::string subdivision_name(std::string_view s) {
  std::size_t a = s.find_first_not_of(" -");
  std::size_t b = s.find_last_not_of(" :");
  if (a == std::string_view::npos || b == std::string_view::npos || b < a) return {};
  std::string out;
  for (char ch : s.substr(a, b - a + 1))
    if (!(ch == ' ' && !out.empty() && out.back() == ' ')) out += ch;
  return out;
}

// The six-digit code at one end of a scope of the data: "01.01" -> 010100
// (first) or 010199 (last); "0902.30" -> 090230; chapter "03" -> 030000 or 039999.
roo::HsCode scope_end(std::string_view code, bool last) {
  std::string digits;
  for (char ch : code)
    if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
  while (digits.size() < 6) digits += last ? '9' : '0';
  return roo::HsCode::from_digits(std::stoull(digits), 6);
}

void crosscheck_japan(const std::string& roo_path, const std::string& jsonl_path) {
  const std::string agreement = "eu-japan";
  auto loaded = roo::load_program(roo_path);
  REQUIRE_MESSAGE(loaded.program, roo_path << " does not load");
  const roo::Program& program = *loaded.program;
  REQUIRE(program.compiled);
  const roo::CompiledProgram& compiled = *program.compiled;
  std::unordered_map<const roo::RuleEntry*, const roo::CompiledRule*> by_entry;
  for (const auto& rule : compiled.rules) by_entry[rule.entry] = &rule;

  const std::string text = read_text(jsonl_path);
  REQUIRE_MESSAGE(!text.empty(), jsonl_path << " is missing");
  std::istringstream lines(text);
  std::string line;
  std::map<std::string, std::string> found;  // scope -> why
  std::size_t rules = 0;
  std::set<const roo::RuleEntry*> matched;  // the roo rules some line of the data selects
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto parsed = roo::json::parse(line);
    REQUIRE(parsed.value);
    const auto* kind = parsed.value->find("kind");
    const auto* scope = parsed.value->find("scope");
    const auto* rule_text = parsed.value->find("text");
    const auto* chapter = parsed.value->find("chapter");
    const auto* hs = parsed.value->find("hs");
    const auto* subdivision = parsed.value->find("subdivision");
    REQUIRE((kind && scope && rule_text && chapter && hs && subdivision));
    // The chapter 57 note, and the heading of subdivisions without a rule of its own.
    if (kind->text != "rule" || rule_text->text.empty()) continue;
    ++rules;
    const std::string key = scope->text;
    const BasedSignature json_sig = classify_japan(rule_text->text);

    std::string range = hs->is(roo::json::Type::string) ? hs->text : chapter->text;
    std::size_t dash = range.find('-');
    const roo::HsCode first = scope_end(range.substr(0, dash), false);
    const roo::HsCode last = scope_end(dash == std::string::npos ? range : range.substr(dash + 1), true);
    const std::string wanted =
        subdivision->is(roo::json::Type::string) ? lower(subdivision_name(subdivision->text)) : std::string();

    // The rule for this line: among the most specific rules for the scope's
    // first code, the `ex` rule of the subdivision's description, else the
    // rule without `ex` (a line without subdivision, "Others", or the
    // subdivision the annex lists first and roo keeps as the residual rule).
    auto pick = [&](const roo::HsCode& code) -> const roo::RuleEntry* {
      auto candidates = program.candidates(code);
      const roo::RuleEntry* residual = nullptr;
      for (const auto& cand : candidates) {
        if (cand.width != candidates.front().width) break;
        const roo::ast::Scope& sc = cand.entry->rule->scope;
        if (!sc.ex && !residual) residual = cand.entry;
        if (sc.ex && !wanted.empty() && sc.description && lower(*sc.description) == wanted) return cand.entry;
      }
      return residual;
    };
    const roo::RuleEntry* entry = pick(first);
    if (!entry) {
      found[key] = "no roo rule for the scope; json " + show(json_sig);
      continue;
    }
    if (pick(last) != entry) {
      found[key] = "the roo rule for the first code of the scope does not cover its last code";
      continue;
    }
    matched.insert(entry);
    auto it = by_entry.find(entry);
    REQUIRE(it != by_entry.end());
    BasedWalker w{compiled, {}};
    w.walk(it->second->body, false);
    if (!(w.sig == json_sig)) found[key] = "json " + show(json_sig) + "; roo " + show(w.sig);
  }

  // The other way: every roo rule (but the rule_of rules for codes created
  // since HS 2017) is the rule of some line of the data.
  for (const auto& entry : program.rules)
    if (entry.follows.empty() && !matched.count(&entry)) {
      auto it = by_entry.find(&entry);
      found["roo rule " + (it != by_entry.end() ? it->second->scope_text : std::to_string(entry.index))] =
          "no line of the data selects it";
    }

  const std::string list_path = std::string(ROO_SOURCE_DIR) + "/tests/crosscheck/" + agreement + ".disagreements";
  const auto listed = read_listed(list_path);
  if (const char* print = std::getenv("ROO_CROSSCHECK_PRINT"); print && std::string_view(print) == "1") {
    std::string out = "# " + agreement + " (" + std::to_string(found.size()) + " of " + std::to_string(rules) + " rules)\n";
    for (const auto& [key, why] : found) {
      auto it = listed.find(key);
      out += key + ": " + (it != listed.end() ? it->second.substr(it->second.find_first_not_of(' ')) : why) + "\n";
    }
    MESSAGE(out);
  }
  for (const auto& [key, why] : found) {
    INFO(agreement, " rule ", key, ": ", why);
    CHECK_MESSAGE(listed.count(key) == 1, "not listed in " << list_path);
  }
  for (const auto& [key, why] : listed) {
    INFO(agreement, " rule ", key, " is listed (", why, ") but agrees now (or is no rule of the data)");
    CHECK(found.count(key) == 1);
  }
  CHECK(rules == 397);
  MESSAGE(agreement << ": " << rules << " rules, " << rules - found.size() << " agree, " << found.size()
                    << " listed disagreements");
}

}  // namespace

TEST_CASE("crosscheck: uk-eu-tca against the UK tariff rule texts") {
  crosscheck("uk-eu-tca", std::string(ROO_SOURCE_DIR) + "/rules/uk-eu-tca.roo",
             std::string(ROO_SOURCE_DIR) + "/data/uk-tariff-psr/rule_sets/eu.json", false);
}

TEST_CASE("crosscheck: cptpp against the UK tariff rule texts") {
  crosscheck("cptpp", std::string(ROO_SOURCE_DIR) + "/rules/cptpp.roo",
             std::string(ROO_SOURCE_DIR) + "/data/uk-tariff-psr/rule_sets/cptpp.json", true);
}

TEST_CASE("crosscheck: eu-japan against the verbatim Annex 3-B (data/eu-japan/psr.jsonl)") {
  crosscheck_japan(std::string(ROO_SOURCE_DIR) + "/rules/eu-japan", std::string(ROO_SOURCE_DIR) + "/data/eu-japan/psr.jsonl");
}
