// UTF-8 validation shared by every reader.
#pragma once

#include <cstddef>
#include <string_view>

namespace roo {

// Length (1 to 4) of the well-formed UTF-8 sequence at the start of `s`, or 0
// when it is not well formed (overlong forms, surrogates and code points above
// U+10FFFF are rejected).
std::size_t utf8_sequence_length(std::string_view s) noexcept;

// Offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

}  // namespace roo
