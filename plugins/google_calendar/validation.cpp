#include "validation.hpp"

#include "config.hpp"
#include <switchboard/oauth_util.hpp>
using namespace switchboard::oauth;

namespace google_calendar {
namespace {

// OpenID Connect scopes are the only ones Google accepts by short name.
bool IsShortOidcScope(const std::string& scope) {
  return scope == "openid" || scope == "email" || scope == "profile";
}

}  // namespace

std::vector<switchboard::FieldError> ValidateConfig(const switchboard::Json& json) {
  std::vector<switchboard::FieldError> errors;
  const Config config = Config::From(json);

  bool lists_calendars = false;
  for (const auto& scope : config.scopes) {
    if (AllowsCalendarList(scope)) lists_calendars = true;
    if (scope.find("://") == std::string::npos && !IsShortOidcScope(scope)) {
      errors.push_back({"scopes", "not_a_full_scope",
                        "Scope '" + scope + "' must be a full URL, e.g. " + kScopePrefix + scope +
                            "."});
    }
  }
  if (!lists_calendars) {
    errors.push_back({"scopes", "missing_calendar_scope",
                      "Add a scope that can list calendars, e.g. " + std::string(kDefaultScope) +
                          " (calendar.events alone is not enough)."});
  }

  // Access tokens are issued as ya29.<...>; users often copy one from the OAuth
  // Playground next to the refresh token, and it stops working within the hour.
  if (StartsWith(config.refresh_token, "ya29.")) {
    errors.push_back({"refresh_token", "access_token_given",
                      "This is an access token (ya29...), which expires within an hour; paste "
                      "the refresh token instead."});
  }
  if (EndsWith(config.client_secret, ".apps.googleusercontent.com")) {
    errors.push_back({"client_secret", "looks_like_client_id",
                      "This is a client ID; paste the client secret shown next to it."});
  }

  for (const char* field : {"token_uri", "api_base"}) {
    const std::string& url = std::string(field) == "token_uri" ? config.token_uri : config.api_base;
    if (!IsSafeEndpoint(url)) {
      errors.push_back({field, "insecure_url",
                        "Use an https:// URL (plain http is allowed only to localhost)."});
    }
  }
  return errors;
}

}  // namespace google_calendar
