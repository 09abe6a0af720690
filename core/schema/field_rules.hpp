// The parts of one field's schema the host checks itself instead of valijson: the type,
// the global caps (config_limits.hpp), `pattern` (RE2), `uniqueItems` (sorting, not
// valijson's pairwise comparison) and the date-time format. These are exactly the checks
// whose valijson implementation could crash, hang or throw on hostile input; valijson
// only sees a value that passed its type and caps, with these keywords removed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "schema/pattern.hpp"

namespace switchboard {

struct FieldRules {
  std::string type;  // "string", "integer", "number", "boolean" or "array"
  std::optional<Pattern> pattern;
  bool date_time = false;
  std::string item_type;  // for arrays; "" when items are not typed
  std::optional<Pattern> item_pattern;
  bool unique_items = false;
};

// The rules of a field's spec. Fails with "bad_pattern" when a pattern does not compile
// (the message says which: "pattern" or "items/pattern").
Result<FieldRules> CompileFieldRules(const nlohmann::json& spec);

// The error codes of `value` under `rules`, each at most once, in a stable order.
// `*withhold` becomes true when the value must not reach valijson at all: it has the
// wrong type (valijson's format check throws on some) or exceeds a cap.
std::vector<std::string> CheckFieldValue(const FieldRules& rules, const nlohmann::json& value, bool* withhold);

// `spec` without the keywords FieldRules checks, for valijson.
nlohmann::json WithoutHostCheckedKeywords(const nlohmann::json& spec);

}  // namespace switchboard
