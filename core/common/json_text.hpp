// Small JSON helpers shared by the views clients see.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchboard {

// null for "", the text otherwise: optional strings are null in API views, never "".
inline nlohmann::json NullIfEmpty(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace switchboard
