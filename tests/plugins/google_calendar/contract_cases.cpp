// Google Calendar's part of the plugin contract: one recorded exchange per outcome.
#include "../contract/plugin_contract.hpp"
#include "sample_config.hpp"

namespace switchboard::testing {

PluginContract GoogleCalendarContract() {
  return {"google_calendar",
          FullGoogleConfig(),
          {"client_secret", "refresh_token"},
          kGoogleSecrets,
          {
              {"token, then calendarList 200", {GoogleTokenOk(), JsonResponse(200, kCalendarListOk)},
               Outcome::kValid, "ok", "", std::nullopt},
              {"token endpoint: invalid_grant",
               {JsonResponse(400, R"({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})")},
               Outcome::kInvalidCredentials, "invalid_grant", "refresh_token", std::nullopt},
              {"calendarList 403 insufficient scopes", {GoogleTokenOk(), JsonResponse(403, kInsufficientScope403)},
               Outcome::kMissingPermission, "insufficientPermissions", "scopes", std::nullopt},
              {"calendarList 429 with Retry-After",
               {GoogleTokenOk(), JsonResponse(429, UsageLimitBody(429, "rateLimitExceeded", "Rate Limit Exceeded"),
                                              {{"retry-after", "30"}})},
               Outcome::kTransient, "rateLimitExceeded", "", 30.0},
          }};
}

}  // namespace switchboard::testing
