#include "interpreter/core/iso.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string_view>

using namespace std::string_view_literals;

TEST_CASE("ISO 3166-1 country codes") {
  for (std::string_view c : {"GB"sv, "DE"sv, "CN"sv, "US"sv, "JP"sv, "GR"sv, "XK"sv, "AD"sv, "ZW"sv, "AX"sv, "SS"sv,
                             "BQ"sv, "CW"sv, "SX"sv}) {
    INFO(c);
    CHECK(roo::is_iso_country(c));
  }
  // Exceptionally reserved, lower case, wrong length, alpha-3, withdrawn.
  for (std::string_view c :
       {"UK"sv, "EU"sv, "gb"sv, "G"sv, "GBR"sv, ""sv, "EL"sv, "AN"sv, "YU"sv, "XX"sv, "Gb"sv, "G "sv}) {
    INFO(c);
    CHECK_FALSE(roo::is_iso_country(c));
  }
}

TEST_CASE("ISO 4217 currency codes") {
  for (std::string_view c : {"EUR"sv, "GBP"sv, "USD"sv, "JPY"sv, "CHF"sv, "CAD"sv, "AUD"sv, "NZD"sv, "SGD"sv, "KRW"sv,
                             "MXN"sv, "VND"sv, "MYR"sv, "CLP"sv, "PEN"sv, "BND"sv, "NOK"sv, "ISK"sv, "TRY"sv, "ILS"sv,
                             "ALL"sv, "GEL"sv, "CNY"sv, "INR"sv, "XAF"sv, "XOF"sv, "XCD"sv, "XPF"sv}) {
    INFO(c);
    CHECK(roo::is_iso_currency(c));
  }
  for (std::string_view c : {"EUD"sv, "eur"sv, "EU"sv, "EURO"sv, ""sv, "XTS"sv, "XXX"sv, "HRK"sv, "DEM"sv, "GB"sv}) {
    INFO(c);
    CHECK_FALSE(roo::is_iso_currency(c));
  }
}

TEST_CASE("EU member states") {
  const auto eu = roo::eu_member_states();
  CHECK(eu.size() == 27);
  CHECK(std::find(eu.begin(), eu.end(), "GR"sv) != eu.end());
  CHECK(std::find(eu.begin(), eu.end(), "GB"sv) == eu.end());
  CHECK(std::find(eu.begin(), eu.end(), "EL"sv) == eu.end());
  for (std::string_view c : eu) {
    INFO(c);
    CHECK(roo::is_iso_country(c));
    CHECK(roo::is_eu_member_state(c));
  }
  CHECK(roo::is_eu_member_state("HR"));
  CHECK(roo::is_eu_member_state("DE"));
  CHECK_FALSE(roo::is_eu_member_state("GB"));
  CHECK_FALSE(roo::is_eu_member_state("CH"));
  CHECK_FALSE(roo::is_eu_member_state("NO"));
  CHECK_FALSE(roo::is_eu_member_state("EL"));
  CHECK_FALSE(roo::is_eu_member_state("de"));
}

TEST_CASE("Nearest codes for did-you-mean hints") {
  CHECK(roo::nearest_currency("EUD") == "EUR");  // not AUD: a shared prefix wins ties
  CHECK(roo::nearest_currency("GBR") == "GBP");
  CHECK(roo::nearest_currency("USD") == "USD");
  CHECK(roo::nearest_currency("eur") == "EUR");  // case does not count as an edit
  CHECK(roo::nearest_currency("EURO") == "EUR");
  CHECK(roo::nearest_currency("QQQ").empty());
  CHECK(roo::nearest_currency("").empty());
  CHECK(roo::nearest_currency("SOMETHINGLONG").empty());

  CHECK(roo::nearest_country("gb") == "GB");
  CHECK(roo::nearest_country("GBR") == "GB");
  CHECK(roo::nearest_country("DEU") == "DE");
  CHECK(roo::nearest_country("D") == "DE");   // first code starting with D
  CHECK(roo::nearest_country("1A") == "BA");  // no shared prefix: first in table order
  CHECK(roo::nearest_country("DE") == "DE");
  CHECK(roo::nearest_country("1").empty());
  CHECK(roo::nearest_country("").empty());
  CHECK(roo::nearest_country("QQQQ").empty());
  CHECK(roo::nearest_country("Q1") == "QA");
}
