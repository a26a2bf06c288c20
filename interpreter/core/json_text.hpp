// Writing JSON text: string escaping for every emitter in the project.
#pragma once

#include <string>
#include <string_view>

namespace roo {

// Appends `s` as a JSON string literal (with quotes). Control characters are
// escaped; bytes that are not valid UTF-8 are replaced by U+FFFD so the output
// is always valid JSON.
void append_json_string(std::string& out, std::string_view s);
std::string json_string(std::string_view s);

}  // namespace roo
