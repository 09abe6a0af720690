// The Google Calendar probe: the requests it makes and its verdict on each of Google's
// answers, driven through the real plugin with canned responses.
#include <catch2/catch.hpp>
#include <switchboard/http_util.hpp>

#include "sample_config.hpp"

namespace switchboard::testing {
namespace {

// Answers the token request and the calendarList request from two fixed responses and
// records nothing else: FakeHost keeps the requests.
FakeHost::Responder Answer(HttpResponse token, HttpResponse api) {
  return [token, api](const HttpRequest& request) {
    return request.method == "POST" ? token : api;
  };
}

// The bytes on the wire, field order included: what google-auth sends, so a server (or a
// proxy) that compares requests sees the same one from every release.
TEST_CASE("google_calendar token request body is byte-for-byte the documented grant") {
  GooglePlugin plugin;
  auto run = plugin.host.Probe(GoogleConfig(), Answer(GoogleTokenOk(), JsonResponse(200, kCalendarListOk)));
  REQUIRE_FALSE(run.requests.empty());
  CHECK(run.requests[0].body ==
        FormEncode({{"grant_type", "refresh_token"},
                    {"client_id", kGoogleClientId},
                    {"client_secret", kGoogleClientSecret},
                    {"refresh_token", kGoogleRefreshToken},
                    {"scope", kCalendarReadonly}}));
  CHECK(run.requests[0].headers ==
        std::map<std::string, std::string>{{"accept", "application/json"},
                                           {"content-type", "application/x-www-form-urlencoded"}});
}

TEST_CASE("google_calendar probe refreshes, then lists one calendar") {
  GooglePlugin plugin;
  auto run = plugin.host.Probe(GoogleConfig(), Answer(GoogleTokenOk(), JsonResponse(200, kCalendarListOk)));

  REQUIRE(run.requests.size() == 2);
  const HttpRequest& token = run.requests[0];
  CHECK(token.method == "POST");
  CHECK(token.url == "https://oauth2.googleapis.com/token");
  CHECK(token.headers.at("content-type") == "application/x-www-form-urlencoded");
  CHECK(token.headers.count("authorization") == 0);
  auto form = FormDecode(token.body);
  CHECK(form == std::map<std::string, std::string>{{"grant_type", "refresh_token"},
                                                   {"client_id", kGoogleClientId},
                                                   {"client_secret", kGoogleClientSecret},
                                                   {"refresh_token", kGoogleRefreshToken},
                                                   {"scope", kCalendarReadonly}});

  const HttpRequest& api = run.requests[1];
  CHECK(api.method == "GET");
  CHECK(api.url == "https://www.googleapis.com/calendar/v3/users/me/calendarList?maxResults=1");
  CHECK(api.headers.at("authorization") == "Bearer " + kGoogleAccessToken);
  CHECK(api.body.empty());

  CHECK(run.result.outcome == Outcome::kValid);
  CHECK(run.result.config_update.empty());
  CHECK(run.result.expires_at.empty());
  CHECK_FALSE(run.result.retry_after_seconds.has_value());
  CHECK_FALSE(plugin.host.log_lines.empty());
  CheckNoSecrets(run, plugin.host, kGoogleSecrets);
}

TEST_CASE("google_calendar probe uses the configured endpoints and scopes") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["token_uri"] = "http://127.0.0.1:9/oauth/token";
  config["api_base"] = "http://127.0.0.1:9/calendar/v3/";
  config["scopes"] = Json::array({"openid", "https://www.googleapis.com/auth/calendar"});
  auto run = plugin.host.Probe(
      config, Answer(GoogleTokenOk("openid https://www.googleapis.com/auth/calendar"),
                     JsonResponse(200, kCalendarListOk)));
  REQUIRE(run.requests.size() == 2);
  CHECK(run.requests[0].url == "http://127.0.0.1:9/oauth/token");
  CHECK(FormDecode(run.requests[0].body).at("scope") ==
        "openid https://www.googleapis.com/auth/calendar");
  CHECK(run.requests[1].url == "http://127.0.0.1:9/calendar/v3/users/me/calendarList?maxResults=1");
  CHECK(run.result.outcome == Outcome::kValid);
}

TEST_CASE("google_calendar probe returns a rotated refresh token for storage") {
  GooglePlugin plugin;
  SECTION("a new token is handed back") {
    auto run = plugin.host.Probe(GoogleConfig(),
                                 Answer(GoogleTokenOk(kCalendarReadonly, kGoogleRotatedToken),
                                        JsonResponse(200, kCalendarListOk)));
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.config_update == Json{{"refresh_token", kGoogleRotatedToken}});
    CheckNoSecrets(run, plugin.host, kGoogleSecrets);
  }
  SECTION("the same token echoed back is no update") {
    auto run = plugin.host.Probe(GoogleConfig(),
                                 Answer(GoogleTokenOk(kCalendarReadonly, kGoogleRefreshToken),
                                        JsonResponse(200, kCalendarListOk)));
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.config_update.empty());
  }
  SECTION("a new token is kept even when the API call then fails") {
    auto run = plugin.host.Probe(GoogleConfig(),
                                 Answer(GoogleTokenOk(kCalendarReadonly, kGoogleRotatedToken),
                                        JsonResponse(403, kInsufficientScope403)));
    CHECK(run.result.outcome == Outcome::kMissingPermission);
    CHECK(run.result.config_update == Json{{"refresh_token", kGoogleRotatedToken}});
  }
}

TEST_CASE("google_calendar probe classifies token endpoint refusals") {
  GooglePlugin plugin;
  struct Case {
    HttpResponse response;
    Outcome outcome;
    std::string reason;
    std::string field;
  };
  const std::vector<Case> cases = {
      {JsonResponse(400, R"({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})"),
       Outcome::kInvalidCredentials, "invalid_grant", "refresh_token"},
      {JsonResponse(400, R"({"error": "invalid_grant", "error_description": "Bad Request"})"),
       Outcome::kInvalidCredentials, "invalid_grant", "refresh_token"},
      {JsonResponse(400, R"json({"error": "invalid_grant", "error_description": "reauth related error (invalid_rapt)", "error_subtype": "invalid_rapt"})json"),
       Outcome::kInvalidCredentials, "invalid_grant", "refresh_token"},
      {JsonResponse(401, R"({"error": "invalid_client", "error_description": "Unauthorized"})"),
       Outcome::kInvalidCredentials, "invalid_client", "client_secret"},
      {JsonResponse(401, R"({"error": "invalid_client", "error_description": "The OAuth client was not found."})"),
       Outcome::kInvalidCredentials, "invalid_client", "client_id"},
      {JsonResponse(401, R"({"error": "unauthorized_client", "error_description": "Unauthorized"})"),
       Outcome::kInvalidCredentials, "unauthorized_client", "refresh_token"},
      {JsonResponse(400, R"({"error": "invalid_request", "error_description": "Could not determine client ID from request."})"),
       Outcome::kInvalidCredentials, "invalid_request", "client_id"},
      {JsonResponse(400, R"({"error": "invalid_scope"})"), Outcome::kMissingPermission,
       "invalid_scope", "scopes"},
      {JsonResponse(500, R"({"error": "internal_failure"})"), Outcome::kTransient,
       "internal_failure", ""},
      {JsonResponse(400, R"({"error": "temporarily_unavailable"})"), Outcome::kTransient,
       "temporarily_unavailable", ""},
      {HttpResponse{502, {{"content-type", "text/html"}}, "<html>Bad Gateway</html>"},
       Outcome::kTransient, "server_error", ""},
      {HttpResponse{404, {{"content-type", "text/html"}}, "<html>Not Found</html>"},
       Outcome::kInvalidCredentials, "not_found", "token_uri"},
  };
  for (const auto& c : cases) {
    INFO(c.response.status << " " << c.response.body);
    auto run = plugin.host.Probe(GoogleConfig(), Answer(c.response, JsonResponse(200, kCalendarListOk)));
    CHECK(run.requests.size() == 1);
    CHECK(run.result.outcome == c.outcome);
    CHECK(run.result.reason == c.reason);
    CHECK(run.result.field == c.field);
    CHECK_FALSE(run.result.message.empty());
    CHECK(run.result.config_update.empty());
    CheckNoSecrets(run, plugin.host, kGoogleSecrets);
  }
}

// Found by fuzz_probe_reply_outlook: the 200-byte excerpt of a provider's text was cut
// inside a multi-byte character, so the plugin could not serialize its verdict and every
// probe of such a reply ended as plugin_error.
TEST_CASE("google_calendar probe quotes non-ASCII provider text whole") {
  GooglePlugin plugin;
  std::string description = "x";  // so that byte 200 falls inside a character
  for (int i = 0; i < 150; ++i) description += "\u00e9";
  auto run = plugin.host.Probe(
      GoogleConfig(), Answer(JsonResponse(400, R"({"error": "invalid_grant", "error_description": ")" + description + R"("})"),
                             JsonResponse(200, kCalendarListOk)));
  CHECK(run.result.outcome == Outcome::kInvalidCredentials);
  CHECK_NOTHROW(Json(run.result).dump());
}

TEST_CASE("google_calendar probe passes Retry-After of a throttled token endpoint") {
  GooglePlugin plugin;
  auto run = plugin.host.Probe(
      GoogleConfig(), Answer(JsonResponse(429, R"({"error": "rate_limit_exceeded"})", {{"retry-after", "17"}}),
                             JsonResponse(200, kCalendarListOk)));
  CHECK(run.result.outcome == Outcome::kTransient);
  REQUIRE(run.result.retry_after_seconds.has_value());
  CHECK(*run.result.retry_after_seconds == Approx(17));
}

TEST_CASE("google_calendar probe spots missing Calendar scopes in the token response") {
  GooglePlugin plugin;
  auto run = plugin.host.Probe(
      GoogleConfig(), Answer(GoogleTokenOk("https://www.googleapis.com/auth/calendar.events"),
                             JsonResponse(200, kCalendarListOk)));
  CHECK(run.requests.size() == 1);
  CHECK(run.result.outcome == Outcome::kMissingPermission);
  CHECK(run.result.reason == "insufficient_scope");
  CHECK(run.result.field == "scopes");
}

TEST_CASE("google_calendar probe classifies Calendar API answers") {
  GooglePlugin plugin;
  SECTION("403 insufficient scopes is missing permission") {
    auto run = plugin.host.Probe(GoogleConfig(), Answer(GoogleTokenOk(), JsonResponse(403, kInsufficientScope403)));
    CHECK(run.requests.size() == 2);
    CHECK(run.result.outcome == Outcome::kMissingPermission);
    CHECK(run.result.reason == "insufficientPermissions");
    CHECK(run.result.field == "scopes");
    CheckNoSecrets(run, plugin.host, kGoogleSecrets);
  }
  SECTION("429 with Retry-After is transient with the hint") {
    auto run = plugin.host.Probe(
        GoogleConfig(),
        Answer(GoogleTokenOk(), JsonResponse(429, UsageLimitBody(429, "rateLimitExceeded", "Rate Limit Exceeded"),
                                       {{"retry-after", "30"}})));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "rateLimitExceeded");
    REQUIRE(run.result.retry_after_seconds.has_value());
    CHECK(*run.result.retry_after_seconds == Approx(30));
  }
  SECTION("403 user rate limit is transient") {
    auto run = plugin.host.Probe(
        GoogleConfig(),
        Answer(GoogleTokenOk(), JsonResponse(403, UsageLimitBody(403, "userRateLimitExceeded",
                                                           "User Rate Limit Exceeded"))));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "userRateLimitExceeded");
    CHECK_FALSE(run.result.retry_after_seconds.has_value());
  }
  SECTION("403 daily limit is transient for hours") {
    auto run = plugin.host.Probe(
        GoogleConfig(), Answer(GoogleTokenOk(), JsonResponse(403, UsageLimitBody(403, "dailyLimitExceeded",
                                                                           "Calendar usage limits exceeded."))));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "dailyLimitExceeded");
    REQUIRE(run.result.retry_after_seconds.has_value());
    CHECK(*run.result.retry_after_seconds >= 3600);
  }
  SECTION("503 backend error is transient") {
    auto run = plugin.host.Probe(GoogleConfig(), Answer(GoogleTokenOk(), JsonResponse(503, kBackendError503)));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "backendError");
  }
}

TEST_CASE("google_calendar probe retries a 401 once with a fresh token") {
  GooglePlugin plugin;
  SECTION("a second 401 means the credentials are dead") {
    auto run = plugin.host.Probe(GoogleConfig(), Answer(GoogleTokenOk(), JsonResponse(401, kAuthError401)));
    REQUIRE(run.requests.size() == 4);
    CHECK(run.requests[2].method == "POST");
    CHECK(run.requests[3].method == "GET");
    CHECK(run.result.outcome == Outcome::kInvalidCredentials);
    CHECK(run.result.reason == "authError");
    CHECK(run.result.field == "refresh_token");
    CheckNoSecrets(run, plugin.host, kGoogleSecrets);
  }
  SECTION("a fresh token that works means valid, refreshing with the rotated token") {
    int calls = 0;
    auto run = plugin.host.Probe(GoogleConfig(), [&](const HttpRequest& request) {
      ++calls;
      if (calls == 1) return GoogleTokenOk(kCalendarReadonly, kGoogleRotatedToken);
      if (calls == 2) return JsonResponse(401, kAuthError401);
      if (calls == 3) return GoogleTokenOk();
      return JsonResponse(200, kCalendarListOk);
    });
    REQUIRE(run.requests.size() == 4);
    CHECK(FormDecode(run.requests[2].body).at("refresh_token") == kGoogleRotatedToken);
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.config_update == Json{{"refresh_token", kGoogleRotatedToken}});
  }
}

TEST_CASE("google_calendar probe scrubs credentials a provider echoes back") {
  GooglePlugin plugin;
  const std::string echo = Json{{"error", "invalid_client"},
                                {"error_description", "Unauthorized: secret " + kGoogleClientSecret +
                                                          " for token " + kGoogleRefreshToken}}
                               .dump();
  auto run = plugin.host.Probe(GoogleConfig(), Answer(JsonResponse(401, echo), JsonResponse(200, kCalendarListOk)));
  CHECK(run.result.outcome == Outcome::kInvalidCredentials);
  CHECK(run.result.message.find("Unauthorized") != std::string::npos);
  CheckNoSecrets(run, plugin.host, kGoogleSecrets);
}

}  // namespace
}  // namespace switchboard::testing
