// Credentials and Google answers the Google Calendar plugin tests use, shaped like real
// ones (bodies from Google's token endpoint and Calendar API), and test helpers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/testing.hpp>

#include "../plugin_test_support.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {

inline const std::string kGoogleClientId =
    "123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com";
inline const std::string kGoogleClientSecret = "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";
inline const std::string kGoogleRefreshToken =
    "1//0gXyZ-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWxYz";
inline const std::string kGoogleAccessToken = "ya29.a0AfB_byCtestAccessTokenValue0123456789";
inline const std::string kGoogleRotatedToken = "1//0gRotatedRefreshToken-ZyXwVuTsRqPoNmLkJiH";
inline const std::string kCalendarReadonly = "https://www.googleapis.com/auth/calendar.readonly";
// Every credential of the samples: none may reach a verdict or a log line.
inline const std::vector<std::string> kGoogleSecrets = {kGoogleClientSecret, kGoogleRefreshToken,
                                                         kGoogleAccessToken, kGoogleRotatedToken};

inline std::string GooglePluginPath() {
  return std::string(SWITCHBOARD_PLUGIN_DIR) + "/google_calendar.so";
}

inline Json GoogleConfig() {
  return Json{{"client_id", kGoogleClientId},
              {"client_secret", kGoogleClientSecret},
              {"refresh_token", kGoogleRefreshToken}};
}

inline Json FullGoogleConfig() {
  Json config = GoogleConfig();
  config["scopes"] = Json::array({kCalendarReadonly});
  config["token_uri"] = "https://oauth2.googleapis.com/token";
  config["api_base"] = "https://www.googleapis.com/calendar/v3";
  return config;
}

// The real plugin, loaded for one test. The library outlives the host that uses it.
struct GooglePlugin {
  PluginLibrary library{"google_calendar"};
  FakeHost host{library.entry()};
};

inline HttpResponse GoogleTokenOk(const std::string& scope = kCalendarReadonly,
                            const std::string& refresh_token = "") {
  Json body = {{"access_token", kGoogleAccessToken},
               {"expires_in", 3599},
               {"scope", scope},
               {"token_type", "Bearer"}};
  if (!refresh_token.empty()) body["refresh_token"] = refresh_token;
  return JsonResponse(200, body.dump());
}

inline const std::string kCalendarListOk = R"({
  "kind": "calendar#calendarList", "etag": "\"p32g9ntcqsfoe0g\"",
  "nextPageToken": "EjQKMGFAZXhhbXBsZS5jb20",
  "items": [{"kind": "calendar#calendarListEntry", "etag": "\"1700000000000000\"",
             "id": "user@example.com", "summary": "user@example.com", "timeZone": "Europe/Berlin",
             "accessRole": "owner", "primary": true, "selected": true,
             "backgroundColor": "#9fe1e7", "foregroundColor": "#000000", "defaultReminders": []}]})";

inline const std::string kAuthError401 = R"({"error": {"code": 401,
  "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError", "location": "Authorization", "locationType": "header"}],
  "status": "UNAUTHENTICATED"}})";

inline const std::string kInsufficientScope403 = R"({"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
  "errors": [{"message": "Insufficient Permission", "domain": "global", "reason": "insufficientPermissions"}],
  "status": "PERMISSION_DENIED",
  "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
               "metadata": {"service": "calendar-json.googleapis.com", "method": "calendar.v3.CalendarList.List"}}]}})";

inline std::string UsageLimitBody(int code, const std::string& reason, const std::string& message) {
  return Json{{"error",
               {{"code", code},
                {"message", message},
                {"errors", Json::array({{{"domain", "usageLimits"},
                                         {"reason", reason},
                                         {"message", message}}})}}}}
      .dump();
}

inline const std::string kBackendError503 = R"({"error": {"code": 503, "message": "The service is currently unavailable.",
  "errors": [{"message": "The service is currently unavailable.", "domain": "global", "reason": "backendError"}],
  "status": "UNAVAILABLE"}})";

}  // namespace switchboard::testing
