// Google: the OAuth 2.0 token endpoint (refresh-token grant; {"error",
// "error_description"} failures) and the Calendar API's calendarList read (Google's JSON
// error envelope), as in providers.md 2.2-2.4. Refresh tokens are normally not rotated;
// one ending in "rotate" is replaced on every refresh and the old one dies. calendarList
// is both the probe and the use-path call: it accepts only unexpired access tokens this
// fake issued, and a "redirect" family is sent to the capture listener.
#include <chrono>
#include <string>

#include "provider_routes.hpp"

namespace fakes {
namespace {

constexpr const char* kProvider = "google";
constexpr const char* kCalendarReadonly = "https://www.googleapis.com/auth/calendar.readonly";
constexpr const char* kEventsReadonly = "https://www.googleapis.com/auth/calendar.events.readonly";

void TokenError(httplib::Response& res, int status, const std::string& error,
                const std::string& description) {
  SendJson(res, status, {{"error", error}, {"error_description", description}});
}

// A Calendar API error: the classic errors[] list plus the newer status.
Json ApiError(int code, const std::string& message, const Json& error, const std::string& status) {
  return {{"error",
           {{"code", code}, {"message", message}, {"errors", Json::array({error})}, {"status", status}}}};
}

void Token(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const std::string client_id = req.get_param_value("client_id");
  const std::string client_secret = req.get_param_value("client_secret");
  const std::string refresh_token = req.get_param_value("refresh_token");
  const std::string grant_type = req.get_param_value("grant_type");
  const RefreshLookup found = context.grants().FindRefresh(refresh_token);
  context.stats().Count(kProvider, "token", found.grant ? found.grant->root : refresh_token);
  if (found.grant && grant_type == "refresh_token") {
    context.stats().CountRefresh(kProvider, found.grant->root, found.spent);
  }
  context.Delay(found.grant ? found.grant->mode : CredentialMode{});
  // A token spent by rotation is dead, whatever its family.
  const std::shared_ptr<Grant> grant = found.spent ? nullptr : found.grant;

  if (grant_type != "refresh_token") {
    return TokenError(res, 400, "unsupported_grant_type", "Invalid grant_type: " + grant_type);
  }
  if (client_id.empty()) {
    return TokenError(res, 400, "invalid_request", "Could not determine client ID from request.");
  }
  if (EndsWith(client_id, "unknown.apps.googleusercontent.com")) {
    return TokenError(res, 401, "invalid_client", "The OAuth client was not found.");
  }
  if (EndsWith(client_secret, "wrong")) {
    return TokenError(res, 401, "invalid_client", "Unauthorized");
  }
  if (refresh_token.empty()) {
    return TokenError(res, 400, "invalid_request", "Missing required parameter: refresh_token");
  }
  if (!grant) return TokenError(res, 400, "invalid_grant", "Token has been expired or revoked.");

  switch (grant->mode.mode) {
    case Mode::kRevoked:
    case Mode::kExpired:
      return TokenError(res, 400, "invalid_grant", "Token has been expired or revoked.");
    case Mode::kEcho:
      return TokenError(res, 400, "invalid_grant", EchoText(refresh_token, client_id, client_secret));
    case Mode::kMalformed:
      return TokenError(res, 400, "invalid_grant", "Bad Request");
    case Mode::kRapt:
      return SendJson(res, 400, {{"error", "invalid_grant"},
                                 {"error_description", "reauth related error (invalid_rapt)"},
                                 {"error_uri", "https://support.google.com/a/answer/9368756"},
                                 {"error_subtype", "invalid_rapt"}});
    case Mode::kOtherClient:
      return TokenError(res, 401, "unauthorized_client", "Unauthorized");
    case Mode::kTokenDown:
      // The body of a token-endpoint outage is not confirmed; google-auth retries on the
      // status and on this error value.
      return TokenError(res, 503, "internal_failure", "Backend Error");
    default:
      break;
  }
  std::string scope = req.get_param_value("scope");
  if (scope.empty()) scope = kCalendarReadonly;
  if (grant->mode.mode == Mode::kNarrowScope) scope = kEventsReadonly;
  const int lifetime = context.AccessTokenSeconds(*grant);
  Json body = {{"access_token",
                context.grants().IssueAccess(kProvider, grant, "ya29.a0Af", std::chrono::seconds(lifetime))},
               {"expires_in", lifetime},
               {"scope", scope},
               {"token_type", "Bearer"}};
  if (grant->mode.mode == Mode::kRotate) {
    body["refresh_token"] = context.grants().IssueRefresh(grant, "1//0g");
    context.grants().Spend(refresh_token);
  }
  res.set_header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
  SendJson(res, 200, body);
}

Json CalendarList() {
  return {{"kind", "calendar#calendarList"},
          {"etag", "\"p32g9ntcqsfoe0g\""},
          {"nextSyncToken", "CPDAlvWDx_UCEhB1c2VyQGV4YW1wbGUuY29t"},
          {"items",
           Json::array({{{"kind", "calendar#calendarListEntry"},
                         {"etag", "\"1700000000000000\""},
                         {"id", "user@example.com"},
                         {"summary", "user@example.com"},
                         {"timeZone", "Europe/Berlin"},
                         {"accessRole", "owner"},
                         {"primary", true},
                         {"selected", true},
                         {"backgroundColor", "#9fe1e7"},
                         {"foregroundColor", "#000000"},
                         {"defaultReminders", Json::array()}}})}};
}

void Unauthenticated(httplib::Response& res, bool token_given) {
  res.set_header("WWW-Authenticate",
                 token_given ? R"(Bearer realm="https://accounts.google.com/", error="invalid_token")"
                             : R"(Bearer realm="https://accounts.google.com/")");
  const std::string expected =
      " Expected OAuth 2 access token, login cookie or other valid authentication credential. "
      "See https://developers.google.com/identity/sign-in/web/devconsole-project.";
  if (!token_given) {
    SendJson(res, 401,
             ApiError(401, "Request is missing required authentication credential." + expected,
                      {{"message", "Login Required."}, {"domain", "global"}, {"reason", "required"},
                       {"location", "Authorization"}, {"locationType", "header"}},
                      "UNAUTHENTICATED"));
    return;
  }
  SendJson(res, 401,
           ApiError(401, "Request had invalid authentication credentials." + expected,
                    {{"message", "Invalid Credentials"}, {"domain", "global"},
                     {"reason", "authError"}, {"location", "Authorization"},
                     {"locationType", "header"}},
                    "UNAUTHENTICATED"));
}

void ListCalendars(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const std::string access_token = BearerToken(req);
  const AccessLookup found = context.grants().FindAccess(kProvider, access_token);
  const std::shared_ptr<Grant>& grant = found.grant;
  context.stats().Count(kProvider, "calendarList", grant ? grant->root : access_token);
  context.Delay(grant ? grant->mode : CredentialMode{});
  // Google answers an unknown, made-up and an expired token alike.
  if (!grant || found.expired) return Unauthenticated(res, !access_token.empty());

  switch (grant->mode.mode) {
    case Mode::kRedirect:
      return context.RedirectToCapture(req, res);
    case Mode::kBadAccess:
      return Unauthenticated(res, true);
    case Mode::kUnauthorizedOnce:
      if (grant->api_calls++ == 0) return Unauthenticated(res, true);
      break;
    case Mode::kNoScope: {
      Json body = ApiError(403, "Request had insufficient authentication scopes.",
                           {{"message", "Insufficient Permission"}, {"domain", "global"},
                            {"reason", "insufficientPermissions"}},
                           "PERMISSION_DENIED");
      body["error"]["details"] = Json::array(
          {{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
            {"reason", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"},
            {"domain", "googleapis.com"},
            {"metadata", {{"service", "calendar-json.googleapis.com"},
                          {"method", "calendar.v3.CalendarList.List"}}}}});
      return SendJson(res, 403, body);
    }
    case Mode::kUserRateLimited:
      return SendJson(res, 403,
                      ApiError(403, "User Rate Limit Exceeded",
                               {{"domain", "usageLimits"}, {"reason", "userRateLimitExceeded"},
                                {"message", "User Rate Limit Exceeded"}},
                               "PERMISSION_DENIED"));
    case Mode::kRateLimited:
      return SendJson(res, 429,
                      ApiError(429, "Rate Limit Exceeded",
                               {{"domain", "usageLimits"}, {"reason", "rateLimitExceeded"},
                                {"message", "Rate Limit Exceeded"}},
                               "RESOURCE_EXHAUSTED"));
    case Mode::kServerError:
      return SendJson(res, 500,
                      ApiError(500, "Backend Error",
                               {{"domain", "global"}, {"reason", "backendError"},
                                {"message", "Backend Error"}},
                               "INTERNAL"));
    case Mode::kDown:
      return SendJson(res, 503,
                      ApiError(503, "The service is currently unavailable.",
                               {{"message", "The service is currently unavailable."},
                                {"domain", "global"}, {"reason", "backendError"}},
                               "UNAVAILABLE"));
    default:
      break;
  }
  SendJson(res, 200, CalendarList());
}

}  // namespace

void AddGoogleRoutes(httplib::Server& server, FakeContext& context) {
  context.Post(server, "/google/token",
               [&context](const httplib::Request& req, httplib::Response& res) {
                 Token(context, req, res);
               });
  context.Get(server, "/google/calendar/v3/users/me/calendarList",
              [&context](const httplib::Request& req, httplib::Response& res) {
                ListCalendars(context, req, res);
              });
}

}  // namespace fakes
