// The process vocabulary of docs/bom-format.md: the identifiers a BOM uses to
// declare the operations carried out, and the names the rules test for.
#pragma once

#include <span>
#include <string_view>

namespace roo {

std::span<const std::string_view> known_processes() noexcept;
bool is_known_process(std::string_view id) noexcept;

}  // namespace roo
