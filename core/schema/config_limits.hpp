// Caps on every connection config, whatever its provider's schema says: no field value
// may make validation, storage or a probe expensive. Checked before the schema.
#pragma once

#include <cstddef>

namespace switchboard {

// Longest string (in bytes) a config field or array entry may hold. "too_long"
inline constexpr size_t kMaxConfigStringBytes = 64 * 1024;
// Most fields a config may have (a schema has at most 256). "too_many_fields", on the
// whole config: checked first, so a body of a million unknown keys is one error, not a
// million.
inline constexpr size_t kMaxConfigFields = 256;
// Most entries an array field may hold. "too_many_items"
inline constexpr size_t kMaxConfigArrayItems = 1000;

}  // namespace switchboard
