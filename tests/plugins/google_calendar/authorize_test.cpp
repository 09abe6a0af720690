// The Google Calendar grant: the refresh-token grant, then the access token as a Bearer
// header under api_base and its expiry; refusals as the probe classifies token errors;
// the Calendar API's error bodies of proxied calls.
#include <catch2/catch.hpp>

#include "sample_config.hpp"

namespace switchboard::testing {
namespace {

FakeHost::Responder Always(HttpResponse response) {
  return [response](const HttpRequest&) { return response; };
}

TEST_CASE("google grants the access token under api_base with its expiry") {
  GooglePlugin plugin;
  auto run = plugin.host.Authorize(GoogleConfig(), Always(GoogleTokenOk()));
  REQUIRE(run.requests.size() == 1);
  CHECK(run.requests[0].url == "https://oauth2.googleapis.com/token");
  REQUIRE(run.authorization);
  CHECK(run.authorization->headers == Headers{{"authorization", "Bearer " + kGoogleAccessToken}});
  REQUIRE(run.authorization->origins.size() == 1);
  CHECK(run.authorization->origins[0].origin == "https://www.googleapis.com");
  CHECK(run.authorization->origins[0].base_path == "/calendar/v3");
  CHECK(run.authorization->config_update.empty());
  CHECK_FALSE(run.authorization->expires_at.empty());
}

TEST_CASE("google: a rotated refresh token comes back; no expires_in, no expiry; custom api_base") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["api_base"] = "http://localhost:8123/calendar/v3";
  SECTION("rotated") {
    auto run = plugin.host.Authorize(config, Always(GoogleTokenOk(kCalendarReadonly, kGoogleRotatedToken)));
    REQUIRE(run.authorization);
    CHECK(run.authorization->config_update == Json{{"refresh_token", kGoogleRotatedToken}});
    CHECK(run.authorization->origins[0].origin == "http://localhost:8123");
    CHECK(run.authorization->origins[0].base_path == "/calendar/v3");
  }
  SECTION("no expires_in") {
    auto run = plugin.host.Authorize(config, Always(JsonResponse(200, Json{{"access_token", kGoogleAccessToken}}.dump())));
    REQUIRE(run.authorization);
    CHECK(run.authorization->expires_at.empty());
  }
}

TEST_CASE("google refuses with the token endpoint's verdict") {
  GooglePlugin plugin;
  SECTION("invalid_grant") {
    auto run = plugin.host.Authorize(
        GoogleConfig(),
        Always(JsonResponse(400, R"({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})")));
    REQUIRE(run.refusal);
    CHECK(run.refusal->outcome == Outcome::kInvalidCredentials);
    CHECK(run.refusal->reason == "invalid_grant");
    CHECK(run.refusal->message.find("Token has been expired or revoked.") != std::string::npos);
  }
  SECTION("500 and 429 are transient") {
    for (int status : {500, 429}) {
      auto run = plugin.host.Authorize(GoogleConfig(), Always(JsonResponse(status, "{}")));
      REQUIRE(run.refusal);
      CHECK(run.refusal->outcome == Outcome::kTransient);
    }
  }
  SECTION("a quoted-back client secret is scrubbed") {
    auto run = plugin.host.Authorize(
        GoogleConfig(), Always(JsonResponse(401, Json{{"error", "invalid_client"},
                                                      {"error_description", "Bad secret " + kGoogleClientSecret}}.dump())));
    REQUIRE(run.refusal);
    CHECK(run.refusal->message.find(kGoogleClientSecret) == std::string::npos);
    CHECK(run.refusal->message.find("[redacted]") != std::string::npos);
  }
}

TEST_CASE("google classifies the Calendar API's error bodies of proxied calls") {
  GooglePlugin plugin;
  struct Case { int status; std::string body; ResponseClass kind; std::string reason; };
  const std::vector<Case> cases = {
      {401, kAuthError401, ResponseClass::kInvalidCredentials, "authError"},
      {403, kInsufficientScope403, ResponseClass::kMissingPermission, "insufficientPermissions"},
      {403, UsageLimitBody(403, "userRateLimitExceeded", "User Rate Limit Exceeded"), ResponseClass::kTransient,
       "userRateLimitExceeded"},
      {403, UsageLimitBody(403, "rateLimitExceeded", "Rate Limit Exceeded"), ResponseClass::kTransient,
       "rateLimitExceeded"},
      {429, UsageLimitBody(429, "rateLimitExceeded", "Rate Limit Exceeded"), ResponseClass::kTransient,
       "rateLimitExceeded"},
      {503, kBackendError503, ResponseClass::kTransient, "backendError"},
      {404, R"({"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}})",
       ResponseClass::kFine, "not_found"},
      {400, R"({"error": {"code": 400, "message": "Bad Request", "errors": [{"reason": "badRequest"}]}})",
       ResponseClass::kFine, "http_400"},
  };
  for (const Case& c : cases) {
    INFO(c.status << " " << c.body);
    const Classification got = plugin.host.Classify(GoogleConfig(), HttpRequest{}, JsonResponse(c.status, c.body));
    CHECK(ResponseClassName(got.kind) == std::string(ResponseClassName(c.kind)));
    CHECK(got.reason == c.reason);
    CHECK_FALSE(got.message.empty());
  }
}

}  // namespace
}  // namespace switchboard::testing
