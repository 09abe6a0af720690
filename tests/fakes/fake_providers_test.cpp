// The fake providers' wire formats, checked against the bodies providers.md gives for
// the real services, and their memory: refresh-token rotation and request counters.
#include <chrono>
#include <future>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "credential_mode.hpp"
#include "fake_context.hpp"
#include "listen_socket.hpp"
#include "provider_routes.hpp"

namespace fakes {
namespace {

// The fake on an ephemeral port of 127.0.0.1, served from a background thread.
class RunningFake {
 public:
  explicit RunningFake(FakeOptions options = {}) : context_(options) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(96); };
    server_.set_tcp_nodelay(true);
    AddAllRoutes(server_, context_);
    port_ = BindWithBacklog(server_, "127.0.0.1", 0, 1024);
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~RunningFake() {
    server_.stop();
    thread_.join();
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    return client;
  }

 private:
  FakeContext context_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

Json Body(const httplib::Result& result) {
  REQUIRE(result);
  return Json::parse(result->body);
}

httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

httplib::Result GoogleRefresh(httplib::Client& client, const std::string& refresh_token) {
  httplib::Params form = {
      {"grant_type", "refresh_token"},
      {"client_id", "123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com"},
      {"client_secret", "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"},
      {"refresh_token", refresh_token},
      {"scope", "https://www.googleapis.com/auth/calendar.readonly"}};
  return client.Post("/google/token", form);
}

httplib::Result MicrosoftRefresh(httplib::Client& client, const std::string& refresh_token,
                                 const std::string& tenant = "common",
                                 const std::string& secret = "Xy8Q~fakeSecretValue") {
  httplib::Params form = {{"client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"},
                          {"grant_type", "refresh_token"},
                          {"refresh_token", refresh_token},
                          {"scope", "offline_access User.Read Calendars.Read Mail.Read"},
                          {"client_secret", secret}};
  return client.Post("/microsoft/" + tenant + "/oauth2/v2.0/token", form);
}

// The trace ids and timestamps of an AADSTS error vary; everything else is fixed.
void CheckAadstsShape(const Json& body, const std::string& error, long code) {
  CHECK(body["error"] == error);
  CHECK(body["error_codes"] == Json::array({code}));
  const std::string description = body["error_description"];
  CHECK(description.rfind("AADSTS" + std::to_string(code) + ": ", 0) == 0);
  CHECK(description.find("\r\nTrace ID: ") != std::string::npos);
  CHECK(description.find("\r\nCorrelation ID: ") != std::string::npos);
  CHECK(description.find("\r\nTimestamp: ") != std::string::npos);
  for (const char* field : {"timestamp", "trace_id", "correlation_id"}) {
    CHECK(body[field].is_string());
  }
  CHECK(body["error_uri"] ==
        "https://login.microsoftonline.com/error?code=" + std::to_string(code));
}

TEST_CASE("credential endings pick the behaviour, with or without a hyphen") {
  CHECK(ParseCredential("sk-test-1", 2000).mode == Mode::kValid);
  CHECK(ParseCredential("sk-test-revoked", 2000).mode == Mode::kRevoked);
  CHECK(ParseCredential("ATTA0123abcrevoked", 2000).mode == Mode::kRevoked);
  CHECK(ParseCredential("x-userratelimited", 2000).mode == Mode::kUserRateLimited);
  CHECK(ParseCredential("x-ratelimited", 2000).mode == Mode::kRateLimited);
  CHECK(ParseCredential("x-grantexpired", 2000).mode == Mode::kGrantExpired);
  CHECK(ParseCredential("x-tokendown", 2000).mode == Mode::kTokenDown);
  CHECK(ParseCredential("x-401once", 2000).mode == Mode::kUnauthorizedOnce);

  auto slow = ParseCredential("sk-test-slow", 2000);
  CHECK(slow.mode == Mode::kValid);
  CHECK(slow.slow_ms == 2000);
  auto slow_down = ParseCredential("sk-test-down-slow250", 2000);
  CHECK(slow_down.mode == Mode::kDown);
  CHECK(slow_down.slow_ms == 250);
  CHECK_FALSE(ParseCredential("sk-test-1234", 2000).slow_ms.has_value());
}

TEST_CASE("fake OpenAI lists models and fails like OpenAI") {
  RunningFake fake;
  auto client = fake.Client();

  auto ok = client.Get("/openai/v1/models", Bearer("sk-test-good"));
  REQUIRE(ok);
  CHECK(ok->status == 200);
  const Json list = Body(ok);
  CHECK(list["object"] == "list");
  CHECK(list["data"][0] == Json{{"id", "gpt-4o-mini"}, {"object", "model"},
                                {"created", 1721172741}, {"owned_by", "system"}});
  CHECK(ok->has_header("x-request-id"));
  CHECK(ok->get_header_value("openai-version") == "2020-10-01");

  const std::string bad_key = "sk-abcdefghij-revoked";
  auto wrong = client.Get("/openai/v1/models", Bearer(bad_key));
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(Body(wrong) ==
        Json::parse(R"({"error": {"message": "Incorrect API key provided: sk-abc*****oked. You can find your API key at https://platform.openai.com/account/api-keys.",
                                  "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})"));
  CHECK(wrong->body.find(bad_key) == std::string::npos);

  auto billing = client.Get("/openai/v1/models", Bearer("sk-test-billing"));
  CHECK(billing->status == 429);
  CHECK(Body(billing) ==
        Json::parse(R"({"error": {"message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                                  "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}})"));

  auto limited = client.Get("/openai/v1/models", Bearer("sk-test-ratelimited"));
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("retry-after") == "20");
  CHECK(Body(limited)["error"]["code"] == "rate_limit_exceeded");

  auto mismatch = client.Get("/openai/v1/models", {{"Authorization", "Bearer sk-test-good"},
                                                   {"OpenAI-Organization", "org-mismatch"}});
  CHECK(mismatch->status == 401);
  CHECK(Body(mismatch)["error"]["code"] == "mismatched_organization");

  auto missing = client.Get("/openai/v1/models");
  CHECK(missing->status == 401);
  CHECK(Body(missing)["error"]["message"].get<std::string>().rfind("You didn't provide an API key.", 0) == 0);

  CHECK(client.Get("/openai/v1/models", Bearer("sk-test-noscope"))->status == 403);
  CHECK(client.Get("/openai/v1/models", Bearer("sk-test-down"))->status == 503);
  CHECK(client.Get("/openai/v1/models", Bearer("sk-test-servererror"))->status == 500);
}

TEST_CASE("fake Trello reads the member and answers 401s in plain text") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string key = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  const std::string token =
      "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4";
  auto path = [&](const std::string& k, const std::string& t) {
    return "/trello/1/members/me?fields=id,username&key=" + k + "&token=" + t;
  };

  auto ok = client.Get(path(key, token));
  REQUIRE(ok);
  CHECK(ok->status == 200);
  const Json member = Body(ok);
  CHECK(member["username"] == "fakeuser");
  CHECK(member["id"].get<std::string>().size() == 24);

  auto revoked = client.Get(path(key, token + "revoked"));
  CHECK(revoked->status == 401);
  CHECK(revoked->body == "invalid token");
  CHECK(revoked->get_header_value("Content-Type").rfind("text/plain", 0) == 0);
  CHECK(client.Get(path(key, token + "expired"))->body == "expired token");
  CHECK(client.Get(path(key, token + "noscope"))->body == "unauthorized permission requested");
  CHECK(client.Get(path("a1b2c3d4e5f60718293a4b5cdeadbeef", token))->body == "invalid key");

  auto limited = client.Get(path(key, token + "ratelimited"));
  CHECK(limited->status == 429);
  CHECK(Body(limited) == Json{{"error", "API_TOKEN_LIMIT_EXCEEDED"}, {"message", "Rate limit exceeded"}});
  CHECK_FALSE(limited->has_header("Retry-After"));

  // The header form authenticates as well.
  auto header = client.Get("/trello/1/members/me",
                           {{"Authorization", "OAuth oauth_consumer_key=\"" + key +
                                                  "\", oauth_token=\"" + token + "\""}});
  CHECK(header->status == 200);

  auto never = client.Get("/trello/1/tokens/" + token + "?fields=dateExpires&key=" + key +
                          "&token=" + token);
  CHECK(Body(never)["dateExpires"].is_null());
  const std::string expiring = token + "expiring";
  auto soon = client.Get("/trello/1/tokens/" + expiring + "?fields=dateExpires&key=" + key +
                         "&token=" + expiring);
  CHECK(Body(soon)["dateExpires"].is_string());
}

TEST_CASE("fake Google refreshes, lists calendars and refuses like Google") {
  RunningFake fake;
  auto client = fake.Client();

  auto token = GoogleRefresh(client, "1//0gFakeRefresh");
  REQUIRE(token);
  CHECK(token->status == 200);
  const Json issued = Body(token);
  CHECK(issued["token_type"] == "Bearer");
  CHECK(issued["expires_in"] == 3599);
  CHECK(issued["scope"] == "https://www.googleapis.com/auth/calendar.readonly");
  CHECK_FALSE(issued.contains("refresh_token"));
  const std::string access = issued["access_token"];
  CHECK(access.rfind("ya29.", 0) == 0);

  auto list = client.Get("/google/calendar/v3/users/me/calendarList?maxResults=1", Bearer(access));
  CHECK(list->status == 200);
  CHECK(Body(list)["kind"] == "calendar#calendarList");
  CHECK(Body(list)["items"][0]["accessRole"] == "owner");

  auto revoked = GoogleRefresh(client, "1//0gFake-revoked");
  CHECK(revoked->status == 400);
  CHECK(Body(revoked) == Json{{"error", "invalid_grant"},
                              {"error_description", "Token has been expired or revoked."}});

  auto noscope = Body(GoogleRefresh(client, "1//0gFake-noscope"))["access_token"].get<std::string>();
  auto forbidden = client.Get("/google/calendar/v3/users/me/calendarList", Bearer(noscope));
  CHECK(forbidden->status == 403);
  CHECK(Body(forbidden) == Json::parse(R"({"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
  "errors": [{"message": "Insufficient Permission", "domain": "global", "reason": "insufficientPermissions"}],
  "status": "PERMISSION_DENIED",
  "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
               "metadata": {"service": "calendar-json.googleapis.com", "method": "calendar.v3.CalendarList.List"}}]}})"));

  auto stranger = client.Get("/google/calendar/v3/users/me/calendarList", Bearer("ya29.unknown"));
  CHECK(stranger->status == 401);
  CHECK(Body(stranger) == Json::parse(R"({"error": {"code": 401,
  "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError", "location": "Authorization", "locationType": "header"}],
  "status": "UNAUTHENTICATED"}})"));

  CHECK(Body(GoogleRefresh(client, "1//0gFake-narrowscope"))["scope"] ==
        "https://www.googleapis.com/auth/calendar.events.readonly");
}

TEST_CASE("a rotating Google refresh token is replaced and the new one works") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string first = "1//0gFake-rotate";

  const Json rotated = Body(GoogleRefresh(client, first));
  REQUIRE(rotated.contains("refresh_token"));
  const std::string second = rotated["refresh_token"];
  CHECK(second != first);

  auto old = GoogleRefresh(client, first);
  CHECK(old->status == 400);
  CHECK(Body(old)["error"] == "invalid_grant");

  auto again = GoogleRefresh(client, second);
  CHECK(again->status == 200);
  CHECK(Body(again)["refresh_token"] != second);
}

TEST_CASE("fake Microsoft refreshes with rotation and Graph reads the user") {
  RunningFake fake;
  auto client = fake.Client();

  auto token = MicrosoftRefresh(client, "1.AXkAfakeRefresh");
  REQUIRE(token);
  CHECK(token->status == 200);
  const Json issued = Body(token);
  CHECK(issued["token_type"] == "Bearer");
  CHECK(issued["scope"] == "Calendars.Read Mail.Read User.Read");
  CHECK(issued["expires_in"] == 3599);
  CHECK(issued["ext_expires_in"] == 3599);
  const std::string rotated = issued["refresh_token"];
  CHECK(rotated != "1.AXkAfakeRefresh");

  auto me = client.Get("/graph/v1.0/me?$select=id,userPrincipalName",
                       Bearer(issued["access_token"].get<std::string>()));
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(Body(me) == Json::parse(R"({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)/$entity",
 "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "userPrincipalName": "AdeleV@contoso.com"})"));
  CHECK(me->has_header("request-id"));

  // Real refresh tokens are not revoked by rotation: both keep working.
  CHECK(MicrosoftRefresh(client, "1.AXkAfakeRefresh")->status == 200);
  CHECK(MicrosoftRefresh(client, rotated)->status == 200);

  auto expired = MicrosoftRefresh(client, "1.AXkAfake-expired");
  CHECK(expired->status == 400);
  CheckAadstsShape(Body(expired), "invalid_grant", 700082);
  CHECK(Body(expired)["error_description"].get<std::string>().find(
            "The refresh token has expired due to inactivity.") != std::string::npos);
  CheckAadstsShape(Body(MicrosoftRefresh(client, "1.AXkAfake-revoked")), "invalid_grant", 50173);
  CheckAadstsShape(Body(MicrosoftRefresh(client, "1.AXkAfake-grantexpired")), "invalid_grant", 70008);
  auto tenant = MicrosoftRefresh(client, "1.AXkAfakeRefresh", "unknown.onmicrosoft.com");
  CHECK(tenant->status == 400);
  CheckAadstsShape(Body(tenant), "invalid_request", 90002);
  auto secret = MicrosoftRefresh(client, "1.AXkAfakeRefresh", "common", "Xy8Q~fake-wrong");
  CHECK(secret->status == 401);
  CheckAadstsShape(Body(secret), "invalid_client", 7000215);

  auto limited_token = Body(MicrosoftRefresh(client, "1.AXkAfake-ratelimited"))["access_token"];
  auto limited = client.Get("/graph/v1.0/me", Bearer(limited_token.get<std::string>()));
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("Retry-After") == "17");
  CHECK(Body(limited)["error"]["code"] == "TooManyRequests");

  auto denied_token = Body(MicrosoftRefresh(client, "1.AXkAfake-noscope"))["access_token"];
  auto denied = client.Get("/graph/v1.0/me/mailFolders/inbox", Bearer(denied_token.get<std::string>()));
  CHECK(denied->status == 403);
  CHECK(Body(denied)["error"]["code"] == "ErrorAccessDenied");
  CHECK(Body(denied)["error"]["message"] == "Access is denied. Check credentials and try again.");

  auto stranger = client.Get("/graph/v1.0/me", Bearer("eyJ0eXAi.unknown"));
  CHECK(stranger->status == 401);
  CHECK(Body(stranger)["error"]["code"] == "InvalidAuthenticationToken");
  CHECK(Body(stranger)["error"]["innerError"].contains("request-id"));
}

TEST_CASE("a single-use Microsoft refresh token dies once rotated, and its successor works") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string first = "1.AXkAfake-rotate";
  const std::string second = Body(MicrosoftRefresh(client, first))["refresh_token"];
  auto old = MicrosoftRefresh(client, first);
  CHECK(old->status == 400);
  CheckAadstsShape(Body(old), "invalid_grant", 70000);
  CHECK(MicrosoftRefresh(client, second)->status == 200);
}

TEST_CASE("the fake counts requests per credential family and answers concurrently") {
  RunningFake fake({/*latency_ms=*/0, /*slow_ms=*/2000});
  auto client = fake.Client();
  const std::string root = "1.AXkAfake-rotate";
  const std::string second = Body(MicrosoftRefresh(client, root))["refresh_token"];
  MicrosoftRefresh(client, second);

  // 48 requests that each take two seconds, all at once: they must overlap, not queue.
  // (A loaded machine may start a few late, so at least half must be in flight together.)
  std::vector<std::future<int>> answers;
  std::latch all_started(48);
  for (int i = 0; i < 48; ++i) {
    answers.push_back(std::async(std::launch::async, [&fake, &all_started] {
      auto own = fake.Client();
      all_started.arrive_and_wait();
      auto result = own.Get("/openai/v1/models", Bearer("sk-test-slow2000"));
      return result ? result->status : 0;
    }));
  }
  for (auto& answer : answers) CHECK(answer.get() == 200);

  const Json stats = Body(client.Get("/_stats"));
  CHECK(stats["providers"]["microsoft"]["by_credential"][root] == 2);
  CHECK(stats["providers"]["microsoft"]["by_endpoint"]["token"] == 2);
  CHECK(stats["providers"]["openai"]["by_credential"]["sk-test-slow2000"] == 48);
  CHECK(stats["max_in_flight"] >= 24);

  CHECK(client.Delete("/_stats")->status == 204);
  CHECK(Body(client.Get("/_stats"))["total"] == 0);
}

}  // namespace
}  // namespace fakes
