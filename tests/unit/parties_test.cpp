// Groups in `parties` and in a rule's `to` mean their member countries
// wherever countries are compared (issue 11: `parties ASEAN, GB` with
// `group ASEAN = VN, TH` compared the names literally).
#include <doctest/doctest.h>

#include <roo/roo.hpp>

#include <string>

namespace {

std::string agreement_text(std::string_view parties_line) {
  return "import std\n"
         "agreement \"Groups\" {\n"
         "  group ASEAN = VN, TH\n"
         "  " + std::string(parties_line) + "\n"
         "  basis ex_works\n"
         "  cumulation bilateral with VN, TH, GB\n"
         "  origin_criterion psr \"PSR\"\n"
         "  origin_criterion cumulation \"CUM\"\n"
         "  heading 8501: CTH to ASEAN\n"
         "  heading 8501: maxnom(1%) to GB\n"
         "}\n";
}

roo::Agreement load(std::string_view parties_line) {
  auto loaded = roo::Agreement::load_text("groups.roo", agreement_text(parties_line));
  REQUIRE(loaded.agreement);
  return *loaded.agreement;
}

// A motor made in Viet Nam from a Vietnamese originating stator and a Chinese
// shaft (heading 84.83: a change of heading), for Thailand.
constexpr std::string_view motor = R"({"currency":"USD","date":"2026-11-28","product":{"id":"MTR","hs":"8501.10",)"
                                   R"("produced_in":"VN","destination":"TH","ex_works":"100.00"},"materials":[)"
                                   R"({"id":"STATOR","hs":"8503.00","value":"30.00","origin":"VN","originating":true},)"
                                   R"({"id":"SHAFT","hs":"8483.10","value":"20.00","origin":"CN","originating":false}]})";

}  // namespace

TEST_CASE("parties: a group among the parties decides as its members written out") {
  roo::Agreement grouped = load("parties ASEAN, GB");
  roo::Agreement written = load("parties VN, TH, GB");
  CHECK(grouped.is_party("VN"));
  CHECK(grouped.is_party("ASEAN"));
  CHECK_FALSE(grouped.is_party("CN"));
  CHECK(grouped.parties() == std::vector<std::string>{"GB", "TH", "VN"});

  auto a = grouped.determine(roo::read_bom(motor));
  auto b = written.determine(roo::read_bom(motor));
  CHECK(a.status == roo::Status::originating);
  CHECK(b.status == roo::Status::originating);
  // The stator is Vietnamese in a Vietnamese product: no cumulation either way.
  REQUIRE(a.origin_criterion);
  REQUIRE(b.origin_criterion);
  CHECK(*a.origin_criterion == "PSR");
  CHECK(*a.origin_criterion == *b.origin_criterion);
}

TEST_CASE("parties: a rule 'to' a group applies to each member's imports") {
  roo::Agreement grouped = load("parties ASEAN, GB");
  auto d = grouped.determine(roo::read_bom(motor));
  REQUIRE(d.rule);
  CHECK(d.rule->text.find("change") != std::string::npos);  // CTH, the rule for ASEAN, not the maxnom for GB
}

TEST_CASE("parties: a product made outside every party is not originating, whatever its materials") {
  roo::Agreement grouped = load("parties ASEAN, GB");
  std::string made_in_cn(motor);
  made_in_cn.replace(made_in_cn.find("\"produced_in\":\"VN\""), 18, "\"produced_in\":\"CN\"");
  auto d = grouped.determine(roo::read_bom(made_in_cn));
  CHECK(d.status == roo::Status::not_originating);
  REQUIRE_FALSE(d.messages.empty());
  CHECK(d.messages.front().code == "roo-not-a-party");
}
