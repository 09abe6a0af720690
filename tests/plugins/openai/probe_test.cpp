// The OpenAI probe: the request it asks the host to make, and its verdict on each answer
// OpenAI gives on the wire (bodies from the provider notes, trimmed as OpenAI sends them).
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

#include "sample_config.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;

HttpResponse Answer(int status, std::string body, Headers headers = {}) {
  headers.emplace("content-type", "application/json");
  return HttpResponse{status, std::move(headers), std::move(body)};
}

struct Case {
  const char* name;
  HttpResponse response;
  Outcome outcome;
  std::string reason;
  std::string field;
  std::optional<double> retry_after;
};

std::vector<Case> Cases() {
  return {
      {"200 lists models", Answer(200, kModels), Outcome::kValid, "ok", "", std::nullopt},
      {"401 invalid_api_key", Answer(401, kInvalidKey), Outcome::kInvalidCredentials,
       "invalid_api_key", "api_key", std::nullopt},
      {"401 mismatched_organization", Answer(401, kMismatchedOrganization),
       Outcome::kInvalidCredentials, "mismatched_organization", "organization", std::nullopt},
      {"401 no_organization", Answer(401, kNoOrganization), Outcome::kInvalidCredentials,
       "no_organization", "api_key", std::nullopt},
      {"403 missing scopes", Answer(403, kMissingScopes), Outcome::kMissingPermission, "forbidden",
       "api_key", std::nullopt},
      {"403 unsupported region", Answer(403, kRegion), Outcome::kMissingPermission,
       "unsupported_country_region_territory", "", std::nullopt},
      {"404 wrong base URL", Answer(404, "404 page not found"), Outcome::kInvalidCredentials,
       "not_found", "base_url", std::nullopt},
      {"429 rate limit, retry-after-ms first", Answer(429, kRateLimited, {{"retry-after-ms", "1500"}, {"retry-after", "2"}}),
       Outcome::kTransient, "rate_limit_exceeded", "", 1.5},
      {"429 rate limit, Retry-After before the text", Answer(429, kRateLimited, {{"retry-after", "7"}}),
       Outcome::kTransient, "rate_limit_exceeded", "", 7.0},
      {"429 rate limit, 'try again in 20s' text", Answer(429, kRateLimited), Outcome::kTransient,
       "rate_limit_exceeded", "", 20.0},
      {"429 insufficient_quota is billing, not transient", Answer(429, kQuota),
       Outcome::kMissingPermission, "insufficient_quota", "", std::nullopt},
      {"429 spend limit is billing", Answer(429, kSpendLimit), Outcome::kMissingPermission,
       "organization_spend_limit_exceeded", "", std::nullopt},
      {"500 server_error", Answer(500, kServerError), Outcome::kTransient, "server_error", "",
       std::nullopt},
      {"500 with Retry-After", Answer(500, kServerError, {{"retry-after", "30"}}),
       Outcome::kTransient, "server_error", "", 30.0},
      {"503 overloaded", Answer(503, kOverloaded), Outcome::kTransient, "server_is_overloaded", "",
       std::nullopt},
  };
}

TEST_CASE("openai probe request") {
  PluginLibrary lib("openai");
  FakeHost host(lib.entry());
  auto ok = [](const HttpRequest&) { return Answer(200, kModels); };

  SECTION("key only: bearer auth and no organization or project headers") {
    auto run = host.Probe(OpenAiConfig(), ok);
    REQUIRE(run.requests.size() == 1);
    const HttpRequest& request = run.requests[0];
    CHECK(request.method == "GET");
    CHECK(request.url == "https://api.openai.com/v1/models");
    CHECK(request.headers == Headers{{"authorization", "Bearer " + kOpenAiKey}});
    CHECK(request.body.empty());
  }
  SECTION("organization and project become headers when set") {
    Json config = OpenAiConfig();
    config["organization"] = kOpenAiOrganization;
    config["project"] = kOpenAiProject;
    auto run = host.Probe(config, ok);
    REQUIRE(run.requests.size() == 1);
    CHECK(run.requests[0].headers == Headers{{"authorization", "Bearer " + kOpenAiKey},
                                             {"openai-organization", kOpenAiOrganization},
                                             {"openai-project", kOpenAiProject}});
  }
  SECTION("only the organization") {
    Json config = OpenAiConfig();
    config["organization"] = kOpenAiOrganization;
    auto run = host.Probe(config, ok);
    REQUIRE(run.requests.size() == 1);
    CHECK(run.requests[0].headers.count("openai-organization") == 1);
    CHECK(run.requests[0].headers.count("openai-project") == 0);
  }
  SECTION("base_url override, with or without a trailing slash") {
    for (const char* base : {"http://127.0.0.1:8089/v1", "http://127.0.0.1:8089/v1/"}) {
      INFO(base);
      Json config = OpenAiConfig();
      config["base_url"] = base;
      auto run = host.Probe(config, ok);
      REQUIRE(run.requests.size() == 1);
      CHECK(run.requests[0].url == "http://127.0.0.1:8089/v1/models");
    }
  }
}

TEST_CASE("openai probe outcomes") {
  PluginLibrary lib("openai");
  FakeHost host(lib.entry());
  for (const Case& c : Cases()) {
    INFO(c.name);
    auto run = host.Probe(FullOpenAiConfig(), [&](const HttpRequest&) { return c.response; });
    CHECK(run.requests.size() == 1);
    const ProbeResult& result = run.result;
    CHECK(OutcomeName(result.outcome) == std::string(OutcomeName(c.outcome)));
    CHECK(result.reason == c.reason);
    CHECK(result.field == c.field);
    CHECK_FALSE(result.message.empty());
    CHECK(result.retry_after_seconds.has_value() == c.retry_after.has_value());
    if (c.retry_after && result.retry_after_seconds) {
      CHECK(*result.retry_after_seconds == Approx(*c.retry_after));
    }
    CHECK(result.config_update == Json::object());
    CHECK(result.expires_at.empty());
  }
}

TEST_CASE("openai probe never repeats a secret") {
  PluginLibrary lib("openai");
  FakeHost host(lib.entry());
  for (const Case& c : Cases()) {
    INFO(c.name);
    auto run = host.Probe(FullOpenAiConfig(), [&](const HttpRequest&) { return c.response; });
    const Json result = run.result;
    CHECK_THAT(result.dump(), !Contains(kOpenAiKey));
    CHECK_THAT(result.dump(), !Contains(kOpenAiKey.substr(8, 16)));
  }
  for (const auto& line : host.log_lines) CHECK_THAT(line, !Contains(kOpenAiKey));
}

}  // namespace
}  // namespace switchboard::testing
