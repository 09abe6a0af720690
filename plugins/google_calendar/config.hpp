// A Google Calendar connection's fields, with the schema's defaults filled in. The host
// stores only what the user entered, so every reader goes through here.
#ifndef GOOGLE_CALENDAR_CONFIG_HPP
#define GOOGLE_CALENDAR_CONFIG_HPP

#include <string>
#include <vector>

#include <switchboard/provider.hpp>

namespace google_calendar {

constexpr const char* kDefaultTokenUri = "https://oauth2.googleapis.com/token";
constexpr const char* kDefaultApiBase = "https://www.googleapis.com/calendar/v3";
constexpr const char* kScopePrefix = "https://www.googleapis.com/auth/";
constexpr const char* kDefaultScope = "https://www.googleapis.com/auth/calendar.readonly";

struct Config {
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::vector<std::string> scopes;
  std::string token_uri;
  std::string api_base;

  // Reads a config object; absent or empty optional fields take their defaults.
  static Config From(const switchboard::Json& json);

  // The values that must never appear in a message or a log line.
  std::vector<std::string> Secrets() const { return {client_secret, refresh_token}; }
};

// True when `scope` lets a token call calendarList.list (the probe's API call).
bool AllowsCalendarList(const std::string& scope);

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_CONFIG_HPP
