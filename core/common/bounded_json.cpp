#include "common/bounded_json.hpp"

#include <string>

#include "common/utf8.hpp"

namespace switchboard {
namespace {

// The deepest nesting of [ and { outside strings. Linear, no allocation, no recursion:
// it runs before the parser so the parser never sees a document too deep to handle.
// On malformed text the count may be off, but then the parser refuses the text anyway.
size_t NestingDepth(std::string_view text, size_t stop_above) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) deepest = depth;
        if (deepest > stop_above) return deepest;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

}  // namespace

Result<nlohmann::json> ParseBoundedJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::Error(Code::kTooLarge, "the JSON text is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  if (text.find('\0') != std::string_view::npos) {
    return Status::Error(Code::kMalformedJson, "the JSON text contains a NUL byte");
  }
  if (!IsValidUtf8(text)) return Status::Error(Code::kNotUtf8, "the JSON text is not valid UTF-8");
  if (NestingDepth(text, limits.max_depth) > limits.max_depth) {
    return Status::Error(Code::kTooDeep, "the JSON text is nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Error(Code::kMalformedJson, "the text is not valid JSON");
  return parsed;
}

}  // namespace switchboard
