// The SDK's helper headers on their own, as a plugin author relies on them: verdict
// factories, reading untrusted JSON, text helpers, and the oauth helpers that quote a
// provider's text (Excerpt, Scrub).
#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/oauth2_probe.hpp>
#include <switchboard/oauth_util.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/text_util.hpp>

namespace switchboard {
namespace {

using Json = nlohmann::json;

// Serializing strictly, as the SDK's trampolines do, throws on text that is not UTF-8.
bool SerializesStrictly(const std::string& text) {
  try {
    (void)Json(text).dump();
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

TEST_CASE("Excerpt cuts long provider text between UTF-8 characters, never inside one") {
  for (const std::string character : {"\u00e9", "\u20ac", "\U0001F600"}) {  // 2, 3, 4 bytes
    for (size_t lead = 0; lead < character.size(); ++lead) {
      INFO(character.size() << "-byte characters after " << lead << " ASCII bytes");
      std::string text(lead, 'x');
      while (text.size() < 300) text += character;
      const std::string cut = oauth::Excerpt(text);
      CHECK(SerializesStrictly(cut));
      REQUIRE(cut.size() >= 3);
      CHECK(cut.substr(cut.size() - 3) == "...");
      const std::string kept = cut.substr(0, cut.size() - 3);
      CHECK(kept.size() <= 200);
      CHECK(kept.size() > 200 - character.size());
      CHECK(text.compare(0, kept.size(), kept) == 0);
    }
  }
  CHECK(oauth::Excerpt("AADSTS700082: expired.\r\nTrace ID: 1") == "AADSTS700082: expired.");
  CHECK(oauth::Excerpt("short") == "short");
  CHECK(oauth::Excerpt(std::string(200, 'a')) == std::string(200, 'a'));
}

TEST_CASE("Scrub replaces every occurrence of each secret, even one inside its own marker") {
  CHECK(oauth::Scrub("key sk-123456 and sk-123456", {"sk-123456"}) == "key [redacted] and [redacted]");
  CHECK(oauth::Scrub("abc", {"ab"}) == "abc");  // too short to be a credential
  // A secret that also occurs in "[redacted]" must not be found again in the marker.
  CHECK(oauth::Scrub("the word redacted", {"redacted"}) == "the word [redacted]");
  CHECK(oauth::Scrub("dact dact", {"dact"}) == "[redacted] [redacted]");
}

TEST_CASE("verdict factories set the outcome of the ABI and nothing else") {
  ProbeResult valid = Valid("works");
  CHECK(valid.outcome == Outcome::kValid);
  CHECK(valid.reason == "ok");
  CHECK(valid.message == "works");
  ProbeResult invalid = Invalid("invalid_grant", "refused", "refresh_token");
  CHECK(invalid.outcome == Outcome::kInvalidCredentials);
  CHECK(invalid.field == "refresh_token");
  ProbeResult missing = MissingPermission("insufficient_scope", "no scope");
  CHECK(missing.outcome == Outcome::kMissingPermission);
  CHECK(missing.field.empty());
  ProbeResult transient = Transient("rate_limited", "later", 7.5);
  CHECK(transient.outcome == Outcome::kTransient);
  REQUIRE(transient.retry_after_seconds.has_value());
  CHECK(*transient.retry_after_seconds == Approx(7.5));
  CHECK_FALSE(Transient("server_error", "later").retry_after_seconds.has_value());
  for (const ProbeResult& r : {valid, invalid, missing, transient}) {
    CHECK(r.config_update == Json::object());
    CHECK(r.expires_at.empty());
  }
  CHECK(Verdict(Outcome::kMissingPermission, "r", "m", "f").outcome == Outcome::kMissingPermission);
}

TEST_CASE("VerdictSummary names outcome, reason and field, never the message") {
  CHECK(VerdictSummary(Invalid("invalid_grant", "said sk-secret", "refresh_token")) ==
        "invalid_credentials (invalid_grant, field refresh_token)");
  CHECK(VerdictSummary(Valid("works")) == "valid (ok)");
}

TEST_CASE("RetryAfter reads delta-seconds only; a missing, empty or dated header gives none") {
  CHECK(RetryAfter({429, {{"retry-after", "17"}}, ""}).value_or(-1) == Approx(17));
  CHECK(RetryAfter({429, {{"retry-after", "1.5"}}, ""}).value_or(-1) == Approx(1.5));
  CHECK_FALSE(RetryAfter({429, {}, ""}).has_value());
  CHECK_FALSE(RetryAfter({429, {{"retry-after", ""}}, ""}).has_value());
  CHECK_FALSE(RetryAfter({429, {{"retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"}}, ""}).has_value());
  CHECK_FALSE(RetryAfter({429, {{"retry-after", "-3"}}, ""}).has_value());
}

TEST_CASE("Header: absent and empty both read as \"\"; headers.count tells them apart") {
  HttpResponse response{200, {{"x-empty", ""}, {"x-list", "a, b"}}, ""};
  CHECK(response.Header("x-empty").empty());
  CHECK(response.Header("x-absent").empty());
  CHECK(response.headers.count("x-empty") == 1);
  CHECK(response.headers.count("x-absent") == 0);
  CHECK(response.Header("x-list") == "a, b");
  CHECK(response.Header("X-List").empty());  // names are lower-case
}

TEST_CASE("ErrorCode reads the two common error shapes and falls back on anything else") {
  CHECK(ErrorCode(R"({"error": "invalid_grant", "error_description": "x"})", "f") == "invalid_grant");
  CHECK(ErrorCode(R"({"error": {"code": "invalid_api_key", "message": "x"}})", "f") == "invalid_api_key");
  for (const char* body : {"", "<html>Bad Gateway</html>", "[1,2]", R"({"error": ""})",
                           R"({"error": 401})", R"({"error": {"code": 401}})", R"({"message": "x"})",
                           "{\"error\": \"unterminated"}) {
    INFO(body);
    CHECK(ErrorCode(body, "fallback") == "fallback");
  }
}

TEST_CASE("json_util reads untrusted JSON without throwing") {
  const Json config = {{"base_url", ""}, {"tenant", "contoso"}, {"port", 443},
                       {"scopes", {"openid", "", 7, "email"}}};
  CHECK(StringField(config, "tenant") == "contoso");
  CHECK(StringField(config, "port").empty());
  CHECK(StringField(Json::array(), "tenant").empty());
  CHECK(StringFieldOr(config, "base_url", "https://d") == "https://d");  // empty means default
  CHECK(StringFieldOr(config, "absent", "https://d") == "https://d");
  CHECK(StringFieldOr(config, "port", "443") == "443");
  CHECK(StringFieldOr(config, "tenant", "common") == "contoso");
  CHECK(StringList(config, "scopes") == std::vector<std::string>{"openid", "email"});
  CHECK(StringList(config, "tenant").empty());
  CHECK(ParseObject("<html>").empty());
  CHECK(ParseObject(R"({"a": 1})")["a"] == 1);
}

TEST_CASE("text_util: ASCII case folding and prefixes") {
  CHECK(Lower("Mail.Read CAF\u00c9") == "mail.read caf\u00c9");  // only A-Z changes
  CHECK(StartsWith("sk-admin-x", "sk-admin-"));
  CHECK_FALSE(StartsWith("sk", "sk-"));
  CHECK(EndsWith("x.apps.googleusercontent.com", ".apps.googleusercontent.com"));
  CHECK_FALSE(EndsWith("com", ".com"));
}

TEST_CASE("Rfc3339Utc formats a time for expires_at, in UTC") {
  CHECK(Rfc3339Utc(std::chrono::system_clock::time_point{}) == "1970-01-01T00:00:00Z");
  CHECK(Rfc3339Utc(std::chrono::system_clock::time_point{std::chrono::seconds(1951041600)}) ==
        "2031-10-29T12:00:00Z");
}

// Secrets travel to a token endpoint: plain http is allowed to this machine only, and a
// public name that merely starts with "127." is not this machine.
TEST_CASE("IsSafeEndpoint: https anywhere, http only to a loopback address or localhost") {
  for (const char* url : {"https://oauth2.googleapis.com/token", "http://127.0.0.1:8080/token",
                          "http://127.1.2.3/token", "http://localhost:9/x", "http://LocalHost/x",
                          "http://[::1]:8080/x"}) {
    INFO(url);
    CHECK(oauth::IsSafeEndpoint(url));
  }
  for (const char* url : {"http://127.evil.example/token", "http://127.0.0.1.nip.io/token",
                          "http://10.0.0.5/token", "http://localhost.example/x", "ftp://127.0.0.1/x",
                          "127.0.0.1/token", "http:///token"}) {
    INFO(url);
    CHECK_FALSE(oauth::IsSafeEndpoint(url));
  }
  CHECK(oauth::SplitUrl("https://user:pw@Login.Example.com:443/t?q").host == "Login.Example.com");
  CHECK(oauth::SplitUrl("http://[::1]:8080/x").host == "[::1]");
}

TEST_CASE("oauth2_probe scope helpers") {
  CHECK(oauth::JoinScopes({"openid", "Mail.Read"}) == "openid Mail.Read");
  CHECK(oauth::SplitScopes("  openid  Mail.Read ") == std::vector<std::string>{"openid", "Mail.Read"});
  HttpRequest token = oauth::TokenRequestTo("https://t.example/token", {{"a", "1 2"}, {"b", "&"}});
  CHECK(token.method == "POST");
  CHECK(token.body == "a=1%202&b=%26");
  CHECK(token.headers.at("content-type") == "application/x-www-form-urlencoded");
  HttpRequest api = oauth::BearerGet("https://api.example/me", "at");
  CHECK(api.method == "GET");
  CHECK(api.headers.at("authorization") == "Bearer at");
}

}  // namespace
}  // namespace switchboard
