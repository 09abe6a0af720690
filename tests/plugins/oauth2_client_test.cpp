// The SDK's OAuth 2.0 client pieces (oauth2_client.hpp) and the OAuth2Provider base, as a
// plugin author relies on them: the Google Calendar and Outlook plugins are built on
// exactly these, and a later authorization step will reuse the request and readers.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <switchboard/origin_util.hpp>
#include <switchboard/oauth2_client.hpp>
#include <switchboard/oauth2_probe.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/testing.hpp>

namespace switchboard {
namespace {

using Json = nlohmann::json;

TEST_CASE("ClientConfig reads the four OAuth client fields; no scope gives the default") {
  const Json json = {{"client_id", "cid"},
                     {"client_secret", "csecret"},
                     {"refresh_token", "rtoken"},
                     {"scopes", {"a", "", 7, "b"}},
                     {"token_uri", "https://t.example/token"}};
  const oauth::ClientConfig config = oauth::ClientConfig::From(json, {"default"});
  CHECK(config.client_id == "cid");
  CHECK(config.client_secret == "csecret");
  CHECK(config.refresh_token == "rtoken");
  CHECK(config.scopes == std::vector<std::string>{"a", "b"});
  CHECK(config.Secrets() == std::vector<std::string>{"csecret", "rtoken"});

  for (const Json& no_scopes : {Json::object(), Json{{"scopes", Json::array()}},
                                Json{{"scopes", {""}}}, Json{{"scopes", "a b"}}}) {
    INFO(no_scopes.dump());
    CHECK(oauth::ClientConfig::From(no_scopes, {"x", "y"}).scopes ==
          std::vector<std::string>{"x", "y"});
  }
  // A public client has no secret; mistyped fields read as absent, never throw.
  const oauth::ClientConfig odd =
      oauth::ClientConfig::From({{"client_id", 12}, {"refresh_token", nullptr}}, {});
  CHECK(odd.client_id.empty());
  CHECK(odd.client_secret.empty());
  CHECK(odd.refresh_token.empty());
  CHECK(odd.scopes.empty());
  CHECK(oauth::ClientConfig::From(Json::array(), {"d"}).scopes == std::vector<std::string>{"d"});
}

TEST_CASE("ParseTokenResponse reads RFC 6749 5.1 fields and ignores mistyped ones") {
  const oauth::TokenResponse token = oauth::ParseTokenResponse(
      R"({"access_token":"at","token_type":"Bearer","expires_in":3599,)"
      R"("refresh_token":"rt2","scope":"openid Mail.Read"})");
  CHECK(token.access_token == "at");
  CHECK(token.refresh_token == "rt2");
  CHECK(token.scope == "openid Mail.Read");
  REQUIRE(token.expires_in.has_value());
  CHECK(*token.expires_in == 3599);

  for (const std::string body :
       {"", "<html>", "[]", "null", R"({"access_token":5,"expires_in":"3600"})",
        R"({"expires_in":1.5})", R"({"expires_in":18446744073709551615})"}) {
    INFO(body);
    const oauth::TokenResponse odd = oauth::ParseTokenResponse(body);
    CHECK(odd.access_token.empty());
    CHECK(odd.refresh_token.empty());
    CHECK(odd.scope.empty());
    CHECK_FALSE(odd.expires_in.has_value());
  }
  CHECK(oauth::ParseTokenResponse(R"({"expires_in":-1})").expires_in == -1);
}

TEST_CASE("ParseTokenError reads RFC 6749 5.2 bodies; Quote cuts and scrubs the description") {
  const HttpResponse response{
      400, {}, R"({"error":"invalid_grant","error_description":"Token rtoken-1 expired.\r\nTrace: 9",)"
               R"("error_codes":[70008]})"};
  const oauth::TokenError error = oauth::ParseTokenError(response);
  CHECK(error.status == 400);
  CHECK(error.error == "invalid_grant");
  CHECK(error.description == "Token rtoken-1 expired.\r\nTrace: 9");
  CHECK(error.body.at("error_codes") == Json{70008});
  CHECK(error.Quote({"rtoken-1"}, "HTTP 400") == "Token [redacted] expired.");

  const oauth::TokenError html = oauth::ParseTokenError({502, {}, "<html>bad gateway</html>"});
  CHECK(html.status == 502);
  CHECK(html.error.empty());
  CHECK(html.description.empty());
  CHECK(html.body == Json::object());
  CHECK(html.Quote({}, StatusText(502)) == "HTTP 502");
  CHECK(oauth::ParseTokenError({400, {}, std::string(300, 'x')}).Quote({}, "") == "");
  const std::string long_text(300, 'd');
  CHECK(oauth::ParseTokenError({400, {}, Json{{"error_description", long_text}}.dump()})
            .Quote({}, "")
            .size() == 203);
}

TEST_CASE("TokenRefused is invalid_credentials with the provider's error, or token_error") {
  const ProbeResult named =
      oauth::TokenRefused(oauth::ParseTokenError({400, {}, R"({"error":"odd_error"})"}), "Acme",
                          "it said no");
  CHECK(named.outcome == Outcome::kInvalidCredentials);
  CHECK(named.reason == "odd_error");
  CHECK(named.message == "Acme refused to refresh the access token (it said no).");
  CHECK(named.field.empty());
  CHECK(oauth::TokenRefused(oauth::ParseTokenError({400, {}, "{}"}), "Acme", "x").reason ==
        "token_error");
}

TEST_CASE("RejectedFreshToken blames the grant: invalid_credentials at refresh_token") {
  const ProbeResult result = oauth::RejectedFreshToken("authError", "Acme API", "Bad token");
  CHECK(result.outcome == Outcome::kInvalidCredentials);
  CHECK(result.reason == "authError");
  CHECK(result.field == "refresh_token");
  CHECK(result.message ==
        "Acme API rejected a freshly issued access token twice (Bad token); reconnect the account.");
}

TEST_CASE("StatusText, NotFoundAtBaseUrl and UnexpectedStatus word the verdicts plugins share") {
  CHECK(StatusText(503) == "HTTP 503");
  CHECK(StatusText(0) == "HTTP 0");

  const ProbeResult missing = NotFoundAtBaseUrl("Acme API", "base_url");
  CHECK(missing.outcome == Outcome::kInvalidCredentials);
  CHECK(missing.reason == "not_found");
  CHECK(missing.field == "base_url");
  CHECK(missing.message == "No Acme API at this base URL: check it.");

  const ProbeResult odd = UnexpectedStatus("Acme", 418);
  CHECK(odd.outcome == Outcome::kTransient);
  CHECK(odd.reason == "unexpected_status");
  CHECK(odd.message == "Unexpected answer from Acme: HTTP 418.");
  CHECK_FALSE(odd.retry_after_seconds.has_value());
  CHECK(UnexpectedStatus("Acme", 418, 30.0).retry_after_seconds == 30.0);
}

// A minimal OAuth2Probe behind the OAuth2Provider base, driven through the real C table.
class TinyProbe final : public oauth::OAuth2Probe {
 public:
  explicit TinyProbe(oauth::ClientConfig config) : config_(std::move(config)) {}

 private:
  std::string ConfiguredRefreshToken() const override { return config_.refresh_token; }
  std::vector<std::string> Secrets() const override { return config_.Secrets(); }
  std::string TokenIssuer() const override { return "Tiny"; }
  HttpRequest TokenRequest(const std::string& refresh_token) const override {
    return oauth::TokenRequestTo("http://127.0.0.1:9/token",
                                 {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}});
  }
  HttpRequest ApiRequest(const std::string& access_token) const override {
    return oauth::BearerGet("http://127.0.0.1:9/me", access_token);
  }
  std::vector<AuthorizedOrigin> ApiOrigins() const override { return {GrantOriginOf("https://API.tiny.test:443/v2/", "api")}; }
  ProbeResult ApiAccepted(const HttpResponse&) const override { return Valid("Fine."); }
  ProbeResult ClassifyTokenError(const HttpResponse& response,
                                 const std::vector<std::string>& secrets) const override {
    const oauth::TokenError error = oauth::ParseTokenError(response);
    return oauth::TokenRefused(error, "Tiny", error.Quote(secrets, StatusText(response.status)));
  }
  ProbeResult ClassifyApiError(const HttpResponse& response,
                               const std::vector<std::string>&) const override {
    if (response.status == 401) return Invalid("bad_token", "Refused.");
    if (response.status == 403) return MissingPermission("no_scope", "Refused.");
    if (response.status >= 500) return Transient("api", "API failed.");
    return UnexpectedStatus("Tiny", response.status);
  }

  oauth::ClientConfig config_;
};

std::unique_ptr<oauth::OAuth2Probe> MakeTinyProbe(const Json& config) {
  return std::make_unique<TinyProbe>(oauth::ClientConfig::From(config, {}));
}

class TinyProvider final : public oauth::OAuth2Provider {
 public:
  TinyProvider() : OAuth2Provider("tiny", MakeTinyProbe) {}
  Manifest Describe() const override {
    return {"tiny", "Tiny", "1.0.0", "A test provider.", "", Json{{"type", "object"}}};
  }
};

TEST_CASE("OAuth2Provider runs its factory's probe and logs each verdict's summary only") {
  testing::FakeHost host(&RegisterProvider<TinyProvider>);
  const Json config = {{"refresh_token", "rtoken-secret"}};

  auto valid = host.Probe(config, [](const HttpRequest& request) {
    if (request.method == "POST") {
      CHECK(request.body == "grant_type=refresh_token&refresh_token=rtoken-secret");
      return HttpResponse{200, {}, R"({"access_token":"at-1","refresh_token":"rtoken-new"})"};
    }
    CHECK(request.headers.at("authorization") == "Bearer at-1");
    return HttpResponse{200, {}, "{}"};
  });
  CHECK(valid.result.outcome == Outcome::kValid);
  CHECK(valid.requests.size() == 2);
  CHECK(valid.result.config_update.at("refresh_token") == "rtoken-new");

  auto refused = host.Probe(config, [](const HttpRequest&) {
    return HttpResponse{400, {}, R"({"error":"invalid_grant","error_description":"rtoken-secret is dead"})"};
  });
  CHECK(refused.result.outcome == Outcome::kInvalidCredentials);
  CHECK(refused.result.message == "Tiny refused to refresh the access token ([redacted] is dead).");

  CHECK(host.log_lines ==
        std::vector<std::string>{"tiny probe: valid (ok)", "tiny probe: invalid_credentials (invalid_grant)"});
}

TEST_CASE("OAuth2Probe's authorize machine grants the Bearer token, its expiry and a real rotation only") {
  testing::FakeHost host(&RegisterProvider<TinyProvider>);
  const Json config = {{"refresh_token", "rtoken-secret"}};
  auto answer = [](std::string body) {
    return [body](const HttpRequest& request) {
      CHECK(request.body == "grant_type=refresh_token&refresh_token=rtoken-secret");
      return HttpResponse{200, {}, body};
    };
  };
  auto rotated = host.Authorize(config, answer(R"({"access_token":"at-1","refresh_token":"rtoken-new","expires_in":60})"));
  REQUIRE(rotated.authorization);
  CHECK(rotated.requests.size() == 1);
  CHECK(rotated.authorization->headers == Headers{{"authorization", "Bearer at-1"}});
  REQUIRE(rotated.authorization->origins.size() == 1);
  CHECK(rotated.authorization->origins[0].origin == "https://api.tiny.test");
  CHECK(rotated.authorization->origins[0].base_path == "/v2");
  CHECK(rotated.authorization->config_update == Json{{"refresh_token", "rtoken-new"}});
  CHECK(rotated.authorization->expires_at > Rfc3339Utc(std::chrono::system_clock::now() + std::chrono::seconds(50)));
  CHECK(rotated.authorization->expires_at < Rfc3339Utc(std::chrono::system_clock::now() + std::chrono::seconds(70)));

  auto echoed = host.Authorize(config, answer(R"({"access_token":"at-1","refresh_token":"rtoken-secret"})"));
  REQUIRE(echoed.authorization);
  CHECK(echoed.authorization->config_update.empty());
  CHECK(echoed.authorization->expires_at.empty());

  auto empty = host.Authorize(config, answer(R"({"token_type":"Bearer"})"));
  REQUIRE(empty.refusal);
  CHECK(empty.refusal->outcome == Outcome::kTransient);
  CHECK(empty.refusal->reason == "malformed_token_response");
}

TEST_CASE("OAuth2Probe's authorize machine refuses token errors as the probe does, scrubbed") {
  testing::FakeHost host(&RegisterProvider<TinyProvider>);
  const Json config = {{"refresh_token", "rtoken-secret"}};
  auto refused = host.Authorize(config, [](const HttpRequest&) {
    return HttpResponse{400, {}, R"({"error":"invalid_grant","error_description":"rtoken-secret is dead"})"};
  });
  REQUIRE(refused.refusal);
  CHECK(refused.refusal->outcome == Outcome::kInvalidCredentials);
  CHECK(refused.refusal->reason == "invalid_grant");
  CHECK(refused.refusal->message == "Tiny refused to refresh the access token ([redacted] is dead).");
  CHECK(host.log_lines.back() == "tiny authorize: invalid_credentials (invalid_grant)");
}

TEST_CASE("OAuth2Probe's ClassifyUse maps API verdicts; 404 and unknown statuses are fine") {
  testing::FakeHost host(&RegisterProvider<TinyProvider>);
  const Json config = {{"refresh_token", "rtoken-secret"}};
  auto kind = [&](int status) { return host.Classify(config, HttpRequest{}, HttpResponse{status, {}, "{}"}).kind; };
  CHECK(kind(200) == ResponseClass::kFine);
  CHECK(kind(401) == ResponseClass::kInvalidCredentials);
  CHECK(kind(403) == ResponseClass::kMissingPermission);
  CHECK(kind(404) == ResponseClass::kFine);
  CHECK(kind(400) == ResponseClass::kFine);
  CHECK(kind(503) == ResponseClass::kTransient);
}

TEST_CASE("OriginOfBaseUrl gives RFC 6454 origins and paths without trailing slashes") {
  auto origin = [](const std::string& url) { return OriginOfBaseUrl(url); };
  REQUIRE(origin("https://API.OpenAI.com:443/v1/"));
  CHECK(origin("https://API.OpenAI.com:443/v1/")->origin == "https://api.openai.com");
  CHECK(origin("https://API.OpenAI.com:443/v1/")->base_path == "/v1");
  CHECK(origin("http://127.0.0.1:08443")->origin == "http://127.0.0.1:8443");
  CHECK(origin("http://127.0.0.1:08443")->base_path.empty());
  CHECK(origin("http://localhost:80/a/b//?x=1#f")->origin == "http://localhost");
  CHECK(origin("http://localhost:80/a/b//?x=1#f")->base_path == "/a/b");
  CHECK(origin("http://[::1]:9000/x")->origin == "http://[::1]:9000");
  for (const char* bad : {"ftp://x", "https://", "https://u:p@host/v1", "https://host:0", "https://host:70000",
                          "https://host:12a", "api.openai.com/v1", "https://ho st/"}) {
    INFO(bad);
    CHECK_FALSE(origin(bad));
  }
  CHECK_THROWS_AS(GrantOriginOf("http://api.example.com/v1", "base_url"), PluginError);
  CHECK(GrantOriginOf("https://api.example.com/v1", "base_url").origin == "https://api.example.com");
}

}  // namespace
}  // namespace switchboard
