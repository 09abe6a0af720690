// Reading JSON a plugin did not write — a provider's reply body, a connection's config —
// without exceptions and without trusting a type. Header-only; depends on nlohmann/json.
//
// The host does not fill a field's schema `default` into a stored config: a field the
// user left out is absent, so read optional fields with StringFieldOr and its default.
#ifndef SWITCHBOARD_JSON_UTIL_HPP
#define SWITCHBOARD_JSON_UTIL_HPP

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchboard {

// The body as a JSON object, or an empty object when it is not one (HTML error pages,
// empty bodies, arrays, text that is not JSON).
inline nlohmann::json ParseObject(const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  return parsed.is_object() ? parsed : nlohmann::json::object();
}

// `object[key]` when it is a string, "" otherwise (absent, another type, `object` not an
// object).
inline std::string StringField(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// `object[key]` when it is a non-empty string, `fallback` otherwise: how a plugin applies
// a field's default, e.g. StringFieldOr(config, "base_url", "https://api.example.com/v1").
inline std::string StringFieldOr(const nlohmann::json& object, const char* key,
                                 const std::string& fallback) {
  std::string value = StringField(object, key);
  return value.empty() ? fallback : value;
}

// The non-empty strings of the array `object[key]`, in order; other entries are skipped,
// and anything but an array gives none.
inline std::vector<std::string> StringList(const nlohmann::json& object, const char* key) {
  std::vector<std::string> list;
  if (!object.is_object()) return list;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return list;
  for (const auto& entry : *it) {
    if (entry.is_string() && !entry.get_ref<const std::string&>().empty()) {
      list.push_back(entry.get<std::string>());
    }
  }
  return list;
}

}  // namespace switchboard

#endif  // SWITCHBOARD_JSON_UTIL_HPP
