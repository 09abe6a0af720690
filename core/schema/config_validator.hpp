// Checks a connection config against its provider's field schema: first the host's own
// checks of each field (type, the caps of config_limits.hpp, patterns with RE2,
// uniqueItems, date-time; see field_rules.hpp), then the rest of the field schema
// (valijson). plugins/config_validation.hpp adds the plugin's own checks. Returns every problem at once, each tied to the field a form shows it
// beside. No config, however hostile, makes it throw, recurse or take more than
// O(n log n) time in its size.
//
// Codes: not_an_object, too_many_fields, missing_required, unknown_field, wrong_type, pattern_mismatch,
// not_allowed_value, out_of_range, too_short, too_long, too_few_items, too_many_items,
// duplicate_items, bad_format, invalid.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/provider.hpp>

#include "common/status.hpp"
#include "schema/compiled_field_schema.hpp"

namespace switchboard {

// Schema problems of `config` (any JSON value) for a compiled field schema.
std::vector<FieldError> CheckAgainstFieldSchema(const CompiledFieldSchema& schema, const nlohmann::json& config);

}  // namespace switchboard
