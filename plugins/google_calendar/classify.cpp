#include "classify.hpp"

#include <switchboard/oauth2_client.hpp>
#include <switchboard/oauth_util.hpp>
#include <switchboard/probe_result.hpp>
using namespace switchboard::oauth;

namespace google_calendar {
namespace {

using switchboard::HttpResponse;
using switchboard::Invalid;
using switchboard::MissingPermission;
using switchboard::ProbeResult;
using switchboard::StatusText;
using switchboard::Transient;

// google-auth retries these error values whatever the HTTP status.
bool IsRetryableTokenError(const std::string& value) {
  return value == "internal_failure" || value == "server_error" ||
         value == "temporarily_unavailable";
}

// The classic errors[0].reason and the newer details[].reason of a Google API error.
struct ApiError {
  std::string reason;         // e.g. insufficientPermissions, authError, rateLimitExceeded
  std::string detail_reason;  // e.g. ACCESS_TOKEN_SCOPE_INSUFFICIENT
  std::string message;
};

ApiError ParseApiError(const std::string& body) {
  ApiError error;
  Json envelope = ParseObject(body);
  auto it = envelope.find("error");
  if (it == envelope.end() || !it->is_object()) return error;
  const Json& e = *it;
  error.message = StringField(e, "message");
  auto errors = e.find("errors");
  if (errors != e.end() && errors->is_array() && !errors->empty()) {
    error.reason = StringField((*errors)[0], "reason");
  }
  auto details = e.find("details");
  if (details != e.end() && details->is_array()) {
    for (const auto& detail : *details) {
      if (!StringField(detail, "reason").empty()) {
        error.detail_reason = StringField(detail, "reason");
        break;
      }
    }
  }
  return error;
}

}  // namespace

ProbeResult ClassifyTokenError(const HttpResponse& response,
                               const std::vector<std::string>& secrets) {
  const TokenError token_error = ParseTokenError(response);
  const std::string& error = token_error.error;
  const std::string& description = token_error.description;
  const std::string subtype = StringField(token_error.body, "error_subtype");
  const std::string said = token_error.Quote(secrets, StatusText(response.status));
  const int status = response.status;

  if (status == 408 || status == 429 || status >= 500 || IsRetryableTokenError(error) ||
      IsRetryableTokenError(description)) {
    std::string reason = !error.empty()     ? error
                         : status == 429    ? "rate_limited"
                         : status == 408    ? "timeout"
                                            : "server_error";
    return Transient(reason, "Google's token endpoint is unavailable for now (" + said + ").",
                     RetryAfter(response));
  }
  if (error == "invalid_grant") {
    if (subtype == "invalid_rapt" || subtype == "rapt_required") {
      return Invalid(error,
                     "The Workspace admin's reauthentication policy requires the user to sign in "
                     "again; reconnect the account.",
                     "refresh_token");
    }
    return Invalid(error,
                   "Google refused the refresh token (" + said +
                       "): it was revoked, expired or unused for six months. Reconnect the "
                       "account; if the OAuth consent screen is in Testing, its tokens last 7 "
                       "days, so publish the app first.",
                   "refresh_token");
  }
  if (error == "invalid_client") {
    if (description.find("not found") != std::string::npos) {
      return Invalid(error,
                     "Google does not know this OAuth client (" + said + "): check the client ID.",
                     "client_id");
    }
    return Invalid(error,
                   "Google rejected the client secret (" + said + ").", "client_secret");
  }
  if (error == "unauthorized_client") {
    return Invalid(error,
                   "The refresh token was issued to a different OAuth client than this client "
                   "ID; reconnect with this client.",
                   "refresh_token");
  }
  if (error == "invalid_scope") {
    return MissingPermission(error,
                   "The refresh token was not granted the configured scopes (" + said +
                       "); reconnect granting them, or remove the extra scopes.",
                   "scopes");
  }
  if (error == "invalid_request") {
    const bool about_client = description.find("client ID") != std::string::npos;
    return Invalid(error,
                   "Google rejected the token request (" + said + ").",
                   about_client ? "client_id" : "");
  }
  if (status == 404) {
    return Invalid("not_found",
                   "No OAuth token endpoint at this URL: check it.", "token_uri");
  }
  return TokenRefused(token_error, "Google", said);
}

ProbeResult ClassifyApiError(const HttpResponse& response,
                             const std::vector<std::string>& secrets) {
  const ApiError error = ParseApiError(response.body);
  const int status = response.status;
  const std::string said =
      Scrub(Excerpt(error.message.empty() ? StatusText(status) : error.message), secrets);
  auto reason_or = [&](const char* fallback) {
    return error.reason.empty() ? std::string(fallback) : error.reason;
  };

  if (status == 401) {
    return RejectedFreshToken(reason_or("authError"), "Google Calendar", said);
  }
  if (status == 403) {
    if (error.reason == "insufficientPermissions" ||
        error.detail_reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT") {
      return MissingPermission(reason_or("insufficientPermissions"),
                     "The access token lacks a Calendar scope that can list calendars; "
                     "reconnect granting calendar.readonly.",
                     "scopes");
    }
    if (error.reason == "rateLimitExceeded" || error.reason == "userRateLimitExceeded") {
      return Transient(error.reason, "Google Calendar rate limit reached (" + said + ").",
                       RetryAfter(response));
    }
    if (error.reason == "dailyLimitExceeded" || error.reason == "quotaExceeded") {
      // Daily quotas reset over hours, not seconds: do not probe again within the hour.
      ProbeResult result = Transient(error.reason,
                                     "The Cloud project's Calendar quota is used up (" + said +
                                         ").",
                                     RetryAfter(response));
      if (!result.retry_after_seconds) result.retry_after_seconds = 3600;
      return result;
    }
    if (error.reason == "accessNotConfigured") {
      return MissingPermission(error.reason,
                     "The Google Calendar API is not enabled in the Cloud project of this OAuth "
                     "client; enable it in the console.",
                     "client_id");
    }
    return MissingPermission(reason_or("forbidden"),
                   "Google Calendar refused to list calendars (" + said + ").");
  }
  if (status == 429) {
    return Transient(reason_or("rateLimitExceeded"),
                     "Google Calendar rate limit reached (" + said + ").", RetryAfter(response));
  }
  if (status >= 500) {
    return Transient(reason_or("backendError"),
                     "Google Calendar had a server error (" + said + ").", RetryAfter(response));
  }
  if (status == 404) {
    return switchboard::NotFoundAtBaseUrl("Calendar API", "api_base");
  }
  return switchboard::UnexpectedStatus("Google Calendar", status, RetryAfter(response));
}

}  // namespace google_calendar
