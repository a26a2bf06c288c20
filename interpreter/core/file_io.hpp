// Reading whole files, with the reason when it cannot be done.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace roo {

// The file's bytes; nullopt with `error` set when it cannot be read or is
// larger than max_bytes (checked before reading).
std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes, std::string& error);

}  // namespace roo
