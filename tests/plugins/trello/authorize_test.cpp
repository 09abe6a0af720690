// The Trello grant (key and token as query parameters, origin from base_url) and its
// reading of Trello's plain-text and JSON error answers in proxied traffic.
#include <catch2/catch.hpp>

#include "sample_config.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

HttpResponse NoRequest(const HttpRequest&) { FAIL("a key and token need no request"); return {}; }

TEST_CASE("trello grants key and token as query parameters under the base URL") {
  PluginLibrary library("trello");
  FakeHost host(library.entry());
  SECTION("default base URL") {
    auto run = host.Authorize(TrelloConfig(), NoRequest);
    REQUIRE(run.authorization);
    CHECK(run.authorization->headers.empty());
    CHECK(run.authorization->query == std::map<std::string, std::string>{{"key", kTrelloKey}, {"token", kTrelloToken}});
    REQUIRE(run.authorization->origins.size() == 1);
    CHECK(run.authorization->origins[0].origin == "https://api.trello.com");
    CHECK(run.authorization->origins[0].base_path == "/1");
    CHECK(run.authorization->expires_at.empty());
  }
  SECTION("custom base URL") {
    Json config = TrelloConfig();
    config["base_url"] = "http://[::1]:9090/fake/1";
    auto run = host.Authorize(config, NoRequest);
    REQUIRE(run.authorization);
    CHECK(run.authorization->origins[0].origin == "http://[::1]:9090");
    CHECK(run.authorization->origins[0].base_path == "/fake/1");
  }
}

TEST_CASE("trello classifies Trello's error answers of proxied calls") {
  PluginLibrary library("trello");
  FakeHost host(library.entry());
  struct Case { HttpResponse response; ResponseClass kind; std::string reason; };
  const std::vector<Case> cases = {
      {Text(401, "invalid key"), ResponseClass::kInvalidCredentials, "invalid_key"},
      {Text(401, "invalid token"), ResponseClass::kInvalidCredentials, "invalid_token"},
      {Text(401, "expired token\n"), ResponseClass::kInvalidCredentials, "expired_token"},
      {Text(401, "unauthorized permission requested"), ResponseClass::kMissingPermission,
       "unauthorized_permission_requested"},
      {Text(401, "unauthorized member permission requested."), ResponseClass::kMissingPermission,
       "unauthorized_member_permission_requested"},
      {JsonResponse(429, R"({"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"})"),
       ResponseClass::kTransient, "api_token_limit_exceeded"},
      {JsonResponse(429, R"({"error": "API_KEY_LIMIT_EXCEEDED", "message": "Rate limit exceeded"})"),
       ResponseClass::kTransient, "api_key_limit_exceeded"},
      {JsonResponse(429, R"({"message": "Exceeded rate limit to /1/member", "error": "RATE_LIMIT_EXCEEDED"})"),
       ResponseClass::kTransient, "rate_limit_exceeded"},
      {Text(502, "Bad gateway"), ResponseClass::kTransient, "server_error"},
      {Text(404, "The requested resource was not found."), ResponseClass::kFine, "not_found"},
      {Text(400, "invalid id"), ResponseClass::kFine, "http_400"},
  };
  for (const Case& c : cases) {
    INFO(c.response.status << " " << c.response.body);
    const Classification got = host.Classify(TrelloConfig(), HttpRequest{}, c.response);
    CHECK(ResponseClassName(got.kind) == std::string(ResponseClassName(c.kind)));
    CHECK(got.reason == c.reason);
    CHECK(got.message.find(kTrelloToken) == std::string::npos);
    CHECK(got.message.find(kTrelloKey) == std::string::npos);
  }
}

TEST_CASE("trello never copies a quoted-back token into a classification") {
  PluginLibrary library("trello");
  FakeHost host(library.entry());
  const Classification got = host.Classify(TrelloConfig(), HttpRequest{}, Text(401, "invalid token " + kTrelloToken));
  CHECK(got.kind == ResponseClass::kInvalidCredentials);
  CHECK(got.reason.find(kTrelloToken) == std::string::npos);
  CHECK(got.message.find(kTrelloToken) == std::string::npos);
}

}  // namespace
}  // namespace switchboard::testing
