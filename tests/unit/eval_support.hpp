// Helpers shared by the evaluation tests (evaluate_test.cpp, property_test.cpp):
// an agreement from roo source held in a string, checked with the embedded
// stdlib exactly as load_program() does for a file; a BOM from JSON text; and
// look-ups into a Determination.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/parse.hpp"
#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/eval/output.hpp"
#include "interpreter/lang/program.hpp"

namespace roo::test {

// Checks `source` (which should start with `import std`) as the agreement
// `id`, with the stdlib as the first unit, and fails the test on any error.
inline std::unique_ptr<Program> program_from(std::string_view source, std::string id = "test-agreement") {
  auto loaded = load_source(id + ".roo", std::string(source), id);
  std::string shown;
  for (const auto& d : loaded.diagnostics) shown += format_diagnostic(d);
  REQUIRE_MESSAGE(loaded.program != nullptr, shown);
  return std::move(loaded.program);
}

// A BOM from JSON text; fails the test when the text has an error.
inline Bom bom_from(std::string_view json) {
  auto r = read_bom_json(json, "test.json");
  std::string shown;
  for (const auto& d : r.diagnostics) shown += format_diagnostic(d);
  REQUIRE_MESSAGE(r.bom.has_value(), shown);
  return std::move(*r.bom);
}

// A whole BOM document from the product's members and the materials array
// (both as JSON text), dated 2026-06-01 and priced in EUR.
inline std::string bom_json(std::string_view product_members, std::string_view materials_array) {
  std::string out = R"({"format":"roo-bom/1","currency":"EUR","date":"2026-06-01","product":{"id":"P",)";
  out += product_members;
  out += R"(},"materials":)";
  out += materials_array;
  out += "}";
  return out;
}

inline Determination run(const Program& p, std::string_view json, DetermineOptions options = {}) {
  return determine(p, bom_from(json), options);
}

inline bool has_message(const Determination& d, std::string_view code) {
  for (const auto& m : d.messages)
    if (m.code == code) return true;
  return false;
}

// The text of every message with this code, joined by newlines.
inline std::string messages_of(const Determination& d, std::string_view code) {
  std::string out;
  for (const auto& m : d.messages)
    if (m.code == code) out += m.message + "\n";
  return out;
}

inline std::string all_messages(const Determination& d) {
  std::string out;
  for (const auto& m : d.messages) out += m.code + ": " + m.message + "\n";
  return out;
}

// A by_criterion entry, or null.
inline const CriterionFigures* criterion_entry(const Determination& d, std::string_view name, std::size_t nth = 0) {
  for (const auto& c : d.figures.by_criterion)
    if (c.criterion == name && nth-- == 0) return &c;
  return nullptr;
}

// A named figure of a by_criterion entry or explanation node, or "" when absent.
inline std::string figure(const std::vector<Figure>& figures, std::string_view name) {
  for (const auto& f : figures)
    if (f.name == name) return f.value;
  return {};
}

// The first explanation node (depth first) with this label, or null.
inline const ExplainNode* find_node(const ExplainNode& n, std::string_view label) {
  if (n.label == label) return &n;
  for (const auto& c : n.children)
    if (const ExplainNode* found = find_node(c, label)) return found;
  return nullptr;
}

// Ids of the materials an explanation names anywhere (failing or saved), in
// tree order, each once.
inline std::vector<std::string> named_materials(const ExplainNode& n, bool saved) {
  std::vector<std::string> out;
  auto visit = [&](const ExplainNode& node, auto&& self) -> void {
    for (const auto& m : node.materials)
      if (m.saved == saved && std::find(out.begin(), out.end(), m.id) == out.end()) out.push_back(m.id);
    for (const auto& c : node.children) self(c, self);
  };
  visit(n, visit);
  return out;
}

}  // namespace roo::test
