// A plugin's own words as the host repeats them (in a log line, a refusal, a problem
// detail): short and valid UTF-8, whatever the plugin wrote.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "common/utf8.hpp"

namespace switchboard {

inline std::string PluginExcerpt(std::string_view text) {
  constexpr size_t kMax = 300;
  return ToValidUtf8(text.substr(0, kMax)) + (text.size() > kMax ? "..." : "");
}

// What an error result says: its "message" member when it has one, else its text.
inline std::string PluginErrorMessage(std::string_view text, const Result<nlohmann::json>& parsed) {
  if (parsed.ok() && parsed->is_object() && parsed->contains("message") && (*parsed)["message"].is_string()) {
    return PluginExcerpt((*parsed)["message"].get<std::string>());
  }
  return PluginExcerpt(text);
}

}  // namespace switchboard
