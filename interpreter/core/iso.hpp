// ISO 3166-1 alpha-2 country codes, ISO 4217 currency codes, and country groups.
#pragma once

#include <span>
#include <string_view>

namespace roo {

// Officially assigned ISO 3166-1 alpha-2 codes, plus the user-assigned "XK"
// (Kosovo) that customs authorities use. Upper case only.
bool is_iso_country(std::string_view code) noexcept;

// Active ISO 4217 alphabetic currency codes. Upper case only.
bool is_iso_currency(std::string_view code) noexcept;

// The 27 member states of the European Union (since 1 February 2020).
std::span<const std::string_view> eu_member_states() noexcept;
bool is_eu_member_state(std::string_view code) noexcept;

// The closest known code by edit distance, for "did you mean" hints; empty when
// nothing is close (distance > 1 for two-letter codes).
std::string_view nearest_country(std::string_view code) noexcept;
std::string_view nearest_currency(std::string_view code) noexcept;

}  // namespace roo
