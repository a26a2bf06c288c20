// SHA-256 (FIPS 180-4), for the hash of the rules recorded in every
// determination.
#pragma once

#include <string>
#include <string_view>

namespace roo {

// Lower-case hexadecimal digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace roo
