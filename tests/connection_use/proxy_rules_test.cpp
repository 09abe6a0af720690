// The proxy's rules without a network: refused paths, the URL a request goes to, and the
// headers that cross in each direction.
#include <catch2/catch.hpp>

#include "probe/proxy_rules.hpp"

using namespace switchboard;
using namespace switchboard::probe;

TEST_CASE("paths inside the base path are accepted") {
  for (const char* path : {"", "/", "/chat/completions", "/users/me/calendarList", "/me/messages",
                           "/calendars/primary/events/abc%20def", "/a:b", "/x.json", "/..a/b..", "/a/"}) {
    INFO(path);
    CHECK(CheckProxyPath(path).ok());
  }
}

TEST_CASE("paths that could leave the base path or name another authority are refused") {
  for (const char* path : {"/..", "/../admin", "/a/../../b", "/./a", "/a/.", "//evil.example/x", "/a//b",
                           "/%2e%2e/admin", "/%2E%2E/admin", "/.%2e/x", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b",
                           "/user@evil.example", "/a%00b", "/a%zz", "/a%2", "relative", "/a b", "/a#frag",
                           "/caf\xc3\xa9", "/a\tb", "/a?b", "/..;/x", "/a/..;jsessionid=1/b", "/.;x/y",
                           "/%252e%252e/x", "/%252F", "/%c0%ae%c0%ae/x", "/%C1%9C", "/..%3b/x", "/..%3B/x"}) {
    INFO(path);
    Status s = CheckProxyPath(path);
    CHECK_FALSE(s.ok());
    CHECK(s.Is(Code::kPathRefused));
  }
  CHECK_FALSE(CheckProxyPath("/" + std::string(kMaxProxyPathBytes, 'a')).ok());
}

TEST_CASE("queries are bounded and must be encoded") {
  CHECK(CheckProxyQuery("").ok());
  CHECK(CheckProxyQuery("a=1&b=%20x").ok());
  CHECK_FALSE(CheckProxyQuery("a=1 2").ok());
  CHECK_FALSE(CheckProxyQuery("a=1#x").ok());
  CHECK_FALSE(CheckProxyQuery(std::string(kMaxProxyQueryBytes + 1, 'a')).ok());
}

TEST_CASE("the URL is the granted origin and base path, the caller's path and query, then the grant's query") {
  AuthorizedOrigin origin{"https://api.trello.com", "/1"};
  ProxyCall call;
  call.path = "/members/me/boards";
  call.query = "fields=name&key=callers-own&token%3D=x";
  const std::string url = ProxyUrl(origin, call, {{"key", "K"}, {"token", "T/+"}});
  // The caller cannot set what the grant sets: its own key is dropped, the grant's wins.
  CHECK(url == "https://api.trello.com/1/members/me/boards?fields=name&token%3D=x&key=K&token=T%2F%2B");
  // ';' separates parameters for some servers: a caller's key after one is dropped too.
  call.query = "a=1;key=EVIL;b=2";
  CHECK(ProxyUrl(origin, call, {{"key", "K"}}) == "https://api.trello.com/1/members/me/boards?a=1;b=2&key=K");
  call.path = "";
  call.query = "";
  CHECK(ProxyUrl({"http://127.0.0.1:9", ""}, call, {}) == "http://127.0.0.1:9");
}

TEST_CASE("the caller's credentials and hop-by-hop headers never reach the provider") {
  HeaderPairs caller = {{"Authorization", "Bearer sb_runtime_token"},
                        {"Cookie", "sb_session=1"},
                        {"Proxy-Authorization", "Basic x"},
                        {"Connection", "keep-alive, X-Drop-Me"},
                        {"X-Drop-Me", "1"},
                        {"Keep-Alive", "timeout=5"},
                        {"Transfer-Encoding", "chunked"},
                        {"TE", "trailers"},
                        {"Upgrade", "websocket"},
                        {"Host", "switchboard.local"},
                        {"Content-Length", "12"},
                        {"Accept-Encoding", "gzip"},
                        {"Range", "bytes=69-72"},
                        {"If-Range", "\"etag\""},
                        {"Content-Type", "application/json"},
                        {"Accept", "application/json"},
                        {"Accept", "text/plain"},
                        {"OpenAI-Beta", "assistants=v2"}};
  Headers out = ForwardedHeaders(caller, {{"authorization", "Bearer sk-real"}, {"openai-project", "proj_1"}});
  CHECK(out == Headers{{"accept", "application/json, text/plain"},
                       {"authorization", "Bearer sk-real"},
                       {"content-type", "application/json"},
                       {"openai-beta", "assistants=v2"},
                       {"openai-project", "proj_1"}});
}

TEST_CASE("the provider's cookies and hop-by-hop headers never reach the caller") {
  Headers provider = {{"set-cookie", "__cf_bm=abc"}, {"connection", "close, x-internal"}, {"x-internal", "1"},
                      {"transfer-encoding", "chunked"}, {"content-length", "5"}, {"keep-alive", "timeout=5"},
                      {"content-type", "application/json"}, {"x-request-id", "req_1"},
                      {"location", "https://elsewhere.example/x"}};
  HeaderPairs back = ReturnedHeaders(provider);
  CHECK(back == HeaderPairs{{"content-type", "application/json"},
                            {"location", "https://elsewhere.example/x"},
                            {"x-request-id", "req_1"}});
}

TEST_CASE("a URL without its query hides credentials carried there") {
  CHECK(WithoutQuery("https://api.trello.com/1/members/me?key=K&token=T") == "https://api.trello.com/1/members/me");
  CHECK(WithoutQuery("https://x/y") == "https://x/y");
}

TEST_CASE("a provider's answer quoting a secret gives it back nowhere") {
  SecretRedactor secrets;
  secrets.Add("sk-attack-echo-0123456789abcdef");
  HttpResponse answer{401, {{"x-sk-attack-echo-0123456789abcdefxyz", "1"},
                            {"www-authenticate", "Bearer error=\"sk-attack-echo-0123456789abcdef\""},
                            {"content-type", "application/json"}},
                      "{\"error\":\"bad key sk-attack-echo-0123456789abcdef\"}"};
  RedactAnswer(secrets, answer);
  // A header name cannot carry the mark: the header goes.
  CHECK(answer.headers == Headers{{"www-authenticate", "Bearer error=\"[redacted]\""},
                                  {"content-type", "application/json"}});
  CHECK(answer.body == "{\"error\":\"bad key [redacted]\"}");
}
