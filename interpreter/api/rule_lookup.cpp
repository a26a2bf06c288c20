// Agreement::rule (the rules for a product code) and its renderings: the text
// `roo rule` prints and the roo-rule/1 JSON document (docs/rule-format.md).
#include "interpreter/api/rule_lookup.hpp"

#include <fmt/format.h>

#include "interpreter/core/hs.hpp"
#include "interpreter/core/json_text.hpp"
#include "interpreter/lang/program.hpp"
#include "interpreter/lang/render.hpp"

namespace roo {

namespace {

bool in_force(const RuleEntry& e, const std::optional<Date>& date) {
  return !date || !((e.valid_from && *date < *e.valid_from) || (e.valid_until && *e.valid_until < *date));
}

// The rules of the narrowest scope covering `code`; `nested` for the codes a
// rule_of names (a reading never takes another rule_of).
std::vector<RuleInfo> rules_for(const Program& program, const HsCode& code, const std::optional<Date>& date,
                                bool nested) {
  auto candidates = program.candidates(code);
  std::erase_if(candidates, [&](const Program::Candidate& c) {
    return (nested && !c.entry->follows.empty()) || !in_force(*c.entry, date);
  });
  std::vector<RuleInfo> out;
  for (const auto& c : candidates) {
    if (c.width != candidates.front().width) break;
    const RuleEntry& e = *c.entry;
    RuleInfo r;
    r.scope = render_scope(e.rule->scope);
    r.text = render_rule(program, e);
    if (e.rule->scope.condition) r.condition = render_expr(program, *e.rule->scope.condition);
    r.valid_from = e.valid_from;
    r.valid_until = e.valid_until;
    r.to = e.rule->to;
    r.quota = e.rule->quota;
    if (e.rule->note) r.note = *e.rule->note;
    r.source = format_ref(SourceRef{e.unit, e.rule->span});
    r.citation = rule_citation(program, e);
    for (const auto& followed : e.follows)
      r.taken.push_back(RuleInfo::Taken{followed.dotted(), rules_for(program, followed, date, true)});
    out.push_back(std::move(r));
  }
  return out;
}

void append_optional_string(std::string& out, std::string_view key, const std::string& value) {
  out += fmt::format(",\"{}\":", key);
  if (value.empty()) out += "null";
  else append_json_string(out, value);
}

void append_optional_date(std::string& out, std::string_view key, const std::optional<Date>& value) {
  out += fmt::format(",\"{}\":", key);
  if (!value) out += "null";
  else append_json_string(out, value->to_string());
}

void append_rules_json(std::string& out, const std::vector<RuleInfo>& rules) {
  out += '[';
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& r = rules[i];
    if (i) out += ',';
    out += "{\"scope\":";
    append_json_string(out, r.scope);
    out += ",\"text\":";
    append_json_string(out, r.text);
    append_optional_string(out, "condition", r.condition);
    append_optional_date(out, "valid_from", r.valid_from);
    append_optional_date(out, "valid_until", r.valid_until);
    out += ",\"to\":[";
    for (std::size_t k = 0; k < r.to.size(); ++k) {
      if (k) out += ',';
      append_json_string(out, r.to[k]);
    }
    out += fmt::format("],\"quota\":{}", r.quota ? "true" : "false");
    append_optional_string(out, "note", r.note);
    out += ",\"source\":";
    append_json_string(out, r.source);
    append_optional_string(out, "citation", r.citation);
    out += ",\"rule_of\":[";
    for (std::size_t k = 0; k < r.taken.size(); ++k) {
      if (k) out += ',';
      out += "{\"code\":";
      append_json_string(out, r.taken[k].code);
      out += ",\"rules\":";
      append_rules_json(out, r.taken[k].rules);
      out += '}';
    }
    out += "]}";
  }
  out += ']';
}

std::string validity(const RuleInfo& r) {
  if (r.valid_from && r.valid_until)
    return fmt::format("valid from {} until {}", r.valid_from->to_string(), r.valid_until->to_string());
  if (r.valid_from) return fmt::format("valid from {}", r.valid_from->to_string());
  if (r.valid_until) return fmt::format("valid until {}", r.valid_until->to_string());
  return {};
}

void append_rules_text(std::string& out, const RuleLookup& lookup, const std::vector<RuleInfo>& rules,
                       const std::string& indent) {
  for (const auto& r : rules) {
    out += fmt::format("{}{}\n", indent, rule_head(r));
    for (const auto& d : rule_details(r)) out += fmt::format("{}  {}\n", indent, d);
    out += fmt::format("{}  source: {}", indent, r.source);
    if (!r.citation.empty()) out += fmt::format("; {}", r.citation);
    out += '\n';
    if (!r.taken.empty())
      out += fmt::format("{}  (for codes of HS editions after HS {}; a BOM in HS {} uses the annex's codes)\n", indent,
                         lookup.hs_edition, lookup.hs_edition);
    for (const auto& t : r.taken) {
      out += fmt::format("{}  the rule of {}:\n", indent, t.code);
      append_rules_text(out, lookup, t.rules, indent + "    ");
    }
  }
}

}  // namespace

std::string rule_head(const RuleInfo& rule) { return fmt::format("{}: {}", rule.scope, rule.text); }

std::vector<std::string> rule_details(const RuleInfo& r) {
  std::vector<std::string> out;
  if (!r.condition.empty()) out.push_back("applies when " + r.condition);
  if (auto v = validity(r); !v.empty()) out.push_back(std::move(v));
  if (!r.to.empty()) out.push_back(fmt::format("for imports into {}", fmt::join(r.to, ", ")));
  if (r.quota) out.emplace_back("within the limits of the applicable quota");
  if (!r.note.empty()) out.push_back("note: " + r.note);
  return out;
}

RuleLookup Agreement::rule(std::string_view text, const std::optional<Date>& date) const {
  RuleLookup lookup;
  lookup.code = std::string(text);
  lookup.agreement = program_->agreement.id;
  lookup.hs_edition = program_->agreement.hs_edition;
  lookup.date = date;
  lookup.rules_sha256 = program_->rules_sha256;
  std::string why;
  auto code = HsCode::parse(text, &why, 4);
  if (!code) {
    lookup.error = why;
    return lookup;
  }
  lookup.dotted = code->dotted();
  lookup.rules = rules_for(*program_, *code, date, false);
  if (lookup.rules.empty()) lookup.error = fmt::format("no rule of {} covers this code", lookup.agreement);
  return lookup;
}

std::string render(const RuleLookup& lookup, Format format) {
  if (format == Format::json) {
    std::string out = "{\"format\":\"roo-rule/1\",\"code\":";
    append_json_string(out, lookup.dotted.empty() ? lookup.code : lookup.dotted);
    out += ",\"agreement\":";
    append_json_string(out, lookup.agreement);
    out += fmt::format(",\"hs_edition\":{}", lookup.hs_edition);
    append_optional_date(out, "date", lookup.date);
    out += ",\"rules\":";
    append_rules_json(out, lookup.rules);
    append_optional_string(out, "error", lookup.error);
    out += ",\"engine_version\":";
    append_json_string(out, ROO_VERSION);
    out += ",\"rules_sha256\":";
    append_json_string(out, lookup.rules_sha256);
    out += '}';
    return out;
  }
  if (lookup.dotted.empty()) return fmt::format("{}: {}\n", lookup.code, lookup.error);
  if (!lookup.ok()) return fmt::format("{}: {}\n", lookup.dotted, lookup.error);
  std::string out = fmt::format("{} under {}:\n", lookup.dotted, lookup.agreement);
  append_rules_text(out, lookup, lookup.rules, "  ");
  return out;
}

}  // namespace roo
