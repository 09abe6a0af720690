// The Trello probe: the requests it asks the host to make, and its verdict on each
// answer Trello gives on the wire (401s are plain text; 429s are JSON).
#include <map>
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

HttpResponse JsonAnswer(int status, std::string body, Headers headers = {}) {
  headers.emplace("content-type", "application/json; charset=utf-8");
  return HttpResponse{status, std::move(headers), std::move(body)};
}

bool IsTokenInfo(const HttpRequest& request) {
  return request.url.find("/tokens/") != std::string::npos;
}

// Answers /members/me with `member` and /tokens/{token} with `token_info`.
FakeHost::Responder Trello(HttpResponse member, HttpResponse token_info = JsonAnswer(
                                                    200, R"({"id":"t1","dateExpires":null})")) {
  return [member, token_info](const HttpRequest& request) {
    return IsTokenInfo(request) ? token_info : member;
  };
}

std::string MemberUrl(const std::string& base) {
  return base + "/members/me?fields=id,username&key=" + kTrelloKey + "&token=" + kTrelloToken;
}

std::string TokenInfoUrl(const std::string& base) {
  return base + "/tokens/" + kTrelloToken + "?fields=dateExpires&key=" + kTrelloKey +
         "&token=" + kTrelloToken;
}

TEST_CASE("trello probe requests") {
  PluginLibrary lib("trello");
  FakeHost host(lib.entry());

  SECTION("members/me, then the token's expiry, key and token as query parameters") {
    auto run = host.Probe(TrelloConfig(), Trello(JsonAnswer(200, kMember)));
    REQUIRE(run.requests.size() == 2);
    CHECK(run.requests[0].method == "GET");
    CHECK(run.requests[0].url == MemberUrl("https://api.trello.com/1"));
    CHECK(run.requests[0].headers == Headers{{"accept", "application/json"}});
    CHECK(run.requests[0].body.empty());
    CHECK(run.requests[1].method == "GET");
    CHECK(run.requests[1].url == TokenInfoUrl("https://api.trello.com/1"));
    CHECK(run.requests[1].headers == Headers{{"accept", "application/json"}});
  }
  SECTION("base_url override, with or without a trailing slash") {
    for (const char* base : {"http://127.0.0.1:8089/1", "http://127.0.0.1:8089/1/"}) {
      INFO(base);
      Json config = TrelloConfig();
      config["base_url"] = base;
      auto run = host.Probe(config, Trello(JsonAnswer(200, kMember)));
      REQUIRE(run.requests.size() == 2);
      CHECK(run.requests[0].url == MemberUrl("http://127.0.0.1:8089/1"));
      CHECK(run.requests[1].url == TokenInfoUrl("http://127.0.0.1:8089/1"));
    }
  }
  SECTION("a failed member request ends the probe without asking for the expiry") {
    auto run = host.Probe(TrelloConfig(), Trello(Text(401, "invalid token")));
    CHECK(run.requests.size() == 1);
  }
}

TEST_CASE("trello probe: valid credentials and their expiry") {
  PluginLibrary lib("trello");
  FakeHost host(lib.entry());

  SECTION("a token with an expiry date") {
    auto run = host.Probe(
        TrelloConfig(),
        Trello(JsonAnswer(200, kMember),
               JsonAnswer(200, R"({"id":"t1","dateExpires":"2031-05-01T12:00:00.000Z"})")));
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.reason == "ok");
    CHECK(run.result.field.empty());
    CHECK(run.result.expires_at == "2031-05-01T12:00:00.000Z");
    CHECK_THAT(run.result.message, Contains("bobloblaw"));
    CHECK_FALSE(run.result.retry_after_seconds.has_value());
  }
  SECTION("a token that never expires") {
    auto run = host.Probe(TrelloConfig(), Trello(JsonAnswer(200, kMember)));
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.expires_at.empty());
  }
  SECTION("an expiry with a 300,000-digit fraction is checked in one pass, not by a recursive regex") {
    const std::string fraction(300000, '1');
    auto run = host.Probe(TrelloConfig(),
                          Trello(JsonAnswer(200, kMember),
                                 JsonAnswer(200, R"({"id":"t1","dateExpires":"2031-05-01T12:00:00.)" + fraction + R"(Z"})")));
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.expires_at.size() == 21 + fraction.size());
    auto bad = host.Probe(TrelloConfig(),
                          Trello(JsonAnswer(200, kMember),
                                 JsonAnswer(200, R"({"id":"t1","dateExpires":"2031-05-01T12:00:00.)" + fraction + R"(!"})")));
    CHECK(bad.result.outcome == Outcome::kValid);
    CHECK(bad.result.expires_at.empty());
  }
  SECTION("an expiry Trello cannot tell leaves the verdict valid and the date empty") {
    const std::vector<HttpResponse> unknown = {
        JsonAnswer(200, R"({"id":"t1","dateExpires":"next tuesday"})"),
        JsonAnswer(200, "not json"),
        Text(404, "Cannot GET /1/tokens"),
        JsonAnswer(429, R"({"error":"API_TOKEN_LIMIT_EXCEEDED","message":"Rate limit exceeded"})"),
        Text(500, "Internal Server Error"),
    };
    for (const HttpResponse& answer : unknown) {
      INFO(answer.body);
      auto run = host.Probe(TrelloConfig(), Trello(JsonAnswer(200, kMember), answer));
      CHECK(run.result.outcome == Outcome::kValid);
      CHECK(run.result.expires_at.empty());
      CHECK_FALSE(run.result.retry_after_seconds.has_value());
    }
  }
  SECTION("RFC 3339 spellings Trello may use are kept, others dropped") {
    for (const char* date : {"2031-05-01T12:00:00Z", "2031-05-01T12:00:00.123456789Z",
                             "2031-05-01T12:00:00+02:00", "2031-05-01T12:00:00.5-07:30"}) {
      INFO(date);
      auto run = host.Probe(TrelloConfig(),
                            Trello(JsonAnswer(200, kMember),
                                   JsonAnswer(200, Json{{"id", "t1"}, {"dateExpires", date}}.dump())));
      CHECK(run.result.expires_at == date);
    }
    for (const char* date : {"2031-05-01", "2031-05-01T12:00:00", "2031-05-01T12:00:00.Z",
                             "2031-5-01T12:00:00Z", "2031-05-01T12:00:00+0200", "2031-05-01t12:00:00Z",
                             "2031-05-01T12:00:00Zjunk", "\u0662031-05-01T12:00:00Z"}) {
      INFO(date);
      auto run = host.Probe(TrelloConfig(),
                            Trello(JsonAnswer(200, kMember),
                                   JsonAnswer(200, std::string(R"({"id":"t1","dateExpires":")") + date + "\"}")));
      CHECK(run.result.expires_at.empty());
    }
  }
}

struct Case {
  const char* name;
  HttpResponse response;
  Outcome outcome;
  std::string reason;
  std::string field;
  std::optional<double> retry_after;
};

std::vector<Case> FailureCases() {
  return {
      {"401 invalid key", Text(401, "invalid key"), Outcome::kInvalidCredentials, "invalid_key",
       "api_key", std::nullopt},
      {"401 invalid token", Text(401, "invalid token"), Outcome::kInvalidCredentials,
       "invalid_token", "token", std::nullopt},
      {"401 invalid token with a newline", Text(401, "invalid token\n"),
       Outcome::kInvalidCredentials, "invalid_token", "token", std::nullopt},
      {"401 expired token", Text(401, "expired token"), Outcome::kInvalidCredentials,
       "expired_token", "token", std::nullopt},
      {"401 unauthorized permission requested", Text(401, "unauthorized permission requested"),
       Outcome::kMissingPermission, "unauthorized_permission_requested", "token", std::nullopt},
      {"401 unauthorized member permission requested.",
       Text(401, "unauthorized member permission requested."), Outcome::kMissingPermission,
       "unauthorized_member_permission_requested", "token", std::nullopt},
      {"401 unauthorized organization.", Text(401, "unauthorized organization."),
       Outcome::kMissingPermission, "unauthorized_organization", "token", std::nullopt},
      {"401 unauthorized token", Text(401, "unauthorized token"), Outcome::kMissingPermission,
       "unauthorized_token", "token", std::nullopt},
      {"401 other text", Text(401, "invalid app token"), Outcome::kInvalidCredentials,
       "invalid_app_token", "", std::nullopt},
      {"401 text that quotes the token", Text(401, "invalid token " + kTrelloToken),
       Outcome::kInvalidCredentials, "unauthorized", "", std::nullopt},
      {"404 wrong base URL", Text(404, "Cannot GET /1/members/me"), Outcome::kInvalidCredentials,
       "not_found", "base_url", std::nullopt},
      {"429 token limit", JsonAnswer(429, R"({"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"})"),
       Outcome::kTransient, "api_token_limit_exceeded", "", 10.0},
      {"429 key limit", JsonAnswer(429, R"({"error": "API_KEY_LIMIT_EXCEEDED", "message": "Rate limit exceeded"})"),
       Outcome::kTransient, "api_key_limit_exceeded", "", 10.0},
      {"429 members route", JsonAnswer(429, R"({"message": "Exceeded rate limit to /1/member", "error": "RATE_LIMIT_EXCEEDED"})"),
       Outcome::kTransient, "rate_limit_exceeded", "", 900.0},
      {"429 with a Retry-After", JsonAnswer(429, R"({"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"})",
                                            {{"retry-after", "4"}}),
       Outcome::kTransient, "api_token_limit_exceeded", "", 4.0},
      {"500", Text(500, "Internal Server Error"), Outcome::kTransient, "server_error", "",
       std::nullopt},
      {"503 with a Retry-After", Text(503, "Service Unavailable", {{"retry-after", "60"}}),
       Outcome::kTransient, "server_error", "", 60.0},
  };
}

TEST_CASE("trello probe: failure outcomes") {
  PluginLibrary lib("trello");
  FakeHost host(lib.entry());
  for (const Case& c : FailureCases()) {
    INFO(c.name);
    auto run = host.Probe(TrelloConfig(), Trello(c.response));
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
    CHECK(result.expires_at.empty());
    CHECK(result.config_update == Json::object());
  }
}

TEST_CASE("trello probe never repeats a secret in a result or a log line") {
  PluginLibrary lib("trello");
  FakeHost host(lib.entry());
  std::vector<Case> cases = FailureCases();
  cases.push_back({"valid", JsonAnswer(200, kMember), Outcome::kValid, "ok", "", std::nullopt});
  for (const Case& c : cases) {
    INFO(c.name);
    auto run = host.Probe(TrelloConfig(), Trello(c.response));
    const std::string result = Json(run.result).dump();
    CHECK_THAT(result, !Contains(kTrelloKey) && !Contains(kTrelloToken));
    // Nor a recognisable part of one.
    CHECK_THAT(result, !Contains(kTrelloKey.substr(8, 16)) && !Contains(kTrelloToken.substr(20, 16)));
  }
  CHECK_FALSE(host.log_lines.empty());
  for (const auto& line : host.log_lines) {
    INFO(line);
    CHECK_THAT(line, !Contains(kTrelloKey) && !Contains(kTrelloToken));
    CHECK_THAT(line, !Contains(kTrelloKey.substr(8, 16)) && !Contains(kTrelloToken.substr(20, 16)));
  }
}

}  // namespace
}  // namespace switchboard::testing
