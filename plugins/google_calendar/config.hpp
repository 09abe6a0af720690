// A Google Calendar connection's fields, with the schema's defaults filled in. The host
// stores only what the user entered, so every reader goes through here.
#ifndef GOOGLE_CALENDAR_CONFIG_HPP
#define GOOGLE_CALENDAR_CONFIG_HPP

#include <string>
#include <vector>

#include <switchboard/oauth2_client.hpp>
#include <switchboard/provider.hpp>

namespace google_calendar {

constexpr const char* kDefaultTokenUri = "https://oauth2.googleapis.com/token";
constexpr const char* kDefaultApiBase = "https://www.googleapis.com/calendar/v3";
constexpr const char* kScopePrefix = "https://www.googleapis.com/auth/";
constexpr const char* kDefaultScope = "https://www.googleapis.com/auth/calendar.readonly";

// The OAuth client and refresh token (with Secrets()), plus Google's endpoints.
struct Config : switchboard::oauth::ClientConfig {
  std::string token_uri;
  std::string api_base;

  // Reads a config object; absent or empty optional fields take their defaults.
  static Config From(const switchboard::Json& json);
};

// True when `scope` lets a token call calendarList.list (the probe's API call).
bool AllowsCalendarList(const std::string& scope);

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_CONFIG_HPP
