// Loose input that used to give a wrong verdict or lose data (issue
// "Reliability and security"): each case here failed before its fix.
#include <doctest/doctest.h>

#include <roo/roo.hpp>

#include <cstring>
#include <sstream>

#include "interpreter/bom/bom_reader.hpp"

namespace {

std::string product_bom(std::string_view wholly_obtained_json) {
  return R"({"currency":"EUR","date":"2026-11-28","product":{"id":"H","hs":"0101.21","produced_in":"GB","ex_works":"100","wholly_obtained":)" +
         std::string(wholly_obtained_json) + R"(},"materials":[]})";
}

bool has_code(const std::vector<roo::Diagnostic>& diags, std::string_view code) {
  for (const auto& d : diags)
    if (d.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("wholly_obtained: only true, false or a category of the vocabulary") {
  // "no", "N", "0" used to read as a category, so the horse was wholly obtained.
  for (std::string_view loose : {R"("no")", R"("N")", R"("0")", R"("yes")", R"("harvestd")"}) {
    auto r = roo::read_bom_json(product_bom(loose), "wo.json");
    CHECK_MESSAGE(!r.bom, loose);
    CHECK_MESSAGE(has_code(r.diagnostics, "bom-enum"), loose);
  }
  // The nearest category is named.
  auto typo = roo::read_bom_json(product_bom(R"("harvestd")"), "wo.json");
  REQUIRE_FALSE(typo.diagnostics.empty());
  bool named = false;
  for (const auto& n : typo.diagnostics.front().notes) named = named || n.find("'harvested'") != std::string::npos;
  CHECK(named);
  // What is valid still reads, in both readers (fast path and located).
  for (std::string_view ok : {"true", "false", R"("harvested")", R"("born_and_raised")", R"("from_wholly_obtained")"}) {
    auto r = roo::read_bom_json(product_bom(ok), "wo.json");
    CHECK_MESSAGE(r.bom, ok);
    CHECK_MESSAGE(roo::read_bom_json_fast(product_bom(ok)), ok);
  }
  CHECK(roo::read_bom_json(product_bom("false"), "wo.json").bom->product.wholly_obtained == std::nullopt);
  CHECK(roo::read_bom_json(product_bom(R"("harvested")"), "wo.json").bom->product.wholly_obtained == "harvested");
}

TEST_CASE("wholly_obtained and booleans in CSV: the two words, nothing else") {
  std::string head = "# product: hs=0101.21 ex_works=100 currency=EUR produced_in=GB\n";
  auto with = [&](std::string_view column, std::string_view cell) {
    return head + "id,hs,value," + std::string(column) + "\nM1,0101.21,10," + std::string(cell) + "\n";
  };
  for (std::string_view loose : {"no", "N", "0", "1", "yes"}) {
    CHECK_MESSAGE(!roo::read_bom_csv(with("wholly_obtained", loose), "b.csv").bom, loose);
    CHECK_MESSAGE(!roo::read_bom_csv(with("originating", loose), "b.csv").bom, loose);
  }
  CHECK(roo::read_bom_csv(with("wholly_obtained", "harvested"), "b.csv").bom);
  CHECK(roo::read_bom_csv(with("originating", "true"), "b.csv").bom);
}

TEST_CASE("CSV: a product key given twice is an error, on one line or two") {
  auto one_line = roo::read_bom_csv("# product: hs=8501.52 currency=EUR ex_works=420.00 ex_works=42.00\nid,hs,value\nM1,7408.11,1\n", "b.csv");
  CHECK_FALSE(one_line.bom);
  CHECK(has_code(one_line.diagnostics, "bom-duplicate"));
  auto two_lines = roo::read_bom_csv(
      "# product: hs=8501.52 currency=EUR ex_works=420.00\n# product: ex_works=42.00\nid,hs,value\nM1,7408.11,1\n", "b.csv");
  CHECK_FALSE(two_lines.bom);
  REQUIRE(has_code(two_lines.diagnostics, "bom-duplicate"));
  for (const auto& d : two_lines.diagnostics)
    if (d.code == "bom-duplicate") {
      CHECK(d.line == 2);
      REQUIRE_FALSE(d.notes.empty());
      CHECK(d.notes.front() == "first given on line 1");
    }
}

TEST_CASE("CSV: a NUL byte is an error at its place") {
  std::string text = "# product: hs=8501.52 currency=EUR ex_works=1\nid,hs,value\nM1,7408.11,1";
  text += '\0';
  text += "0\n";
  auto r = roo::read_bom_csv(text, "b.csv");
  CHECK_FALSE(r.bom);
  REQUIRE(has_code(r.diagnostics, "bom-csv"));
  CHECK(r.diagnostics.front().line == 3);
}

TEST_CASE("Decimals: no '+' sign, and an exponent only in a JSON number") {
  auto value = [](std::string_view v) {
    return R"({"currency":"EUR","product":{"hs":"8501.52","ex_works":)" + std::string(v) +
           R"(},"materials":[{"id":"M1","hs":"7408.11","value":"1"}]})";
  };
  CHECK_FALSE(roo::read_bom_json(value(R"("+120")"), "b.json").bom);
  CHECK_FALSE(roo::read_bom_json(value(R"("1e2")"), "b.json").bom);
  CHECK(roo::read_bom_json(value("1e2"), "b.json").bom);
  CHECK(roo::read_bom_json(value(R"("120.50")"), "b.json").bom);
  CHECK_FALSE(roo::read_bom_csv("# product: hs=8501.52 currency=EUR ex_works=+120\nid,hs,value\nM1,7408.11,1\n", "b.csv").bom);
}

TEST_CASE("JSON Lines: line numbers past 2^32 do not wrap") {
  const std::uint64_t start = (std::uint64_t{1} << 32) - 1;
  std::string good = R"({"currency":"EUR","product":{"hs":"8501.52","ex_works":"1"},"materials":[]})";
  std::istringstream in(good + "\n" + good + "\n\n{broken\n");
  std::vector<std::uint64_t> lines;
  std::vector<std::uint64_t> diagnostic_lines;
  roo::read_bom_json_lines(
      in, "big.jsonl",
      [&](std::uint64_t line, roo::BomReadResult&& r) {
        lines.push_back(line);
        for (const auto& d : r.diagnostics) diagnostic_lines.push_back(d.line);
      },
      start);
  CHECK(lines == std::vector<std::uint64_t>{start, start + 1, start + 3});
  REQUIRE_FALSE(diagnostic_lines.empty());
  CHECK(diagnostic_lines.front() == start + 3);  // 4,294,967,298, not 2
}

TEST_CASE("Text and Markdown output escape control characters from the input") {
  auto loaded = roo::Agreement::load_text("t.roo", "import std\nagreement \"T\" {\n  parties GB, EU\n  heading 8501: CTH\n}\n");
  REQUIRE(loaded.agreement);
  std::string bom = R"({"currency":"EUR","date":"2026-11-28","product":{"id":"P\u001b[2J\u0007","hs":"8501.52","produced_in":"GB","ex_works":"10"},"materials":[{"id":"M\u001b]0;x\u0007","hs":"8501.10","value":"1"}]})";
  auto input = roo::read_bom(bom);
  REQUIRE(input.ok());
  roo::Determination d = loaded.agreement->determine(input);
  for (auto format : {roo::Format::text, roo::Format::markdown}) {
    std::string out = roo::render(d, format);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\x07') == std::string::npos);
    CHECK(out.find("P\\u001b[2J\\u0007") != std::string::npos);
  }
}

TEST_CASE("A product past the work budget gets an error result, and the next one is decided") {
  auto loaded = roo::Agreement::load_text("t.roo", "import std\nagreement \"T\" {\n  parties GB, EU\n  heading 8501: CTH\n}\n");
  REQUIRE(loaded.agreement);
  std::string materials;
  for (int i = 0; i < 200; ++i)
    materials += std::string(i ? "," : "") + R"({"id":"M)" + std::to_string(i) + R"(","hs":"7408.11","value":"1"})";
  auto input = roo::read_bom(R"({"currency":"EUR","date":"2026-11-28","product":{"id":"P","hs":"8501.52","produced_in":"GB","ex_works":"1000"},"materials":[)" + materials + "]}");
  REQUIRE(input.ok());
  roo::DetermineOptions tight;
  tight.max_steps = 100;
  roo::Determination over = loaded.agreement->determine(input, tight);
  CHECK(over.status == roo::Status::error);
  REQUIRE_FALSE(over.messages.empty());
  CHECK(over.messages.front().code == "bom-too-complex");
  CHECK(loaded.agreement->determine(input).status == roo::Status::originating);
}

namespace {

// An endless (or long) stream of spaces that counts the bytes it hands out,
// and then, when finite, one more text.
struct SpacesStreambuf : std::streambuf {
  std::uint64_t left;  // spaces still to serve; UINT64_MAX: endless
  std::string tail;
  bool tail_served = false;
  std::uint64_t served = 0;
  char block[1 << 16];
  explicit SpacesStreambuf(std::uint64_t spaces, std::string after = {}) : left(spaces), tail(std::move(after)) {
    std::memset(block, ' ', sizeof block);
  }
  int_type underflow() override {
    if (left > 0) {
      auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof block));
      if (left != UINT64_MAX) left -= n;
      served += n;
      setg(block, block, block + n);
      return traits_type::to_int_type(' ');
    }
    if (!tail_served && !tail.empty()) {
      tail_served = true;
      served += tail.size();
      setg(tail.data(), tail.data(), tail.data() + tail.size());
      return traits_type::to_int_type(tail.front());
    }
    return traits_type::eof();
  }
};

}  // namespace

TEST_CASE("One BOM from a stream: reading stops one byte past the size limit") {
  // `roo determine -` on an endless stream used to hold all of it (992 MB
  // for 600 MB of spaces) before saying it was too large.
  SpacesStreambuf endless(UINT64_MAX);
  std::istream in(&endless);
  std::vector<roo::BomInput> got;
  roo::read_boms(in, roo::BomReadOptions{roo::BomFormat::json, "-", {}}, [&](roo::BomInput&& b) { got.push_back(std::move(b)); });
  REQUIRE(got.size() == 1);
  CHECK_FALSE(got.front().ok());
  CHECK(has_code(got.front().diagnostics, "bom-io"));
  // At most the limit, one byte, and the stream's own block read ahead.
  CHECK(endless.served <= roo::max_bom_bytes + 1 + sizeof endless.block);
}

TEST_CASE("JSON Lines: a line past the size limit is one located error, and the next line is read") {
  std::string good = R"({"currency":"EUR","product":{"id":"G","hs":"8501.52","ex_works":"1"},"materials":[]})";
  SpacesStreambuf spaces(roo::max_bom_bytes + 100, "\n" + good + "\n");
  std::istream in(&spaces);
  std::vector<roo::BomInput> got;
  roo::read_boms(in, roo::BomReadOptions{roo::BomFormat::json_lines, "<stdin>", {}},
                 [&](roo::BomInput&& b) { got.push_back(std::move(b)); });
  REQUIRE(got.size() == 2);
  REQUIRE(got[0].diagnostics.size() == 1);
  CHECK(got[0].diagnostics[0].code == "bom-size");
  CHECK(got[0].diagnostics[0].line == 1);
  CHECK(got[0].diagnostics[0].column == 1);
  CHECK(got[0].line == 1);
  CHECK(got[1].ok());
  CHECK(got[1].line == 2);
  CHECK(got[1].product_id == "G");
}

TEST_CASE("Many attribute keys: a repeat is found wherever it is, and distinct keys read") {
  auto bom = [](int keys, int repeat_of) {
    std::string attributes;
    for (int i = 0; i < keys; ++i) attributes += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
    if (repeat_of >= 0) attributes += ",\"k" + std::to_string(repeat_of) + "\":\"again\"";
    return R"({"currency":"EUR","product":{"hs":"8501.52","ex_works":"1","attributes":{)" + attributes + "}},\"materials\":[]}";
  };
  for (int keys : {9, 100, 5000}) {
    CHECK_MESSAGE(roo::read_bom_json_fast(bom(keys, -1)), keys);
    CHECK_MESSAGE(roo::read_bom_json(bom(keys, -1), "a.json").bom, keys);
    for (int repeat_of : {0, keys / 2, keys - 1}) {
      CHECK_MESSAGE(!roo::read_bom_json_fast(bom(keys, repeat_of)), keys, " ", repeat_of);
      auto r = roo::read_bom_json(bom(keys, repeat_of), "a.json");
      CHECK_MESSAGE(!r.bom, keys, " ", repeat_of);
      CHECK_MESSAGE(has_code(r.diagnostics, "bom-duplicate-key"), keys, " ", repeat_of);
    }
  }
}
