// The OpenAI grant (Bearer key, org/project headers, origin from base_url) and its
// reading of OpenAI's error bodies in proxied traffic.
#include <catch2/catch.hpp>

#include "sample_config.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

HttpResponse NoRequest(const HttpRequest&) { FAIL("an API key needs no request"); return {}; }

TEST_CASE("openai grants the Bearer key for the default base URL, no expiry") {
  PluginLibrary library("openai");
  FakeHost host(library.entry());
  auto run = host.Authorize(OpenAiConfig(), NoRequest);
  REQUIRE(run.authorization);
  CHECK(run.requests.empty());
  CHECK(run.authorization->headers == Headers{{"authorization", "Bearer " + kOpenAiKey}});
  CHECK(run.authorization->query.empty());
  REQUIRE(run.authorization->origins.size() == 1);
  CHECK(run.authorization->origins[0].origin == "https://api.openai.com");
  CHECK(run.authorization->origins[0].base_path == "/v1");
  CHECK(run.authorization->expires_at.empty());
  CHECK(run.authorization->config_update.empty());
}

TEST_CASE("openai grants org and project headers and a custom base URL's origin") {
  PluginLibrary library("openai");
  FakeHost host(library.entry());
  Json config = FullOpenAiConfig();
  config["base_url"] = "http://127.0.0.1:8089/compat/v1/";
  auto run = host.Authorize(config, NoRequest);
  REQUIRE(run.authorization);
  CHECK(run.authorization->headers == Headers{{"authorization", "Bearer " + kOpenAiKey},
                                              {"openai-organization", kOpenAiOrganization},
                                              {"openai-project", kOpenAiProject}});
  REQUIRE(run.authorization->origins.size() == 1);
  CHECK(run.authorization->origins[0].origin == "http://127.0.0.1:8089");
  CHECK(run.authorization->origins[0].base_path == "/compat/v1");
}

TEST_CASE("openai refuses to grant toward a plain-http remote base URL") {
  PluginLibrary library("openai");
  FakeHost host(library.entry());
  Json config = OpenAiConfig();
  config["base_url"] = "http://api.example.com/v1";
  CHECK_THROWS_WITH(host.Authorize(config, NoRequest), Catch::Contains("invalid_base_url"));
}

TEST_CASE("openai classifies OpenAI's error bodies of proxied calls") {
  PluginLibrary library("openai");
  FakeHost host(library.entry());
  const HttpRequest request{"POST", "https://api.openai.com/v1/chat/completions", {}, "{}"};
  auto classify = [&](int status, const std::string& body) {
    return host.Classify(FullOpenAiConfig(), request, JsonResponse(status, body));
  };
  struct Case { int status; std::string body; ResponseClass kind; std::string reason; };
  const std::vector<Case> cases = {
      {401, kInvalidKey, ResponseClass::kInvalidCredentials, "invalid_api_key"},
      {401, kMismatchedOrganization, ResponseClass::kInvalidCredentials, "mismatched_organization"},
      {401, kNoOrganization, ResponseClass::kInvalidCredentials, "no_organization"},
      {403, kRegion, ResponseClass::kMissingPermission, "unsupported_country_region_territory"},
      {403, kMissingScopes, ResponseClass::kMissingPermission, "forbidden"},
      {429, kRateLimited, ResponseClass::kTransient, "rate_limit_exceeded"},
      {429, kQuota, ResponseClass::kTransient, "insufficient_quota"},
      {500, kServerError, ResponseClass::kTransient, "server_error"},
      {503, kOverloaded, ResponseClass::kTransient, "server_is_overloaded"},
      {400, ErrorBody("The model `gpt-9` does not exist", "invalid_request_error", "model_not_found"),
       ResponseClass::kFine, "model_not_found"},
      {404, ErrorBody("Unknown route", "invalid_request_error", nullptr), ResponseClass::kFine, "http_404"},
  };
  for (const Case& c : cases) {
    INFO(c.status << " " << c.body);
    const Classification got = classify(c.status, c.body);
    CHECK(ResponseClassName(got.kind) == std::string(ResponseClassName(c.kind)));
    CHECK(got.reason == c.reason);
    CHECK_FALSE(got.message.empty());
  }
}

TEST_CASE("openai scrubs a key OpenAI quotes back from a classification") {
  PluginLibrary library("openai");
  FakeHost host(library.entry());
  const std::string body = ErrorBody("Key " + kOpenAiKey + " may not do this.", nullptr, kOpenAiKey);
  for (int status : {403, 400}) {
    const Classification got = host.Classify(OpenAiConfig(), HttpRequest{}, JsonResponse(status, body));
    CHECK(got.message.find(kOpenAiKey) == std::string::npos);
    CHECK(got.reason.find(kOpenAiKey) == std::string::npos);
    CHECK(got.message.find("[redacted]") != std::string::npos);
  }
}

}  // namespace
}  // namespace switchboard::testing
