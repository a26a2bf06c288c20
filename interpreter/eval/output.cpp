#include "interpreter/eval/output.hpp"

#include <functional>

#include <fmt/format.h>

#include "interpreter/core/json_text.hpp"

namespace roo {

namespace {

std::string_view tri_json(Tri t) { return t == Tri::yes ? "true" : t == Tri::no ? "false" : "null"; }
std::string_view tri_word(Tri t) { return t == Tri::yes ? "PASS" : t == Tri::no ? "FAIL" : "UNDECIDED"; }

// The explanation as the caller asked: `fails` keeps the branches that did not pass.
const ExplainNode* filtered(const ExplainNode& node, Explain explain, ExplainNode& storage) {
  if (explain != Explain::fails) return &node;
  std::function<bool(const ExplainNode&, ExplainNode&)> keep = [&](const ExplainNode& in, ExplainNode& out) {
    out = in;
    out.children.clear();
    for (const auto& c : in.children) {
      ExplainNode child;
      if (keep(c, child)) out.children.push_back(std::move(child));
    }
    return in.verdict != Tri::yes || !out.children.empty();
  };
  if (!keep(node, storage)) {
    storage = node;
    storage.children.clear();
  }
  return &storage;
}

void append_optional(std::string& out, std::string_view key, const std::optional<std::string>& value) {
  out += ',';
  append_json_string(out, key);
  out += ':';
  if (value) append_json_string(out, *value);
  else out += "null";
}

void append_node(std::string& out, const ExplainNode& n) {
  out += "{\"criterion\":";
  append_json_string(out, n.label);
  out += ",\"text\":";
  append_json_string(out, n.text);
  out += ",\"passed\":";
  out += tri_json(n.verdict);
  out += ",\"source\":";
  append_json_string(out, n.source);
  out += ",\"figures\":{";
  for (std::size_t i = 0; i < n.figures.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, n.figures[i].name);
    out += ':';
    append_json_string(out, n.figures[i].value);
  }
  out += "},\"materials\":[";
  for (std::size_t i = 0; i < n.materials.size(); ++i) {
    const auto& m = n.materials[i];
    if (i) out += ',';
    out += "{\"id\":";
    append_json_string(out, m.id);
    out += ",\"hs\":";
    append_json_string(out, m.hs);
    out += ",\"value\":";
    if (m.value.empty()) out += "null";
    else append_json_string(out, m.value);
    out += ",\"reason\":";
    append_json_string(out, m.reason);
    out += m.saved ? ",\"saved_by_tolerance\":true}" : ",\"saved_by_tolerance\":false}";
  }
  out += "],\"missing\":[";
  for (std::size_t i = 0; i < n.missing.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, n.missing[i]);
  }
  out += "],\"saved_by\":";
  if (n.saved_by.empty()) out += "null";
  else append_json_string(out, n.saved_by);
  out += ",\"children\":[";
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (i) out += ',';
    append_node(out, n.children[i]);
  }
  out += "]}";
}

}  // namespace

std::string to_json(const Determination& d, Explain explain) {
  std::string out = "{\"format\":\"roo-determination/1\",\"product\":";
  append_json_string(out, d.product);
  if (d.line) out += fmt::format(",\"line\":{}", *d.line);
  out += ",\"agreement\":";
  append_json_string(out, d.agreement);
  out += ",\"date\":";
  if (d.date.empty()) out += "null";
  else append_json_string(out, d.date);
  out += ",\"status\":";
  append_json_string(out, status_name(d.status));
  out += ",\"originating\":";
  out += d.status == Status::originating ? "true" : d.status == Status::not_originating ? "false" : "null";
  append_optional(out, "country_of_origin", d.country_of_origin);
  append_optional(out, "origin_criterion", d.origin_criterion);
  out += ",\"rule\":";
  if (d.rule) {
    out += "{\"scope\":";
    append_json_string(out, d.rule->scope);
    out += ",\"text\":";
    append_json_string(out, d.rule->text);
    out += ",\"source\":";
    append_json_string(out, d.rule->source);
    out += ",\"citation\":";
    append_json_string(out, d.rule->citation);
    out += '}';
  } else {
    out += "null";
  }
  const auto& f = d.figures;
  out += ",\"figures\":{\"basis\":";
  append_json_string(out, f.basis);
  append_optional(out, "basis_value", figure_text(f.basis_value));
  append_optional(out, "vnm", figure_text(f.vnm));
  append_optional(out, "vom", figure_text(f.vom));
  append_optional(out, "nom_percent", figure_text(f.nom_percent));
  append_optional(out, "rvc_percent", figure_text(f.rvc_percent));
  append_optional(out, "tolerance_limit", figure_text(f.tolerance_limit));
  append_optional(out, "tolerance_used", figure_text(f.tolerance_used));
  out += ",\"by_criterion\":[";
  for (std::size_t i = 0; i < f.by_criterion.size(); ++i) {
    const auto& c = f.by_criterion[i];
    if (i) out += ',';
    out += "{\"criterion\":";
    append_json_string(out, c.criterion);
    out += ",\"passed\":";
    out += tri_json(c.passed);
    for (const auto& fig : c.figures) {
      out += ',';
      append_json_string(out, fig.name);
      out += ':';
      append_json_string(out, fig.value);
    }
    if (!c.failing_materials.empty()) {
      out += ",\"failing_materials\":[";
      for (std::size_t k = 0; k < c.failing_materials.size(); ++k) {
        if (k) out += ',';
        append_json_string(out, c.failing_materials[k]);
      }
      out += ']';
    }
    out += '}';
  }
  out += "]},\"explanation\":";
  if (d.explanation && explain != Explain::none) {
    ExplainNode storage;
    append_node(out, *filtered(*d.explanation, explain, storage));
  } else {
    out += "null";
  }
  out += ",\"messages\":[";
  for (std::size_t i = 0; i < d.messages.size(); ++i) {
    const auto& m = d.messages[i];
    if (i) out += ',';
    out += "{\"severity\":";
    append_json_string(out, severity_name(m.severity));
    out += ",\"code\":";
    append_json_string(out, m.code);
    out += ",\"message\":";
    append_json_string(out, m.message);
    out += '}';
  }
  out += "],\"engine\":{\"version\":";
  append_json_string(out, d.engine_version);
  out += ",\"rules_sha256\":";
  append_json_string(out, d.rules_sha256);
  out += "}}";
  return out;
}

namespace {

// Text for a terminal or a Markdown file: control characters from the input
// (an id with ESC or BEL in it) are written as JSON writes them (\u001b), so a
// BOM cannot move the cursor, ring the bell or start a line of its own.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) out += fmt::format("\\u{:04x}", u);
    else out += c;
  }
  return out;
}

std::string headline(const Determination& d) {
  std::string status = d.country_of_origin                    ? "COUNTRY OF ORIGIN " + *d.country_of_origin
                       : d.status == Status::originating       ? "ORIGINATING"
                       : d.status == Status::not_originating ? "NOT ORIGINATING"
                       : d.status == Status::undetermined    ? "UNDETERMINED"
                                                             : "ERROR";
  std::string out = fmt::format("{} under {}", d.product.empty() ? std::string("product") : printable(d.product), printable(d.agreement));
  if (!d.date.empty()) out += " on " + d.date;
  out += ": " + status;
  if (d.origin_criterion) out += fmt::format(" (origin criterion {})", printable(*d.origin_criterion));
  return out;
}

std::string figures_line(const Determination& d) {
  const auto& f = d.figures;
  std::vector<std::string> parts;
  if (f.basis_value) parts.push_back(fmt::format("{} {}", f.basis, f.basis_value->value));
  if (f.vnm) parts.push_back(fmt::format("VNM {}", f.vnm->value));
  if (f.vom) parts.push_back(fmt::format("VOM {}", f.vom->value));
  if (f.nom_percent) parts.push_back(fmt::format("NOM {}%", f.nom_percent->value));
  if (f.rvc_percent) parts.push_back(fmt::format("RVC {}%", f.rvc_percent->value));
  if (f.tolerance_limit) parts.push_back(fmt::format("tolerance limit {}", f.tolerance_limit->value));
  if (f.tolerance_used) parts.push_back(fmt::format("tolerance used {}", f.tolerance_used->value));
  return fmt::format("{}", fmt::join(parts, "; "));
}

void text_node(std::string& out, const ExplainNode& n, int depth, bool markdown) {
  std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  std::string bullet = markdown ? indent + "- " : indent + "  ";
  std::string label = n.label == "rule" || n.label == "any of" || n.label == "all of" || n.label == "condition"
                          ? n.label
                          : (markdown ? "`" + n.label + "`" : n.label);
  out += fmt::format("{}{} {}: {}", bullet, markdown ? fmt::format("**{}**", tri_word(n.verdict)) : fmt::format("[{}]", tri_word(n.verdict)),
                     printable(label), printable(n.text));
  if (!n.source.empty()) out += markdown ? fmt::format(" ({})", n.source) : fmt::format("  ({})", n.source);
  out += '\n';
  std::string sub = markdown ? indent + "  - " : indent + "      ";
  if (!n.figures.empty()) {
    std::vector<std::string> parts;
    for (const auto& f : n.figures) parts.push_back(fmt::format("{} {}", f.name, f.value));
    out += fmt::format("{}figures: {}\n", sub, fmt::join(parts, ", "));
  }
  for (const auto& m : n.materials)
    out += fmt::format("{}{} {} ({}, {}): {}\n", sub, m.saved ? "disregarded:" : "fails:", printable(m.id), m.hs,
                       m.value.empty() ? std::string("no value") : "value " + m.value, printable(m.reason));
  for (const auto& m : n.missing) out += fmt::format("{}missing: {}\n", sub, printable(m));
  if (!n.saved_by.empty()) out += fmt::format("{}saved by {}\n", sub, n.saved_by);
  for (const auto& c : n.children) text_node(out, c, depth + 1, markdown);
}

}  // namespace

std::string to_text(const Determination& d, Explain explain) {
  std::string out = headline(d) + '\n';
  if (d.rule) {
    out += fmt::format("  rule: {}: {}\n", printable(d.rule->scope), printable(d.rule->text));
    out += fmt::format("        {}{}\n", d.rule->source, d.rule->citation.empty() ? "" : "; " + d.rule->citation);
  }
  if (auto figs = figures_line(d); !figs.empty()) out += fmt::format("  figures: {}\n", figs);
  for (const auto& c : d.figures.by_criterion) {
    if (c.figures.empty() && c.failing_materials.empty()) continue;
    std::vector<std::string> parts;
    for (const auto& f : c.figures) parts.push_back(fmt::format("{} {}", f.name, f.value));
    if (!c.failing_materials.empty()) parts.push_back(printable(fmt::format("failing {}", fmt::join(c.failing_materials, " "))));
    out += fmt::format("    {} ({}): {}\n", c.criterion, c.passed == Tri::yes ? "met" : c.passed == Tri::no ? "not met" : "undecided",
                       fmt::join(parts, ", "));
  }
  if (d.explanation && explain != Explain::none) {
    ExplainNode storage;
    out += "  why:\n";
    text_node(out, *filtered(*d.explanation, explain, storage), 1, false);
  }
  for (const auto& m : d.messages)
    out += fmt::format("  {}[{}]: {}\n", severity_name(m.severity), m.code, printable(m.message));
  return out;
}

std::string to_markdown(const Determination& d, Explain explain) {
  std::string out = fmt::format("## {}\n\n", headline(d));
  if (d.rule) out += fmt::format("**Rule** ({}): {} — {}  \n*{}{}*\n\n", printable(d.rule->scope), printable(d.rule->text), "", d.rule->source,
                                 d.rule->citation.empty() ? "" : "; " + d.rule->citation);
  if (auto figs = figures_line(d); !figs.empty()) out += fmt::format("**Figures**: {}\n\n", figs);
  if (!d.figures.by_criterion.empty()) {
    out += "| criterion | met | figures |\n|---|---|---|\n";
    for (const auto& c : d.figures.by_criterion) {
      std::vector<std::string> parts;
      for (const auto& f : c.figures) parts.push_back(fmt::format("{} {}", f.name, f.value));
      out += fmt::format("| {} | {} | {} |\n", c.criterion, c.passed == Tri::yes ? "yes" : c.passed == Tri::no ? "no" : "undecided",
                         fmt::join(parts, ", "));
    }
    out += '\n';
  }
  if (d.explanation && explain != Explain::none) {
    ExplainNode storage;
    out += "**Why**\n\n";
    text_node(out, *filtered(*d.explanation, explain, storage), 0, true);
    out += '\n';
  }
  if (!d.messages.empty()) {
    out += "**Messages**\n\n";
    for (const auto& m : d.messages)
      out += fmt::format("- {} `{}`: {}\n", severity_name(m.severity), m.code, printable(m.message));
    out += '\n';
  }
  out += fmt::format("*roo {}, rules sha256 {}*\n", d.engine_version, d.rules_sha256);
  return out;
}

}  // namespace roo
