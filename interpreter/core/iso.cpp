// ISO 3166-1 alpha-2 country codes, ISO 4217 currency codes, and country groups.
// See iso.hpp.
#include "interpreter/core/iso.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace roo {

namespace {

// All 249 officially assigned ISO 3166-1 alpha-2 codes plus the user-assigned
// XK (Kosovo). Sorted, for binary search. Not included: exceptionally reserved
// codes such as UK and EU, and transitionally reserved ones.
constexpr auto kCountries = std::to_array<std::string_view>({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB",
    "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
    "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX",
    "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
    "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
    "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
    "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
    "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE",
    "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
    "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG",
    "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
    "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY",
    "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
});

// Active ISO 4217 alphabetic codes for currencies proper, including the
// multinational CFA francs (XAF, XOF), the East Caribbean dollar (XCD), the
// Caribbean guilder (XCG) and the CFP franc (XPF). Left out: fund codes (BOV,
// CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals and bond-market
// units (XAG, XAU, XPD, XPT, XBA..XBD), XDR, XSU, XUA, the testing code XTS,
// "no currency" XXX, and withdrawn codes such as HRK. Codes still within their
// replacement period (ANG, SLL, ZWL, CUC) are kept. Sorted, for binary search.
constexpr auto kCurrencies = std::to_array<std::string_view>({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
    "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
    "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN",
    "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN",
    "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU",
    "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
});

// EU-27 since 1 February 2020. ISO uses GR (not EL) for Greece. Sorted.
constexpr auto kEuMembers = std::to_array<std::string_view>({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
});

template <std::size_t N>
constexpr bool all_upper_of_length(const std::array<std::string_view, N>& table, std::size_t length) {
  for (std::string_view code : table) {
    if (code.size() != length) return false;
    for (char c : code) {
      if (c < 'A' || c > 'Z') return false;
    }
  }
  return true;
}

template <std::size_t N>
constexpr bool strictly_sorted(const std::array<std::string_view, N>& table) {
  return std::adjacent_find(table.begin(), table.end(),
                            [](std::string_view a, std::string_view b) { return a >= b; }) == table.end();
}

static_assert(kCountries.size() == 250, "249 ISO 3166-1 codes plus XK");
static_assert(strictly_sorted(kCountries) && all_upper_of_length(kCountries, 2));
static_assert(strictly_sorted(kCurrencies) && all_upper_of_length(kCurrencies, 3));
static_assert(kEuMembers.size() == 27);
static_assert(strictly_sorted(kEuMembers) && all_upper_of_length(kEuMembers, 2));

template <std::size_t N>
bool in_table(const std::array<std::string_view, N>& table, std::string_view code) noexcept {
  return std::binary_search(table.begin(), table.end(), code);
}

constexpr char fold(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// Levenshtein distance between `text` and a table code of at most 3 letters,
// ignoring ASCII case so that "gb" is next to "GB". Callers skip pairs whose
// lengths differ by more than one, so both strings are short here.
std::size_t distance(std::string_view text, std::string_view code) noexcept {
  constexpr std::size_t kMax = 8;
  if (text.size() >= kMax || code.size() >= kMax) return kMax;
  std::array<std::size_t, kMax> prev{};
  std::array<std::size_t, kMax> cur{};
  for (std::size_t j = 0; j <= code.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= code.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (fold(text[i - 1]) == fold(code[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    prev = cur;
  }
  return prev[code.size()];
}

std::size_t common_prefix(std::string_view a, std::string_view b) noexcept {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && fold(a[n]) == fold(b[n])) ++n;
  return n;
}

// The code at the smallest distance, when that is <= 1. Among equally near
// codes the one sharing the longest prefix wins ("EUD" -> "EUR", not "AUD"),
// then the first in table order.
template <std::size_t N>
std::string_view nearest(const std::array<std::string_view, N>& table, std::string_view text) noexcept {
  constexpr std::size_t kMaxDistance = 1;
  std::string_view best;
  std::size_t best_distance = kMaxDistance + 1;
  std::size_t best_prefix = 0;
  for (std::string_view code : table) {
    const std::size_t gap = text.size() > code.size() ? text.size() - code.size() : code.size() - text.size();
    if (gap > kMaxDistance) continue;
    const std::size_t d = distance(text, code);
    if (d > kMaxDistance) continue;
    const std::size_t prefix = common_prefix(text, code);
    if (d < best_distance || (d == best_distance && prefix > best_prefix)) {
      best = code;
      best_distance = d;
      best_prefix = prefix;
    }
  }
  return best;
}

}  // namespace

bool is_iso_country(std::string_view code) noexcept {
  // Every material's origin is checked: a bit per pair of capital letters,
  // built at compile time from the table, answers without comparing strings.
  static constexpr auto bits = [] {
    std::array<std::uint32_t, 26> b{};
    for (auto c : kCountries) b[static_cast<std::size_t>(c[0] - 'A')] |= 1u << (c[1] - 'A');
    return b;
  }();
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return false;
  return (bits[static_cast<std::size_t>(code[0] - 'A')] >> (code[1] - 'A')) & 1u;
}

bool is_iso_currency(std::string_view code) noexcept {
  return in_table(kCurrencies, code);
}

std::span<const std::string_view> eu_member_states() noexcept {
  return kEuMembers;
}

bool is_eu_member_state(std::string_view code) noexcept {
  return in_table(kEuMembers, code);
}

std::string_view nearest_country(std::string_view code) noexcept {
  return nearest(kCountries, code);
}

std::string_view nearest_currency(std::string_view code) noexcept {
  return nearest(kCurrencies, code);
}

}  // namespace roo
