// The wording of a rule lookup, shared by render() (roo rule) and roo diff,
// which compares it line by line.
#pragma once

#include <roo/roo.hpp>

#include <string>
#include <vector>

namespace roo {

// "scope: the rule" (what roo rule prints first).
std::string rule_head(const RuleInfo& rule);
// The lines under it: applies when..., validity, direction, quota, note.
std::vector<std::string> rule_details(const RuleInfo& rule);

}  // namespace roo
