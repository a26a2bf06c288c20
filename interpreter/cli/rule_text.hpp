// The rules that apply to an HS code, worded as `roo rule` prints them and as
// `roo diff` compares them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "interpreter/core/date.hpp"
#include "interpreter/core/hs.hpp"
#include "interpreter/lang/program.hpp"

namespace roo::cli {

struct RuleText {
  const RuleEntry* entry = nullptr;
  std::string head;                  // "scope: the rule, in legal English"
  std::vector<std::string> details;  // applies when..., validity, direction, quota, note
  std::vector<std::pair<HsCode, std::vector<RuleText>>> taken;  // a rule_of: the rules of each code it names
};

// The rules of the narrowest scope that covers `code` (in force on `date` when
// given); empty when none does.
std::vector<RuleText> rules_for(const Program& program, const HsCode& code, const std::optional<Date>& date);

}  // namespace roo::cli
