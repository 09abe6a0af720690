#include "config.hpp"

namespace google_calendar {
namespace {

std::string TextOr(const switchboard::Json& json, const char* key, const char* fallback) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) return fallback;
  return it->get<std::string>();
}

}  // namespace

Config Config::From(const switchboard::Json& json) {
  Config config;
  config.client_id = TextOr(json, "client_id", "");
  config.client_secret = TextOr(json, "client_secret", "");
  config.refresh_token = TextOr(json, "refresh_token", "");
  config.token_uri = TextOr(json, "token_uri", kDefaultTokenUri);
  config.api_base = TextOr(json, "api_base", kDefaultApiBase);
  auto scopes = json.find("scopes");
  if (scopes != json.end() && scopes->is_array()) {
    for (const auto& scope : *scopes) {
      if (scope.is_string() && !scope.get<std::string>().empty()) {
        config.scopes.push_back(scope.get<std::string>());
      }
    }
  }
  if (config.scopes.empty()) config.scopes.push_back(kDefaultScope);
  return config;
}

bool AllowsCalendarList(const std::string& scope) {
  // The scopes calendarList.list accepts, per the Calendar API reference. The narrower
  // calendar.events scopes get 403 insufficientPermissions on it.
  static const char* const kAccepted[] = {"calendar", "calendar.readonly",
                                          "calendar.calendarlist",
                                          "calendar.calendarlist.readonly"};
  for (const char* name : kAccepted) {
    if (scope == std::string(kScopePrefix) + name) return true;
  }
  return false;
}

}  // namespace google_calendar
