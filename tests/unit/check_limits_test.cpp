// The checker's limits (interpreter/lang/program.hpp): long chains of
// definitions and definitions that grow when written out end in one located
// roo-too-complex error, not in a stack overflow or an exhausted memory when
// the program is checked or compiled; programs within the limits still check.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/parse.hpp"
#include "interpreter/lang/program.hpp"

namespace {

struct Checked {
  std::vector<roo::Diagnostic> diagnostics;
  bool ok = false;
  std::string shown;
};

// Parses `source` with the stdlib and checks it (and so compiles it when clean).
Checked check(const std::string& source) {
  Checked out;
  auto unit = [&](std::string name, std::string text, bool is_stdlib) {
    auto u = std::make_unique<roo::SourceUnit>();
    u->name = std::move(name);
    u->text = std::move(text);
    u->is_stdlib = is_stdlib;
    auto parsed = roo::parse(u->text, u->name);
    u->file = std::move(parsed.file);
    out.diagnostics.insert(out.diagnostics.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
    return u;
  };
  std::vector<std::unique_ptr<roo::SourceUnit>> units;
  units.push_back(unit("<stdlib>/std.roo", std::string(*roo::stdlib_source("std")), true));
  units.push_back(unit("limits.roo", source, false));
  REQUIRE(out.diagnostics.empty());
  auto checked = roo::check_sources(std::move(units), "limits");
  out.diagnostics = std::move(checked.diagnostics);
  out.ok = checked.program != nullptr;
  for (const auto& d : out.diagnostics) out.shown += roo::format_diagnostic(d);
  return out;
}

std::string criteria_chain(std::size_t n, bool reverse) {
  std::string s = "import std\n";
  for (std::size_t i = 0; i < n; ++i)
    s += reverse ? "criterion c" + std::to_string(i) + " = c" + std::to_string(i + 1) + "\n"
                 : "criterion c" + std::to_string(i + 1) + " = c" + std::to_string(i) + "\n";
  s += "criterion c" + std::to_string(reverse ? n : 0) + " = CTH\n";
  s += "agreement \"t\" {\n  heading 0101: c" + std::to_string(reverse ? 0 : n) + "\n}\n";
  return s;
}

std::string lets_chain(std::size_t n, bool reverse) {
  std::string s = "import std\n";
  for (std::size_t i = 0; i < n; ++i)
    s += reverse ? "let a" + std::to_string(i) + " = a" + std::to_string(i + 1) + "\n"
                 : "let a" + std::to_string(i + 1) + " = a" + std::to_string(i) + "\n";
  s += "let a" + std::to_string(reverse ? n : 0) + " = 50%\n";
  s += "agreement \"t\" {\n  heading 0101: maxnom(a" + std::to_string(reverse ? 0 : n) + ")\n}\n";
  return s;
}

}  // namespace

TEST_CASE("check limits: chains of criteria within the limit check and compile") {
  auto r = check(criteria_chain(400, false));
  CHECK_MESSAGE(r.ok, r.shown);
  auto l = check(lets_chain(400, false));
  CHECK_MESSAGE(l.ok, l.shown);
  auto v = check(lets_chain(200, true));
  CHECK_MESSAGE(v.ok, v.shown);
}

TEST_CASE("check limits: a long chain of criteria is one located error") {
  auto r = check(criteria_chain(100000, false));
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  CHECK(d.code == "roo-too-complex");
  CHECK(d.file == "limits.roo");
  CHECK(d.message.find("nests more than 512 levels deep") != std::string::npos);
  CHECK(d.line > 400);
  CHECK(d.line < 600);
  CHECK(d.column == 11);
}

TEST_CASE("check limits: a long chain of criteria in reverse order") {
  auto r = check(criteria_chain(100000, true));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "roo-too-complex");
}

TEST_CASE("check limits: long chains of lets") {
  auto forward = check(lets_chain(100000, false));
  REQUIRE(forward.diagnostics.size() == 1);
  CHECK(forward.diagnostics[0].code == "roo-too-complex");
  // Typing a0 goes through a1, a2, ...: refused at the depth limit.
  auto reverse = check(lets_chain(100000, true));
  REQUIRE(reverse.diagnostics.size() == 1);
  CHECK(reverse.diagnostics[0].code == "roo-too-complex");
  CHECK(reverse.diagnostics[0].message == "'a256' is reached through more than 256 definitions, each using the next");
  CHECK(reverse.diagnostics[0].line == 258);
}

TEST_CASE("check limits: definitions that double at each step") {
  std::string s = "import std\ncriterion c0 = CTH\n";
  for (int i = 0; i < 60; ++i)
    s += "criterion c" + std::to_string(i + 1) + " = c" + std::to_string(i) + " or c" + std::to_string(i) + "\n";
  s += "let n0 = 1\n";
  for (int i = 0; i < 60; ++i)
    s += "let n" + std::to_string(i + 1) + " = n" + std::to_string(i) + " + n" + std::to_string(i) + "\n";
  s += "agreement \"t\" {\n  heading 0101: c60 and maxnom(n60 * 1%)\n}\n";
  auto r = check(s);
  CHECK(!r.ok);
  // One error for each chain, at the first definition over the limit; what
  // uses it is not reported again.
  REQUIRE(r.diagnostics.size() == 2);
  for (const auto& d : r.diagnostics) {
    CHECK(d.code == "roo-too-complex");
    CHECK(d.message.find("has more than 100000 parts") != std::string::npos);
  }
}

TEST_CASE("check limits: cycles are still found, also in long chains") {
  auto r = check("import std\ncriterion a = b\ncriterion b = c\ncriterion c = a\nagreement \"t\" {\n  heading 0101: a\n}\n");
  REQUIRE(!r.diagnostics.empty());
  CHECK(r.diagnostics[0].code == "roo-cycle");
  CHECK(r.diagnostics[0].message.find("(a -> b -> c -> a)") != std::string::npos);
  std::string s = criteria_chain(100000, true);
  s += "criterion c100001 = c0\n";
  s.replace(s.find("criterion c100000 = CTH"), 23, "criterion c100000 = c100001");
  auto long_cycle = check(s);
  REQUIRE(!long_cycle.diagnostics.empty());
  CHECK(long_cycle.diagnostics[0].code == "roo-cycle");
}
