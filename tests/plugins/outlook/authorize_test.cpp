// The Outlook grant: the refresh-token grant, then the Graph access token as a Bearer
// header under graph_base, its expiry, and the rotated refresh token; refusals as the
// probe classifies token errors; Graph's error bodies of proxied calls.
#include <chrono>

#include <catch2/catch.hpp>
#include <switchboard/probe_result.hpp>

#include "sample_config.hpp"

namespace switchboard::testing {
namespace {

FakeHost::Responder Always(HttpResponse response) {
  return [response](const HttpRequest&) { return response; };
}

TEST_CASE("outlook grants the Graph access token, its expiry and the rotated refresh token") {
  OutlookPlugin plugin;
  auto run = plugin.host.Authorize(OutlookConfig(), Always(MsTokenOk()));
  REQUIRE(run.requests.size() == 1);
  CHECK(run.requests[0].method == "POST");
  CHECK(run.requests[0].url == "https://login.microsoftonline.com/" + kTenantId + "/oauth2/v2.0/token");
  CHECK(FormDecode(run.requests[0].body).at("refresh_token") == kMsRefreshToken);
  REQUIRE(run.authorization);
  CHECK(run.authorization->headers == Headers{{"authorization", "Bearer " + kMsAccessToken}});
  CHECK(run.authorization->query.empty());
  REQUIRE(run.authorization->origins.size() == 1);
  CHECK(run.authorization->origins[0].origin == "https://graph.microsoft.com");
  CHECK(run.authorization->origins[0].base_path == "/v1.0");
  CHECK(run.authorization->config_update == Json{{"refresh_token", kMsRotatedToken}});
  // expires_in 3599 from now, to the second.
  const std::string soonest = Rfc3339Utc(std::chrono::system_clock::now() + std::chrono::seconds(3599 - 5));
  const std::string latest = Rfc3339Utc(std::chrono::system_clock::now() + std::chrono::seconds(3599 + 5));
  CHECK(run.authorization->expires_at >= soonest);
  CHECK(run.authorization->expires_at <= latest);
}

TEST_CASE("outlook: an echoed refresh token is no rotation; a custom graph_base gives its origin") {
  OutlookPlugin plugin;
  Json config = OutlookConfig();
  config["graph_base"] = "http://127.0.0.1:7001/graph/v1.0/";
  auto run = plugin.host.Authorize(config, Always(MsTokenOk(kMsRefreshToken)));
  REQUIRE(run.authorization);
  CHECK(run.authorization->config_update.empty());
  CHECK(run.authorization->origins[0].origin == "http://127.0.0.1:7001");
  CHECK(run.authorization->origins[0].base_path == "/graph/v1.0");
}

TEST_CASE("outlook refuses with the token endpoint's verdict, secrets scrubbed") {
  OutlookPlugin plugin;
  SECTION("invalid_grant is invalid_credentials with Microsoft's reason") {
    auto run = plugin.host.Authorize(
        OutlookConfig(),
        Always(JsonResponse(400, TokenError("invalid_grant", 700082, "The refresh token has expired due to inactivity."))));
    REQUIRE(run.refusal);
    CHECK_FALSE(run.authorization);
    CHECK(run.refusal->outcome == Outcome::kInvalidCredentials);
    CHECK(run.refusal->reason == "invalid_grant");
    CHECK(run.refusal->message.find("AADSTS700082") != std::string::npos);
  }
  SECTION("5xx is transient") {
    auto run = plugin.host.Authorize(OutlookConfig(), Always(JsonResponse(503, "{}")));
    REQUIRE(run.refusal);
    CHECK(run.refusal->outcome == Outcome::kTransient);
  }
  SECTION("a quoted-back refresh token is scrubbed") {
    auto run = plugin.host.Authorize(
        OutlookConfig(), Always(JsonResponse(400, TokenError("invalid_grant", 70008, "Token " + kMsRefreshToken + " is revoked."))));
    REQUIRE(run.refusal);
    CHECK(run.refusal->message.find(kMsRefreshToken) == std::string::npos);
    CHECK(run.refusal->message.find("[redacted]") != std::string::npos);
    for (const auto& line : plugin.host.log_lines) CHECK(line.find(kMsRefreshToken) == std::string::npos);
  }
}

TEST_CASE("outlook classifies Graph's error bodies of proxied calls") {
  OutlookPlugin plugin;
  struct Case { int status; std::string body; ResponseClass kind; std::string reason; };
  const std::vector<Case> cases = {
      {401, GraphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
       ResponseClass::kInvalidCredentials, "InvalidAuthenticationToken"},
      {403, GraphError("ErrorAccessDenied", "Access is denied. Check credentials and try again."),
       ResponseClass::kMissingPermission, "ErrorAccessDenied"},
      {403, GraphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
       ResponseClass::kMissingPermission, "Authorization_RequestDenied"},
      {429, GraphError("TooManyRequests", "Too many requests"), ResponseClass::kTransient, "TooManyRequests"},
      {503, GraphError("serviceNotAvailable", "Service unavailable"), ResponseClass::kTransient, "serviceNotAvailable"},
      {504, GraphError("UnknownError", ""), ResponseClass::kTransient, "UnknownError"},
      {404, GraphError("ErrorItemNotFound", "The specified object was not found in the store."),
       ResponseClass::kFine, "not_found"},
      {400, GraphError("BadRequest", "Invalid filter clause"), ResponseClass::kFine, "http_400"},
  };
  for (const Case& c : cases) {
    INFO(c.status << " " << c.body);
    const Classification got = plugin.host.Classify(OutlookConfig(), HttpRequest{}, JsonResponse(c.status, c.body));
    CHECK(ResponseClassName(got.kind) == std::string(ResponseClassName(c.kind)));
    CHECK(got.reason == c.reason);
    CHECK_FALSE(got.message.empty());
  }
}

}  // namespace
}  // namespace switchboard::testing
