// The one way the host parses JSON it did not write itself: request bodies, plugin
// output (describe, validate, probe steps), files an operator hands the CLI. Bounded in
// size and nesting, strict about encoding, so no input can exhaust the stack or memory
// and no byte is silently ignored.
//
// Failure codes (stable; callers map them to their own errors):
//   too_large       more than limits.max_bytes bytes
//   not_utf8        bytes that are not well-formed UTF-8
//   too_deep        arrays/objects nested deeper than limits.max_depth
//   malformed_json  anything else that is not one JSON value (a NUL byte included)
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace switchboard {

struct JsonLimits {
  size_t max_bytes = 1 << 20;
  size_t max_depth = 64;  // a top-level [] or {} is depth 1
};

Result<nlohmann::json> ParseBoundedJson(std::string_view text, const JsonLimits& limits);

// Text for JSON the host sends out: invalid UTF-8 in a string is replaced with U+FFFD
// instead of throwing (nlohmann's default), so dumping outside data never fails.
inline std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace switchboard
