// The fake providers' wire formats, checked against the bodies providers.md gives for
// the real services, and their memory: refresh-token rotation and request counters.
#include <cctype>
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

// The fake and its capture listener on ephemeral ports of 127.0.0.1, served from
// background threads, wired as fake_providers_main.cpp wires them.
class RunningFake {
 public:
  explicit RunningFake(FakeOptions options = {}) : context_(options) {
    AddCaptureListenerRoutes(capture_, context_);
    capture_port_ = BindWithBacklog(capture_, "127.0.0.1", 0, 64);
    REQUIRE(capture_port_ > 0);
    context_.set_capture_origin("http://127.0.0.1:" + std::to_string(capture_port_));
    server_.new_task_queue = [] { return new httplib::ThreadPool(96); };
    server_.set_tcp_nodelay(true);
    AddAllRoutes(server_, context_);
    port_ = BindWithBacklog(server_, "127.0.0.1", 0, 1024);
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    capture_thread_ = std::thread([this] { capture_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it.
    while (!server_.is_running() || !capture_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~RunningFake() {
    server_.stop();
    capture_.stop();
    thread_.join();
    capture_thread_.join();
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    return client;
  }
  int port() const { return port_; }
  int capture_port() const { return capture_port_; }

 private:
  FakeContext context_;
  httplib::Server server_;
  httplib::Server capture_;
  std::thread thread_;
  std::thread capture_thread_;
  int port_ = 0;
  int capture_port_ = 0;
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
  CHECK_FALSE(ParseCredential("sk-test-slow12345678901234", 2000).slow_ms.has_value());

  CHECK(ParseCredential("ATTA0123redirect", 2000).mode == Mode::kRedirect);
  auto short_lived = ParseCredential("1//0g-x-shortlived", 2000);
  CHECK(short_lived.mode == Mode::kValid);
  CHECK(short_lived.short_lived);
  CHECK_FALSE(ParseCredential("1//0g-x-rotate", 2000).short_lived);
  for (const char* both : {"1//0g-x-rotate-shortlived-slow100", "1//0g-x-rotate-slow100-shortlived"}) {
    auto parsed = ParseCredential(both, 2000);
    CHECK(parsed.mode == Mode::kRotate);
    CHECK(parsed.short_lived);
    CHECK(parsed.slow_ms == 100);
  }
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


// ---- The use path: one real API call per provider ------------------------------------

httplib::Result Chat(httplib::Client& client, const std::string& key, const std::string& body,
                     const std::string& type = "application/json",
                     httplib::Headers headers = {}) {
  headers.emplace("Authorization", "Bearer " + key);
  return client.Post("/openai/v1/chat/completions", headers, body, type.c_str());
}

constexpr const char* kChatBody =
    R"({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello"}]})";

Json OpenAiError(const std::string& message, const Json& param, const Json& code) {
  return {{"error", {{"message", message}, {"type", "invalid_request_error"}, {"param", param},
                     {"code", code}}}};
}

TEST_CASE("fake OpenAI answers a chat completion as OpenAI does") {
  RunningFake fake;
  auto client = fake.Client();

  auto ok = Chat(client, "sk-test-good", kChatBody, "application/json",
                 {{"OpenAI-Organization", "org-abc"}, {"OpenAI-Project", "proj_abc"}});
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->get_header_value("openai-organization") == "org-abc");
  CHECK(ok->get_header_value("openai-project") == "proj_abc");
  CHECK(ok->has_header("x-request-id"));
  const Json completion = Body(ok);
  CHECK(completion["id"].get<std::string>().rfind("chatcmpl-", 0) == 0);
  CHECK(completion["object"] == "chat.completion");
  CHECK(completion["created"].is_number_integer());
  CHECK(completion["model"] == "gpt-4o-mini");
  REQUIRE(completion["choices"].size() == 1);
  CHECK(completion["choices"][0]["index"] == 0);
  CHECK(completion["choices"][0]["message"]["role"] == "assistant");
  CHECK(completion["choices"][0]["message"]["content"].is_string());
  CHECK(completion["choices"][0]["finish_reason"] == "stop");
  const Json usage = completion["usage"];
  CHECK(usage["prompt_tokens"].get<int>() > 0);
  CHECK(usage["total_tokens"] == usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());
  CHECK(Body(Chat(client, "sk-test-good", kChatBody))["id"] != completion["id"]);

  // The key is checked first, as at /v1/models.
  auto revoked = Chat(client, "sk-abcdefghij-revoked", "not json", "text/plain");
  CHECK(revoked->status == 401);
  CHECK(Body(revoked)["error"]["code"] == "invalid_api_key");
  CHECK(revoked->body.find("sk-abcdefghij-revoked") == std::string::npos);
  auto missing_key = client.Post("/openai/v1/chat/completions", kChatBody, "application/json");
  CHECK(missing_key->status == 401);
  CHECK(Body(missing_key)["error"]["message"].get<std::string>().rfind("You didn't provide an API key.", 0) == 0);
  auto mismatch = Chat(client, "sk-test-good", kChatBody, "application/json",
                       {{"OpenAI-Project", "proj_mismatch"}});
  CHECK(mismatch->status == 401);
  CHECK(Body(mismatch)["error"]["code"] == "mismatched_project");
  auto noscope = Chat(client, "sk-test-noscope", kChatBody);
  CHECK(noscope->status == 403);
  CHECK(Body(noscope)["error"]["message"].get<std::string>().find("Missing scopes: model.request.") != std::string::npos);
  auto limited = Chat(client, "sk-test-ratelimited", kChatBody);
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("retry-after") == "20");
  CHECK(Body(limited)["error"]["code"] == "rate_limit_exceeded");
  CHECK(Chat(client, "sk-test-billing", kChatBody)->status == 429);
  CHECK(Chat(client, "sk-test-servererror", kChatBody)->status == 500);
  CHECK(Body(Chat(client, "sk-test-down", kChatBody))["error"]["code"] == "server_is_overloaded");
}

TEST_CASE("fake OpenAI refuses a chat request without JSON, model or messages") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string not_json =
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
      "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
      "sent was not valid JSON. If you have trouble figuring out how to fix this, please "
      "contact us through our help center at help.openai.com.)";
  auto refused = [&](const std::string& body, const std::string& type = "application/json") {
    auto result = Chat(client, "sk-test-good", body, type);
    REQUIRE(result);
    CHECK(result->status == 400);
    return Body(result);
  };
  CHECK(refused(kChatBody, "application/x-www-form-urlencoded") == OpenAiError(not_json, nullptr, nullptr));
  CHECK(refused("{\"model\": ") == OpenAiError(not_json, nullptr, nullptr));
  CHECK(refused("[1, 2]") == OpenAiError(not_json, nullptr, nullptr));
  CHECK(refused(R"({"messages": [{"role": "user", "content": "hi"}]})") ==
        OpenAiError("you must provide a model parameter", nullptr, nullptr));
  CHECK(refused(R"({"model": "gpt-4o-mini"})") ==
        OpenAiError("Missing required parameter: 'messages'.", "messages", "missing_required_parameter"));
  CHECK(refused(R"({"model": "gpt-4o-mini", "messages": "hi"})") ==
        OpenAiError("Invalid type for 'messages': expected an array, but got a string instead.",
                    "messages", "invalid_type"));
  CHECK(refused(R"({"model": "gpt-4o-mini", "messages": []})") ==
        OpenAiError("Invalid 'messages': empty array. Expected an array with minimum length 1, "
                    "but got an empty array instead.",
                    "messages", "empty_array"));
  CHECK(refused(R"({"model": "gpt-4o-mini", "messages": [{"content": "hi"}]})") ==
        OpenAiError("Missing required parameter: 'messages[0].role'.", "messages[0].role",
                    "missing_required_parameter"));
  // A charset after the media type is JSON all the same.
  CHECK(Chat(client, "sk-test-good", kChatBody, "application/json; charset=utf-8")->status == 200);
}

TEST_CASE("fake Trello lists the member's boards") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string key = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  const std::string token =
      "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4";
  auto boards = [&](const std::string& t, const std::string& extra = "") {
    return client.Get("/trello/1/members/me/boards?key=" + key + "&token=" + t + extra);
  };

  auto all = boards(token);
  REQUIRE(all);
  CHECK(all->status == 200);
  const Json list = Body(all);
  REQUIRE(list.is_array());
  REQUIRE(list.size() == 2);
  for (const Json& board : list) {
    CHECK(board["id"].get<std::string>().size() == 24);
    CHECK(board["name"].is_string());
    CHECK(board["desc"].is_string());
    CHECK(board["closed"].is_boolean());
    CHECK(board["url"].get<std::string>().rfind("https://trello.com/b/", 0) == 0);
    CHECK(board["shortUrl"].is_string());
    CHECK(board["prefs"]["permissionLevel"] == "private");
  }
  CHECK(list[0]["closed"] == false);
  CHECK(list[1]["closed"] == true);

  auto open = Body(boards(token, "&filter=open&fields=name,url"));
  REQUIRE(open.size() == 1);
  CHECK(open[0] == Json{{"id", list[0]["id"]}, {"name", list[0]["name"]}, {"url", list[0]["url"]}});

  auto header = client.Get("/trello/1/members/me/boards",
                           {{"Authorization", "OAuth oauth_consumer_key=\"" + key +
                                                  "\", oauth_token=\"" + token + "\""}});
  CHECK(header->status == 200);

  auto revoked = boards(token + "revoked");
  CHECK(revoked->status == 401);
  CHECK(revoked->body == "invalid token");
  CHECK(boards(token + "expired")->body == "expired token");
  CHECK(boards(token + "noscope")->body == "unauthorized permission requested");
  CHECK(client.Get("/trello/1/members/me/boards?key=a1b2c3d4e5f60718293a4b5cdeadbeef&token=" + token)->body ==
        "invalid key");
  CHECK(client.Get("/trello/1/members/me/boards?key=" + key)->body == "invalid token");
  auto limited = boards(token + "ratelimited");
  CHECK(limited->status == 429);
  CHECK(Body(limited)["error"] == "API_TOKEN_LIMIT_EXCEEDED");
  CHECK(boards(token + "servererror")->status == 500);
  CHECK(boards(token + "down")->status == 503);
}

TEST_CASE("fake Graph lists messages, paged by $top") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string access = Body(MicrosoftRefresh(client, "1.AXkAfakeMail"))["access_token"];

  auto all = client.Get("/graph/v1.0/me/messages", Bearer(access));
  REQUIRE(all);
  CHECK(all->status == 200);
  CHECK(all->has_header("request-id"));
  const Json page = Body(all);
  CHECK(page["@odata.context"] ==
        "https://graph.microsoft.com/v1.0/$metadata#users('87d349ed-44d7-43e1-9a83-5f2406dee5bd')/messages");
  REQUIRE(page["value"].size() == 5);
  CHECK_FALSE(page.contains("@odata.nextLink"));
  for (const Json& message : page["value"]) {
    CHECK(message["id"].is_string());
    CHECK(message["subject"].is_string());
    CHECK(message["receivedDateTime"].is_string());
    CHECK(message["from"]["emailAddress"]["address"].is_string());
    CHECK(message["isRead"].is_boolean());
  }

  auto first = Body(client.Get("/graph/v1.0/me/messages?%24top=2", Bearer(access)));
  REQUIRE(first["value"].size() == 2);
  CHECK(first["value"][0] == page["value"][0]);
  const std::string next = first["@odata.nextLink"];
  const std::string local = "http://127.0.0.1:";
  REQUIRE(next.rfind(local, 0) == 0);
  const std::string next_path = next.substr(next.find('/', local.size()));
  auto second = Body(client.Get(next_path, Bearer(access)));
  REQUIRE(second["value"].size() == 2);
  CHECK(second["value"][0] == page["value"][2]);

  auto denied = client.Get("/graph/v1.0/me/messages",
                           Bearer(Body(MicrosoftRefresh(client, "1.AXkAfake-noscope"))["access_token"]));
  CHECK(denied->status == 403);
  CHECK(Body(denied)["error"]["code"] == "ErrorAccessDenied");
  auto limited = client.Get("/graph/v1.0/me/messages",
                            Bearer(Body(MicrosoftRefresh(client, "1.AXkAfake-ratelimited"))["access_token"]));
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("Retry-After") == "17");
  auto down = client.Get("/graph/v1.0/me/messages",
                         Bearer(Body(MicrosoftRefresh(client, "1.AXkAfake-down"))["access_token"]));
  CHECK(down->status == 503);
  auto made_up = client.Get("/graph/v1.0/me/messages", Bearer("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake." + RandomHex(48)));
  CHECK(made_up->status == 401);
  CHECK(Body(made_up)["error"]["code"] == "InvalidAuthenticationToken");
  CHECK(made_up->get_header_value("WWW-Authenticate").rfind("Bearer realm=\"\"", 0) == 0);
}

// ---- Access-token lifetimes -----------------------------------------------------------

TEST_CASE("issued access tokens are random, and only tokens the fake issued are accepted") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string refresh = "1//0gFakeRandom";
  const std::string a = Body(GoogleRefresh(client, refresh))["access_token"];
  const std::string b = Body(GoogleRefresh(client, refresh))["access_token"];
  CHECK(a != b);
  CHECK(a.size() >= 48);
  CHECK(a.find("FakeRandom") == std::string::npos);
  CHECK(client.Get("/google/calendar/v3/users/me/calendarList", Bearer(a))->status == 200);
  // The same shape, but never issued.
  auto forged = client.Get("/google/calendar/v3/users/me/calendarList", Bearer("ya29.a0Af" + RandomHex(48)));
  CHECK(forged->status == 401);
  CHECK(Body(forged)["error"]["errors"][0]["reason"] == "authError");
  // A Microsoft token is not a Google token, and the other way round.
  const std::string graph = Body(MicrosoftRefresh(client, "1.AXkAfakeRandom"))["access_token"];
  CHECK(client.Get("/graph/v1.0/me", Bearer(graph))->status == 200);
  CHECK(client.Get("/graph/v1.0/me", Bearer(a))->status == 401);
  CHECK(client.Get("/google/calendar/v3/users/me/calendarList", Bearer(graph))->status == 401);
}

TEST_CASE("a shortlived refresh token gets access tokens the APIs refuse after 2 seconds") {
  RunningFake fake;
  auto client = fake.Client();

  const Json google = Body(GoogleRefresh(client, "1//0gFake-shortlived"));
  CHECK(google["expires_in"] == 2);
  const Json graph = Body(MicrosoftRefresh(client, "1.AXkAfake-shortlived"));
  CHECK(graph["expires_in"] == 2);
  CHECK(graph["ext_expires_in"] == 2);
  // A token rotated from a shortlived one is shortlived too.
  CHECK(Body(MicrosoftRefresh(client, graph["refresh_token"]))["expires_in"] == 2);
  // Other tokens keep the normal lifetime.
  CHECK(Body(GoogleRefresh(client, "1//0gFakeLong"))["expires_in"] == 3599);

  const std::string google_access = google["access_token"];
  const std::string graph_access = graph["access_token"];
  CHECK(client.Get("/google/calendar/v3/users/me/calendarList", Bearer(google_access))->status == 200);
  CHECK(client.Get("/graph/v1.0/me/messages", Bearer(graph_access))->status == 200);

  std::this_thread::sleep_for(std::chrono::milliseconds(2100));

  auto expired_google = client.Get("/google/calendar/v3/users/me/calendarList", Bearer(google_access));
  CHECK(expired_google->status == 401);
  CHECK(Body(expired_google) == Json::parse(R"({"error": {"code": 401,
  "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError", "location": "Authorization", "locationType": "header"}],
  "status": "UNAUTHENTICATED"}})"));
  CHECK(expired_google->get_header_value("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);

  for (const char* path : {"/graph/v1.0/me/messages", "/graph/v1.0/me"}) {
    auto expired_graph = client.Get(path, Bearer(graph_access));
    CHECK(expired_graph->status == 401);
    const Json error = Body(expired_graph)["error"];
    CHECK(error["code"] == "InvalidAuthenticationToken");
    CHECK(error["message"] == "Lifetime validation failed, the token is expired.");
    CHECK(error["innerError"]["request-id"].is_string());
  }

  // A fresh refresh gives a token that works again.
  const std::string renewed = Body(GoogleRefresh(client, "1//0gFake-shortlived"))["access_token"];
  CHECK(client.Get("/google/calendar/v3/users/me/calendarList", Bearer(renewed))->status == 200);
}

TEST_CASE("the access-token lifetime option sets the lifetime of every issued access token") {
  FakeOptions options;
  options.access_token_seconds = 1;
  RunningFake fake(options);
  auto client = fake.Client();
  const Json google = Body(GoogleRefresh(client, "1//0gFakeOneSecond"));
  CHECK(google["expires_in"] == 1);
  CHECK(Body(MicrosoftRefresh(client, "1.AXkAfakeOneSecond"))["expires_in"] == 1);
  CHECK(Body(GoogleRefresh(client, "1//0gFake-shortlived"))["expires_in"] == 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(client.Get("/google/calendar/v3/users/me/calendarList",
                   Bearer(google["access_token"].get<std::string>()))->status == 401);
}

// ---- Refresh counters -----------------------------------------------------------------

TEST_CASE("the fake counts refresh grants per refresh-token family, spent reuse apart") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string google_root = "1//0gFake-count-rotate";
  const std::string second = Body(GoogleRefresh(client, google_root))["refresh_token"];
  CHECK(GoogleRefresh(client, second)->status == 200);
  CHECK(GoogleRefresh(client, google_root)->status == 400);  // spent by the first rotation
  GoogleRefresh(client, "1//0gFake-count-other");
  GoogleRefresh(client, "1//0gFake-count-revoked");

  const std::string ms_root = "1.AXkAfake-count";
  const std::string ms_second = Body(MicrosoftRefresh(client, ms_root))["refresh_token"];
  MicrosoftRefresh(client, ms_second);
  MicrosoftRefresh(client, ms_second);

  Json stats = Body(client.Get("/_stats"));
  const Json google = stats["providers"]["google"];
  CHECK(google["refreshes_by_family"][google_root] == 3);
  CHECK(google["spent_refreshes_by_family"][google_root] == 1);
  CHECK(google["refreshes_by_family"]["1//0gFake-count-other"] == 1);
  CHECK(google["refreshes_by_family"]["1//0gFake-count-revoked"] == 1);  // refused ones count too
  CHECK_FALSE(google["spent_refreshes_by_family"].contains("1//0gFake-count-other"));
  CHECK(stats["providers"]["microsoft"]["refreshes_by_family"][ms_root] == 3);
  CHECK(stats["providers"]["microsoft"]["spent_refreshes_by_family"].empty());

  // API calls are not refresh grants.
  const std::string access = Body(GoogleRefresh(client, "1//0gFake-count-other"))["access_token"];
  client.Get("/google/calendar/v3/users/me/calendarList", Bearer(access));
  CHECK(Body(client.Get("/_stats"))["providers"]["google"]["refreshes_by_family"]["1//0gFake-count-other"] == 2);

  CHECK(client.Delete("/_stats")->status == 204);
  stats = Body(client.Get("/_stats"));
  CHECK(stats["providers"].empty());
  GoogleRefresh(client, second);  // rotation history survives a reset; only counts go
  CHECK(Body(client.Get("/_stats"))["providers"]["google"]["refreshes_by_family"][google_root] == 1);
}

TEST_CASE("concurrent refreshes of one family are all counted") {
  RunningFake fake;
  const std::string root = "1//0gFake-count-concurrent";
  std::vector<std::future<int>> answers;
  std::latch all_started(32);
  for (int i = 0; i < 32; ++i) {
    answers.push_back(std::async(std::launch::async, [&] {
      auto own = fake.Client();
      all_started.arrive_and_wait();
      auto result = GoogleRefresh(own, root);
      return result ? result->status : 0;
    }));
  }
  for (auto& answer : answers) CHECK(answer.get() == 200);
  auto client = fake.Client();
  CHECK(Body(client.Get("/_stats"))["providers"]["google"]["refreshes_by_family"][root] == 32);
}

// ---- Redirects to another origin, and what follows them -------------------------------

TEST_CASE("redirect credentials answer the use-path calls with 307 to the capture listener") {
  RunningFake fake;
  auto client = fake.Client();
  const std::string capture = "http://127.0.0.1:" + std::to_string(fake.capture_port());
  const std::string key = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  const std::string token = "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00redirect";

  auto openai = Chat(client, "sk-test-redirect", kChatBody);
  REQUIRE(openai);
  CHECK(openai->status == 307);
  CHECK(openai->get_header_value("Location") == capture + "/captured/openai/v1/chat/completions");

  auto trello = client.Get("/trello/1/members/me/boards?key=" + key + "&token=" + token);
  CHECK(trello->status == 307);
  // The query (where Trello's credentials travel) is not carried into the Location.
  CHECK(trello->get_header_value("Location") == capture + "/captured/trello/1/members/me/boards");

  const std::string google = Body(GoogleRefresh(client, "1//0gFake-redirect"))["access_token"];
  auto calendar = client.Get("/google/calendar/v3/users/me/calendarList", Bearer(google));
  CHECK(calendar->status == 307);
  CHECK(calendar->get_header_value("Location") == capture + "/captured/google/calendar/v3/users/me/calendarList");

  const std::string graph = Body(MicrosoftRefresh(client, "1.AXkAfake-redirect"))["access_token"];
  auto mail = client.Get("/graph/v1.0/me/messages", Bearer(graph));
  CHECK(mail->status == 307);
  CHECK(mail->get_header_value("Location") == capture + "/captured/graph/v1.0/me/messages");

  // The probes' own reads answer as usual, so such a connection probes valid.
  CHECK(client.Get("/openai/v1/models", Bearer("sk-test-redirect"))->status == 200);
  CHECK(client.Get("/trello/1/members/me?key=" + key + "&token=" + token)->status == 200);
  CHECK(client.Get("/graph/v1.0/me", Bearer(graph))->status == 200);
  // Credentials are still checked before the redirect.
  CHECK(client.Get("/graph/v1.0/me/messages", Bearer("eyJ0eXAi.unknown"))->status == 401);
  CHECK(Chat(client, "sk-test-redirect", R"({"model": "gpt-4o-mini"})")->status == 400);

  // Nothing reached the capture listener: the fake's client does not follow redirects.
  CHECK(Body(client.Get("/_captured")) == Json::array());
}

TEST_CASE("the capture listener records every request, and /_captured lists and clears them") {
  RunningFake fake;
  auto client = fake.Client();
  httplib::Client capture("127.0.0.1", fake.capture_port());

  auto answered = capture.Post("/captured/openai/v1/chat/completions?x=1",
                               {{"Authorization", "Bearer sk-leaked"}, {"X-Trace", "a"}, {"X-Trace", "b"}},
                               kChatBody, "application/json");
  REQUIRE(answered);
  CHECK(answered->status == 200);
  CHECK(capture.Delete("/captured/elsewhere")->status == 200);
  CHECK(capture.Get("/")->status == 200);

  auto captured = client.Get("/_captured");
  REQUIRE(captured);
  CHECK(captured->get_header_value("X-Capture-Origin") ==
        "http://127.0.0.1:" + std::to_string(fake.capture_port()));
  CHECK(captured->get_header_value("X-Captured-Dropped") == "0");
  const Json requests = Body(captured);
  REQUIRE(requests.is_array());
  REQUIRE(requests.size() == 3);
  CHECK(requests[0]["method"] == "POST");
  CHECK(requests[0]["path"] == "/captured/openai/v1/chat/completions");
  CHECK(requests[0]["query"] == "x=1");
  CHECK(requests[0]["headers"]["authorization"] == "Bearer sk-leaked");
  CHECK(requests[0]["headers"]["x-trace"] == "a, b");
  CHECK(requests[0]["header_lists"]["x-trace"] == Json::array({"a", "b"}));
  CHECK(requests[0]["headers"]["content-type"] == "application/json");
  CHECK(requests[0]["body"] == kChatBody);
  CHECK_FALSE(requests[0]["headers"].contains("remote_addr"));
  CHECK(requests[1]["method"] == "DELETE");
  CHECK(requests[1]["path"] == "/captured/elsewhere");
  CHECK(requests[2]["path"] == "/");

  CHECK(client.Delete("/_captured")->status == 204);
  CHECK(Body(client.Get("/_captured")) == Json::array());
}

TEST_CASE("a client that follows the redirect lands on the capture listener") {
  RunningFake fake;
  auto client = fake.Client();
  client.set_follow_location(true);
  // cpp-httplib keeps the Authorization header across origins, as a careless client would:
  // what the host must not do, recorded where a test can see it.
  auto followed = client.Get("/openai/v1/models");  // a plain request first: no redirect
  CHECK(followed->status == 401);
  auto chat = client.Post("/openai/v1/chat/completions", {{"Authorization", "Bearer sk-test-redirect"}},
                          kChatBody, "application/json");
  REQUIRE(chat);
  CHECK(chat->status == 200);
  CHECK(Body(chat) == Json{{"captured", true}});
  const Json requests = Body(fake.Client().Get("/_captured"));
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["path"] == "/captured/openai/v1/chat/completions");
  CHECK(requests[0]["method"] == "POST");  // 307 keeps the method
}

// ---- Echo -----------------------------------------------------------------------------

TEST_CASE("the echo endpoint answers the request it got") {
  RunningFake fake;
  auto client = fake.Client();
  auto echoed = client.Put("/echo/some/where%2Fencoded?b=2&a=%20x",
                           {{"X-Multi", "one"}, {"X-Multi", "two"}, {"Accept", "application/json"}},
                           "payload \xff bytes", "text/plain");
  REQUIRE(echoed);
  CHECK(echoed->status == 200);
  const Json body = Body(echoed);
  CHECK(body["method"] == "PUT");
  CHECK(body["path"] == "/echo/some/where%2Fencoded");
  CHECK(body["query"] == "b=2&a=%20x");
  CHECK(body["headers"]["x-multi"] == "one, two");
  CHECK(body["header_lists"]["x-multi"] == Json::array({"one", "two"}));
  CHECK(body["headers"]["accept"] == "application/json");
  CHECK(body["header_lists"]["accept"] == Json::array({"application/json"}));
  CHECK(body["headers"]["content-type"] == "text/plain");
  CHECK(body["headers"]["host"] == "127.0.0.1:" + std::to_string(fake.port()));
  CHECK(body["body"] == "payload \xef\xbf\xbd bytes");  // not UTF-8: U+FFFD
  for (const auto& [name, values] : body["header_lists"].items()) {
    for (char c : name) CHECK_FALSE(std::isupper(static_cast<unsigned char>(c)));
  }

  CHECK(Body(client.Get("/echo"))["method"] == "GET");
  CHECK(Body(client.Delete("/echo/x"))["method"] == "DELETE");
  CHECK(Body(client.Patch("/echo/x", "{}", "application/json"))["body"] == "{}");
  auto head = client.Head("/echo/x");
  CHECK(head->status == 200);
  // Not a provider: not counted.
  CHECK(Body(client.Get("/_stats"))["total"] == 0);
}

}  // namespace
}  // namespace fakes
