// CheckAuthorization: each rule a grant must follow before the host sends a connection's
// credentials anywhere, with both sides of each limit.
#include "plugins/authorization_check.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "plugins/plugin_limits.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;

Authorization Good() {
  Authorization a;
  a.headers["authorization"] = "Bearer sk-secret";
  a.origins = {{"https://api.example.com", "/v1"}};
  return a;
}

Authorization WithOrigin(const std::string& origin, const std::string& base_path = "") {
  Authorization a = Good();
  a.origins = {{origin, base_path}};
  return a;
}

bool Accepted(const Authorization& a) { return CheckAuthorization(a).ok(); }
bool OriginOk(const std::string& origin) { return Accepted(WithOrigin(origin)); }
bool BasePathOk(const std::string& path) { return Accepted(WithOrigin("https://api.example.com", path)); }

TEST_CASE("authorization check: a plain grant passes") {
  CHECK(Accepted(Good()));
  Authorization full = Good();
  full.query["key"] = "k";
  full.expires_at = "2030-01-01T00:00:00Z";
  full.config_update = {{"refresh_token", "r2"}};
  CHECK(Accepted(full));
}

TEST_CASE("authorization check: 1 to 16 origins") {
  Authorization none = Good();
  none.origins.clear();
  CHECK_FALSE(Accepted(none));
  Authorization sixteen = Good();
  sixteen.origins.assign(kMaxAuthorizedOrigins, {"https://api.example.com", ""});
  CHECK(Accepted(sixteen));
  sixteen.origins.push_back({"https://api.example.com", ""});
  auto refused = CheckAuthorization(sixteen);
  CHECK(refused.Is(Code::kTooLarge));
}

TEST_CASE("authorization check: an origin is exactly scheme://host[:port], canonical") {
  for (const char* good : {"https://api.example.com", "https://api.example.com:8443", "https://a",
                           "https://1.2.3.4", "https://[2001:db8::1]", "https://[2001:db8::1]:8443",
                           "https://under_score.example.com", "https://x:1", "https://x:65535",
                           "http://127.0.0.1", "http://127.9.8.7:8080", "http://[::1]:9000",
                           "http://localhost:3000", "https://xn--bcher-kva.example"}) {
    INFO(good);
    CHECK(OriginOk(good));
  }
  for (const char* bad : {
           "", "api.example.com", "ftp://api.example.com", "HTTPS://api.example.com", "https:/api.example.com",
           "https://", "https://API.example.com", "https://api.example.com/", "https://api.example.com/v1",
           "https://api.example.com?x=1", "https://api.example.com#f", "https://user@api.example.com",
           "https://user:pw@api.example.com", "https://api.example.com:443", "http://localhost:80",
           "https://api.example.com:0", "https://api.example.com:65536", "https://api.example.com:08443",
           "https://api.example.com:", "https://api.example.com:x", "https://api.example.com.",
           "https://api..example.com", "https://-api.example.com", "https://api-.example.com",
           "https://api example.com", "https://api%2eexample.com", "https://api.example.com\n",
           "https://b\xc3\xbc" "cher.example", "https://1.2.3", "https://01.2.3.4", "https://256.1.1.1",
           "https://example.123", "https://[2001:DB8::1]", "https://[2001:db8:0:0:0:0:0:1]",
           "https://[fe80::1%25eth0]", "https://[::1", "https://[::1]x", "https://[::1]:"}) {
    INFO(bad);
    CHECK_FALSE(OriginOk(bad));
  }
  // A DNS label is at most 63 bytes, a name at most 253.
  CHECK(OriginOk("https://" + std::string(63, 'a') + ".example.com"));
  CHECK_FALSE(OriginOk("https://" + std::string(64, 'a') + ".example.com"));
  std::string name;
  while (name.size() < 250) name += std::string(49, 'b') + ".";
  name += "com";
  REQUIRE(name.size() == 253);
  CHECK(OriginOk("https://" + name));
  CHECK_FALSE(OriginOk("https://b" + name));
}

TEST_CASE("authorization check: plain http only to a loopback host") {
  CHECK(OriginOk("http://127.0.0.1:8080"));
  CHECK(OriginOk("http://127.255.255.254"));
  CHECK(OriginOk("http://[::1]"));
  CHECK(OriginOk("http://localhost"));
  for (const char* remote : {"http://api.example.com", "http://128.0.0.1", "http://10.0.0.1",
                             "http://[2001:db8::1]", "http://localhost.example.com", "http://0.0.0.0"}) {
    INFO(remote);
    auto refused = CheckAuthorization(WithOrigin(remote));
    CHECK(refused.Is(Code::kPluginOutputInvalid));
    CHECK_THAT(refused.message(), Contains("loopback"));
  }
}

TEST_CASE("authorization check: base_path rules and its 512-byte limit") {
  for (const char* good : {"", "/v1", "/v1/x", "/calendar/v3", "/a-b_c.d~e", "/v1.0", "/..."}) {
    INFO(good);
    CHECK(BasePathOk(good));
  }
  for (const char* bad : {"/", "v1", "/v1/", "//v1", "/v1//x", "/./v1", "/v1/.", "/v1/../x", "/..",
                          "/v%31", "/v1?x", "/v1#x", "/v1\\x", "/v 1", "/v1\x01", "/v1\x7f", "/b\xc3\xbc"}) {
    INFO(bad);
    CHECK_FALSE(BasePathOk(bad));
  }
  CHECK(BasePathOk("/" + std::string(kMaxAuthorizedBasePathBytes - 1, 'a')));
  CHECK_FALSE(BasePathOk("/" + std::string(kMaxAuthorizedBasePathBytes, 'a')));
}

TEST_CASE("authorization check: header names are lower-case tokens the host does not control") {
  auto with_header = [](const std::string& name, const std::string& value = "v") {
    Authorization a = Good();
    a.headers[name] = value;
    return a;
  };
  for (const char* good : {"x-api-key", "openai-organization", "x!#$%&'*+.^_`|~1"}) {
    INFO(good);
    CHECK(Accepted(with_header(good)));
  }
  for (const char* bad : {"", "Authorization", "X-Api-Key", "x api", "x:y", "x\"y", "x(y)", "x\ty", "b\xc3\xbc"}) {
    INFO(bad);
    CHECK_FALSE(Accepted(with_header(bad)));
  }
  for (const char* controlled : {"host", "content-length", "transfer-encoding", "connection", "keep-alive",
                                 "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection"}) {
    INFO(controlled);
    auto refused = CheckAuthorization(with_header(controlled));
    CHECK(refused.Is(Code::kPluginOutputInvalid));
    CHECK_THAT(refused.message(), Contains("only the host sets"));
  }
  CHECK(Accepted(with_header("tea")));  // only "te" itself is the host's
  CHECK(Accepted(with_header("x-proxy")));
}

TEST_CASE("authorization check: header values without CR, LF or NUL, and never quoted") {
  auto with_value = [](const std::string& value) {
    Authorization a = Good();
    a.headers["x-key"] = value;
    return a;
  };
  CHECK(Accepted(with_value("a b\tc")));
  for (const std::string& bad : {std::string("sk-1\r\nhost: evil"), std::string("sk-1\n"), std::string("sk-1\r"),
                                 std::string("sk-1\0x", 6)}) {
    auto refused = CheckAuthorization(with_value(bad));
    CHECK(refused.Is(Code::kPluginOutputInvalid));
    CHECK_THAT(refused.message(), !Contains("sk-1"));
  }
}

TEST_CASE("authorization check: at most 64 headers, 8 KiB of them") {
  Authorization many = Good();
  many.headers.clear();
  for (size_t i = 0; i < kMaxAuthorizationHeaders; ++i) many.headers["x-h" + std::to_string(i)] = "v";
  CHECK(Accepted(many));
  many.headers["x-one-more"] = "v";
  CHECK(CheckAuthorization(many).Is(Code::kTooLarge));

  Authorization big = Good();
  big.headers.clear();
  const std::string name = "x-big";
  big.headers[name] = std::string(kMaxAuthorizationHeaderBytes - name.size(), 'a');
  CHECK(Accepted(big));
  big.headers[name] += "a";
  auto refused = CheckAuthorization(big);
  CHECK(refused.Is(Code::kTooLarge));
  CHECK_THAT(refused.message(), !Contains("aaaa"));
}

TEST_CASE("authorization check: query parameters, at most 16 and 8 KiB, named, UTF-8") {
  Authorization a = Good();
  for (size_t i = 0; i < kMaxAuthorizationQueryParameters; ++i) a.query["q" + std::to_string(i)] = "v";
  CHECK(Accepted(a));
  a.query["one_more"] = "v";
  CHECK(CheckAuthorization(a).Is(Code::kTooLarge));

  Authorization big = Good();
  big.query["k"] = std::string(kMaxAuthorizationQueryBytes - 1, 'a');
  CHECK(Accepted(big));
  big.query["k"] += "a";
  CHECK(CheckAuthorization(big).Is(Code::kTooLarge));

  Authorization unnamed = Good();
  unnamed.query[""] = "v";
  CHECK_FALSE(Accepted(unnamed));
  Authorization not_utf8 = Good();
  not_utf8.query["k"] = "\xff\xfe";
  CHECK_FALSE(Accepted(not_utf8));
  Authorization unicode = Good();
  unicode.query["k"] = "b\xc3\xbc" "cher";
  CHECK(Accepted(unicode));
}

TEST_CASE("authorization check: expires_at is empty or RFC 3339") {
  Authorization a = Good();
  for (const char* good : {"", "2030-01-01T00:00:00Z", "2030-01-01T00:00:00.123+02:00", "2028-02-29t10:00:00z"}) {
    INFO(good);
    a.expires_at = good;
    CHECK(Accepted(a));
  }
  for (const char* bad : {"tomorrow", "2030-01-01", "2030-01-01 00:00:00Z", "2027-02-29T00:00:00Z", "1893456000"}) {
    INFO(bad);
    a.expires_at = bad;
    CHECK_FALSE(Accepted(a));
  }
}

TEST_CASE("authorization check: config_update is an object of at most 32 strings") {
  Authorization a = Good();
  for (int i = 0; i < 32; ++i) a.config_update["f" + std::to_string(i)] = "v";
  CHECK(Accepted(a));
  a.config_update["f32"] = "v";
  CHECK(CheckAuthorization(a).Is(Code::kTooLarge));

  for (const nlohmann::json& bad : {nlohmann::json{{"token", 42}}, nlohmann::json{{"token", nullptr}},
                                    nlohmann::json{{"token", {{"nested", "x"}}}}, nlohmann::json::array()}) {
    Authorization b = Good();
    b.config_update = bad;
    CHECK_FALSE(Accepted(b));
  }
}

TEST_CASE("authorization check: a refusal's reason names the rule, never a long or unprintable origin") {
  auto refused = CheckAuthorization(WithOrigin("https://api.example.com/v1"));
  CHECK_THAT(refused.message(), Contains("'https://api.example.com/v1'") && Contains("path"));
  auto hidden = CheckAuthorization(WithOrigin("https://x\x1b[31m.example.com"));
  CHECK_FALSE(hidden.ok());
  CHECK_THAT(hidden.message(), !Contains("\x1b"));
}

}  // namespace
}  // namespace switchboard
