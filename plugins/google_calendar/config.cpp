#include "config.hpp"

#include <switchboard/json_util.hpp>

namespace google_calendar {
Config Config::From(const switchboard::Json& json) {
  Config config;
  static_cast<ClientConfig&>(config) = ClientConfig::From(json, {kDefaultScope});
  config.token_uri = switchboard::StringFieldOr(json, "token_uri", kDefaultTokenUri);
  config.api_base = switchboard::StringFieldOr(json, "api_base", kDefaultApiBase);
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
