// The Outlook probe: the requests it makes and its verdict on each of Microsoft's
// answers, driven through the real plugin with canned responses.
#include <chrono>
#include <ctime>

#include <catch2/catch.hpp>
#include <switchboard/http_util.hpp>

#include "sample_config.hpp"

namespace switchboard::testing {
namespace {

FakeHost::Responder Answer(HttpResponse token, HttpResponse graph) {
  return [token, graph](const HttpRequest& request) {
    return request.method == "POST" ? token : graph;
  };
}

// Seconds from now until an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SSZ".
double SecondsUntil(const std::string& rfc3339) {
  std::tm utc{};
  REQUIRE(strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc) != nullptr);
  const std::time_t then = timegm(&utc);
  return std::difftime(then, std::time(nullptr));
}

// The bytes on the wire, field order included: the v2.0 grant in the documented order,
// the secret last and only for a confidential client.
TEST_CASE("outlook token request body is byte-for-byte the documented grant") {
  OutlookPlugin plugin;
  auto run = plugin.host.Probe(OutlookConfig(), Answer(MsTokenOk(), JsonResponse(200, kMeOk)));
  REQUIRE_FALSE(run.requests.empty());
  CHECK(run.requests[0].body == FormEncode({{"client_id", kMsClientId},
                                            {"grant_type", "refresh_token"},
                                            {"refresh_token", kMsRefreshToken},
                                            {"scope", kDefaultScopeText},
                                            {"client_secret", kMsClientSecret}}));
  CHECK(run.requests[0].headers ==
        std::map<std::string, std::string>{{"accept", "application/json"},
                                           {"content-type", "application/x-www-form-urlencoded"}});
}

TEST_CASE("outlook probe refreshes, then reads the user from Graph") {
  OutlookPlugin plugin;
  auto run = plugin.host.Probe(OutlookConfig(), Answer(MsTokenOk(), JsonResponse(200, kMeOk)));

  REQUIRE(run.requests.size() == 2);
  const HttpRequest& token = run.requests[0];
  CHECK(token.method == "POST");
  CHECK(token.url == "https://login.microsoftonline.com/" + kTenantId + "/oauth2/v2.0/token");
  CHECK(token.headers.at("content-type") == "application/x-www-form-urlencoded");
  CHECK(token.headers.count("authorization") == 0);
  CHECK(token.body.find("scope=offline_access%20User.Read%20Calendars.Read%20Mail.Read") !=
        std::string::npos);
  CHECK(FormDecode(token.body) == std::map<std::string, std::string>{
                                      {"client_id", kMsClientId},
                                      {"grant_type", "refresh_token"},
                                      {"refresh_token", kMsRefreshToken},
                                      {"scope", kDefaultScopeText},
                                      {"client_secret", kMsClientSecret}});

  const HttpRequest& graph = run.requests[1];
  CHECK(graph.method == "GET");
  CHECK(graph.url == "https://graph.microsoft.com/v1.0/me?$select=id,userPrincipalName");
  CHECK(graph.headers.at("authorization") == "Bearer " + kMsAccessToken);

  CHECK(run.result.outcome == Outcome::kValid);
  CHECK(run.result.reason == "ok");
  CHECK_FALSE(plugin.host.log_lines.empty());
  CheckNoSecrets(run, plugin.host, kMsSecrets);
}

TEST_CASE("outlook probe stores the rotated refresh token and its 90-day limit") {
  OutlookPlugin plugin;
  SECTION("a new token comes back with its expiry") {
    auto run = plugin.host.Probe(OutlookConfig(), Answer(MsTokenOk(), JsonResponse(200, kMeOk)));
    CHECK(run.result.config_update == Json{{"refresh_token", kMsRotatedToken}});
    REQUIRE_FALSE(run.result.expires_at.empty());
    const double ninety_days = 90.0 * 24 * 3600;
    CHECK(SecondsUntil(run.result.expires_at) == Approx(ninety_days).margin(120));
  }
  SECTION("no new token, no update and no expiry") {
    auto run = plugin.host.Probe(OutlookConfig(), Answer(MsTokenOk(""), JsonResponse(200, kMeOk)));
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.config_update.empty());
    CHECK(run.result.expires_at.empty());
  }
  SECTION("the new token is kept even when Graph then refuses") {
    auto run = plugin.host.Probe(
        OutlookConfig(),
        Answer(MsTokenOk(), JsonResponse(403, GraphError("Authorization_RequestDenied",
                                                       "Insufficient privileges to complete the operation."))));
    CHECK(run.result.outcome == Outcome::kMissingPermission);
    CHECK(run.result.config_update == Json{{"refresh_token", kMsRotatedToken}});
    CHECK_FALSE(run.result.expires_at.empty());
  }
}

TEST_CASE("outlook probe of a public client sends no secret") {
  OutlookPlugin plugin;
  Json config = OutlookConfig();
  config.erase("client_secret");
  config["tenant"] = "consumers";
  auto run = plugin.host.Probe(config, Answer(MsTokenOk(), JsonResponse(200, kMeOk)));
  REQUIRE(run.requests.size() == 2);
  CHECK(run.requests[0].url == "https://login.microsoftonline.com/consumers/oauth2/v2.0/token");
  CHECK(FormDecode(run.requests[0].body).count("client_secret") == 0);
  CHECK(run.result.outcome == Outcome::kValid);
}

TEST_CASE("outlook probe uses the configured hosts") {
  OutlookPlugin plugin;
  Json config = OutlookConfig();
  config["authority_host"] = "http://127.0.0.1:9/";
  config["graph_base"] = "http://127.0.0.1:9/graph/v1.0";
  auto run = plugin.host.Probe(config, Answer(MsTokenOk(), JsonResponse(200, kMeOk)));
  REQUIRE(run.requests.size() == 2);
  CHECK(run.requests[0].url == "http://127.0.0.1:9/" + kTenantId + "/oauth2/v2.0/token");
  CHECK(run.requests[1].url == "http://127.0.0.1:9/graph/v1.0/me?$select=id,userPrincipalName");
}

// Found by fuzz_probe_reply_outlook: the 200-byte excerpt of a provider's text was cut
// inside a multi-byte character (a U+FFFD the host put in place of a Latin-1 byte, or any
// localized message), so the plugin could not serialize its verdict: plugin_error.
TEST_CASE("outlook probe quotes non-ASCII provider text whole") {
  OutlookPlugin plugin;
  std::string text;
  for (int i = 0; i < 150; ++i) text += "\u00e9";
  for (int split : {0, 1, 2}) {
    auto run = plugin.host.Probe(OutlookConfig(), [&](const HttpRequest&) {
      return JsonResponse(503, R"({"error": "temporarily_unavailable", "error_description": "AADSTS50033:)" +
                                   std::string(split, ' ') + text + R"("})");
    });
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK_NOTHROW(Json(run.result).dump());
  }
}

TEST_CASE("outlook probe classifies token endpoint refusals") {
  OutlookPlugin plugin;
  struct Case {
    HttpResponse response;
    Outcome outcome;
    std::string reason;
    std::string field;
    std::string mentions;  // the AADSTS code the message must name
  };
  const std::vector<Case> cases = {
      {JsonResponse(400, TokenError("invalid_grant", 700082,
                                    "The refresh token has expired due to inactivity. The token "
                                    "was issued on 2019-01-28T08:58:16.7135740Z and was inactive "
                                    "for 90.00:00:00.")),
       Outcome::kInvalidCredentials, "invalid_grant", "refresh_token", "AADSTS700082"},
      {JsonResponse(400, TokenError("invalid_grant", 50173, "The provided grant has expired due to it being revoked.")),
       Outcome::kInvalidCredentials, "invalid_grant", "refresh_token", "AADSTS50173"},
      {JsonResponse(400, TokenError("interaction_required", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.")),
       Outcome::kInvalidCredentials, "interaction_required", "refresh_token", "AADSTS50076"},
      {JsonResponse(400, TokenError("invalid_grant", 65001, "The user or administrator has not consented to use the application.")),
       Outcome::kInvalidCredentials, "invalid_grant", "refresh_token", "AADSTS65001"},
      {JsonResponse(401, TokenError("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '6731de76-14a6-49ae-97bc-6eba6914391e'.")),
       Outcome::kInvalidCredentials, "invalid_client", "client_secret", "AADSTS7000215"},
      {JsonResponse(401, TokenError("invalid_client", 7000222, "The provided client secret keys for app '6731de76-14a6-49ae-97bc-6eba6914391e' are expired.")),
       Outcome::kInvalidCredentials, "invalid_client", "client_secret", "AADSTS7000222"},
      {JsonResponse(400, TokenError("unauthorized_client", 700016, "Application with identifier '6731de76-14a6-49ae-97bc-6eba6914391e' was not found in the directory 'contoso'.")),
       Outcome::kInvalidCredentials, "unauthorized_client", "client_id", "AADSTS700016"},
      {JsonResponse(400, TokenError("invalid_request", 90002, "Tenant 'contoso.example' not found.")),
       Outcome::kInvalidCredentials, "invalid_request", "tenant", "AADSTS90002"},
      {JsonResponse(400, TokenError("invalid_request", 50194, "Application is not configured as a multi-tenant application.")),
       Outcome::kInvalidCredentials, "invalid_request", "tenant", "AADSTS50194"},
      {JsonResponse(400, TokenError("invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")),
       Outcome::kInvalidCredentials, "invalid_request", "", "AADSTS900144"},
      {JsonResponse(400, TokenError("invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid.")),
       Outcome::kInvalidCredentials, "invalid_scope", "scopes", "AADSTS70011"},
      {JsonResponse(503, TokenError("temporarily_unavailable", 50033, "There was an error while processing the request.")),
       Outcome::kTransient, "temporarily_unavailable", "", "AADSTS50033"},
      {JsonResponse(400, TokenError("invalid_request", 90055, "The request was throttled.")),
       Outcome::kTransient, "invalid_request", "", "AADSTS90055"},
      {HttpResponse{500, {{"content-type", "text/html"}}, "<html>Server Error</html>"},
       Outcome::kTransient, "server_error", "", "HTTP 500"},
  };
  for (const auto& c : cases) {
    INFO(c.response.status << " " << c.response.body);
    auto run = plugin.host.Probe(OutlookConfig(), Answer(c.response, JsonResponse(200, kMeOk)));
    CHECK(run.requests.size() == 1);
    CHECK(run.result.outcome == c.outcome);
    CHECK(run.result.reason == c.reason);
    CHECK(run.result.field == c.field);
    CHECK(run.result.message.find(c.mentions) != std::string::npos);
    CHECK(run.result.message.find("Trace ID") == std::string::npos);
    CHECK(run.result.config_update.empty());
    CHECK(run.result.expires_at.empty());
    CheckNoSecrets(run, plugin.host, kMsSecrets);
  }
}

TEST_CASE("outlook probe passes Retry-After of a throttled token endpoint") {
  OutlookPlugin plugin;
  auto run = plugin.host.Probe(
      OutlookConfig(),
      Answer(JsonResponse(429, TokenError("temporarily_unavailable", 90024, "Request budget exceeded."),
                          {{"retry-after", "12"}}),
             JsonResponse(200, kMeOk)));
  CHECK(run.result.outcome == Outcome::kTransient);
  REQUIRE(run.result.retry_after_seconds.has_value());
  CHECK(*run.result.retry_after_seconds == Approx(12));
}

TEST_CASE("outlook probe spots a token without mail or calendar permission") {
  OutlookPlugin plugin;
  auto run = plugin.host.Probe(OutlookConfig(),
                               Answer(MsTokenOk(kMsRotatedToken, "User.Read profile openid email"),
                                      JsonResponse(200, kMeOk)));
  CHECK(run.requests.size() == 1);
  CHECK(run.result.outcome == Outcome::kMissingPermission);
  CHECK(run.result.reason == "insufficient_scope");
  CHECK(run.result.field == "scopes");
  CHECK(run.result.config_update == Json{{"refresh_token", kMsRotatedToken}});
}

TEST_CASE("outlook probe accepts URL-form scopes in the token response") {
  OutlookPlugin plugin;
  auto run = plugin.host.Probe(
      OutlookConfig(),
      Answer(MsTokenOk(kMsRotatedToken,
                     "https://graph.microsoft.com/User.Read https://graph.microsoft.com/Mail.Read"),
             JsonResponse(200, kMeOk)));
  CHECK(run.result.outcome == Outcome::kValid);
}

TEST_CASE("outlook probe classifies Graph answers") {
  OutlookPlugin plugin;
  SECTION("403 ErrorAccessDenied is missing permission") {
    auto run = plugin.host.Probe(
        OutlookConfig(), Answer(MsTokenOk(), JsonResponse(403, GraphError("ErrorAccessDenied",
                                                                        "Access is denied. Check credentials and try again."))));
    CHECK(run.result.outcome == Outcome::kMissingPermission);
    CHECK(run.result.reason == "ErrorAccessDenied");
    CHECK(run.result.field == "scopes");
    CheckNoSecrets(run, plugin.host, kMsSecrets);
  }
  SECTION("429 with Retry-After is transient with the hint") {
    auto run = plugin.host.Probe(
        OutlookConfig(),
        Answer(MsTokenOk(), JsonResponse(429, GraphError("TooManyRequests", "Too many requests from Identifier:87d349ed under category:throttle."),
                                       {{"retry-after", "7"}})));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "TooManyRequests");
    REQUIRE(run.result.retry_after_seconds.has_value());
    CHECK(*run.result.retry_after_seconds == Approx(7));
  }
  SECTION("503 and 504 are transient") {
    auto run = plugin.host.Probe(
        OutlookConfig(), Answer(MsTokenOk(), JsonResponse(503, GraphError("serviceNotAvailable", "Service unavailable"))));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "serviceNotAvailable");
    auto gateway = plugin.host.Probe(
        OutlookConfig(), Answer(MsTokenOk(), JsonResponse(504, GraphError("UnknownError", ""))));
    CHECK(gateway.result.outcome == Outcome::kTransient);
    CHECK(gateway.result.reason == "UnknownError");
  }
}

TEST_CASE("outlook probe retries a Graph 401 once with a fresh token") {
  OutlookPlugin plugin;
  const HttpResponse expired = JsonResponse(
      401, GraphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
      {{"www-authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\""}});
  SECTION("a second 401 means invalid credentials") {
    auto run = plugin.host.Probe(OutlookConfig(), Answer(MsTokenOk(), expired));
    REQUIRE(run.requests.size() == 4);
    CHECK(run.requests[2].method == "POST");
    CHECK(FormDecode(run.requests[2].body).at("refresh_token") == kMsRotatedToken);
    CHECK(run.result.outcome == Outcome::kInvalidCredentials);
    CHECK(run.result.reason == "InvalidAuthenticationToken");
    CHECK(run.result.field == "refresh_token");
    CheckNoSecrets(run, plugin.host, kMsSecrets);
  }
  SECTION("a fresh token that works means valid, and the newest refresh token is stored") {
    const std::string second_rotation = kMsRotatedToken + "-second";
    int calls = 0;
    auto run = plugin.host.Probe(OutlookConfig(), [&](const HttpRequest&) {
      ++calls;
      if (calls == 1) return MsTokenOk();
      if (calls == 2) return expired;
      if (calls == 3) return MsTokenOk(second_rotation);
      return JsonResponse(200, kMeOk);
    });
    REQUIRE(run.requests.size() == 4);
    CHECK(run.requests[3].headers.at("authorization") == "Bearer " + kMsAccessToken);
    CHECK(run.result.outcome == Outcome::kValid);
    CHECK(run.result.config_update == Json{{"refresh_token", second_rotation}});
  }
}

TEST_CASE("outlook probe scrubs credentials a provider echoes back") {
  OutlookPlugin plugin;
  auto run = plugin.host.Probe(
      OutlookConfig(),
      Answer(JsonResponse(401, TokenError("invalid_client", 7000215,
                                          "Invalid client secret provided: " + kMsClientSecret +
                                              " with " + kMsRefreshToken)),
             JsonResponse(200, kMeOk)));
  CHECK(run.result.outcome == Outcome::kInvalidCredentials);
  CHECK(run.result.message.find("AADSTS7000215") != std::string::npos);
  CheckNoSecrets(run, plugin.host, kMsSecrets);
}

}  // namespace
}  // namespace switchboard::testing
