// The host-side redactor of probe verdicts: every spelling of a secret, the short-secret
// rule, excerpts cut inside a secret, and credentials harvested from requests, answers
// and plugin state.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "secrets/secret_redactor.hpp"
#include "secrets/encoding.hpp"

using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::SecretRedactor;

namespace {

std::string B64(const std::string& text, bool url_safe, bool padded) {
  std::string out = switchboard::encoding::Base64UrlEncode(
      std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
  if (!url_safe) {
    for (char& c : out) c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  while (padded && out.size() % 4 != 0) out.push_back('=');
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a secret is redacted in every spelling", "[redactor]") {
  const std::string secret = "1//0g-Ab+c/d=e f~\"q\\";
  SecretRedactor redactor;
  redactor.Add(secret);
  const std::vector<std::string> spellings = {
      secret,
      "1%2F%2F0g-Ab%2Bc%2Fd%3De%20f~%22q%5C",     // RFC 3986, upper hex
      "1%2f%2f0g-Ab%2bc%2fd%3de+f~%22q%5c",       // lower hex, form space
      "1%2F%2F0g%2DAb%2Bc%2Fd%3De%20f%7E%22q%5C", // every non-alphanumeric
      "1//0g-Ab+c/d=e f~\\\"q\\\\",               // JSON-escaped
      "1\\/\\/0g-Ab+c\\/d=e f~\\\"q\\\\",         // JSON with escaped slashes
      B64(secret, false, true), B64(secret, false, false), B64(secret, true, false), B64(secret, true, true),
  };
  for (const auto& spelling : spellings) {
    const std::string out = redactor.Redact("The provider said: <" + spelling + "> is wrong.");
    INFO(spelling << " -> " << out);
    CHECK_FALSE(Contains(out, spelling));
    CHECK(out == "The provider said: <[redacted]> is wrong.");
  }
}

TEST_CASE("a secret inside a longer base64 value is redacted at every alignment", "[redactor]") {
  const std::string secret = "GOCSPX-client-secret-value";
  SecretRedactor redactor;
  redactor.Add(secret);
  for (const std::string prefix : {"id:", "ab:", "a:", "client:"}) {
    const std::string basic = B64(prefix + secret, false, true);
    const std::string out = redactor.Redact("Basic " + basic + " refused");
    INFO(prefix << " " << basic << " -> " << out);
    // What is left of the encoding is the prefix's own characters and at most the
    // padding and the one character shared with the secret's last byte.
    const auto mark = out.find("[redacted]");
    REQUIRE(mark != std::string::npos);
    const size_t before = mark - std::string("Basic ").size();
    const size_t after = out.size() - mark - std::string("[redacted]").size() - std::string(" refused").size();
    CHECK(before <= (prefix.size() * 8 + 5) / 6 + 1);
    CHECK(after <= 3);
  }
}

TEST_CASE("short secrets: ignored below 4 bytes, whole tokens only below 8", "[redactor]") {
  SecretRedactor tiny;
  tiny.Add("abc");
  CHECK(tiny.needle_count() == 0);
  CHECK(tiny.Redact("abc abcdef") == "abc abcdef");

  SecretRedactor short_secret;
  short_secret.Add("test");
  CHECK(short_secret.Redact("a test of the latest tests") == "a [redacted] of the latest tests");
  CHECK(short_secret.Redact("key=test&x=1") == "key=[redacted]&x=1");

  SecretRedactor long_secret;
  long_secret.Add("sk-longer");
  CHECK(long_secret.Redact("xxsk-longeryy") == "xx[redacted]yy");
}

TEST_CASE("an excerpt cut inside a secret loses the cut-off start too", "[redactor]") {
  SecretRedactor redactor;
  redactor.Add("sk-proj-0123456789abcdef");
  CHECK(redactor.Redact("Incorrect API key provided: sk-proj-0123...") == "Incorrect API key provided: [redacted]...");
  CHECK(redactor.Redact("Incorrect API key provided: sk-proj-01") == "Incorrect API key provided: [redacted]");
  // Without an ellipsis a short common start is left alone.
  CHECK(redactor.Redact("keys start with sk-p") == "keys start with sk-p");
}

TEST_CASE("overlapping spellings are redacted once", "[redactor]") {
  SecretRedactor redactor;
  redactor.Add("alpha-secret-1");
  redactor.Add("secret-1-beta");
  CHECK(redactor.Redact("x alpha-secret-1-beta y") == "x [redacted] y");
}

TEST_CASE("credentials a probe request carries are harvested", "[redactor]") {
  SecretRedactor redactor;
  HttpRequest bearer;
  bearer.url = "https://api.example.com/v1/me?key=trellokey1234&token=trellotoken5678&fields=id";
  bearer.headers["authorization"] = "Bearer ya29.access-token-value";
  bearer.headers["x-api-key"] = "header-key-value";
  redactor.AddFromRequest(bearer);
  HttpRequest basic;
  basic.method = "POST";
  basic.headers["authorization"] = "Basic " + B64("client-id:client%2Fsecret/x", false, true);
  basic.body = "grant_type=refresh_token&refresh_token=1%2F%2Frefresh-value&scope=a+b";
  redactor.AddFromRequest(basic);
  const std::string text =
      "saw ya29.access-token-value, header-key-value, trellokey1234, trellotoken5678, client%2Fsecret/x, "
      "1//refresh-value, 1%2F%2Frefresh-value; kept refresh_token scope fields id";
  const std::string out = redactor.Redact(text);
  INFO(out);
  for (const std::string leaked : {"ya29", "header-key", "trellokey", "trellotoken", "client%2F", "refresh-value"}) {
    CHECK_FALSE(Contains(out, leaked));
  }
  CHECK(Contains(out, "kept refresh_token scope fields id"));
}

TEST_CASE("tokens in an answer and in plugin state are harvested", "[redactor]") {
  SecretRedactor redactor;
  HttpResponse token;
  token.status = 200;
  token.body = R"({"access_token":"ya29.issued-access","refresh_token":"1//rotated-refresh","token_type":"Bearer","expires_in":3599,"scope":"calendar"})";
  redactor.AddFromResponse(token);
  redactor.AddFromJson({{"stage", "api"}, {"nested", {{"id_token", "eyJhbGciOi.jwt-part"}}}});
  const std::string out = redactor.Redact("ya29.issued-access 1//rotated-refresh eyJhbGciOi.jwt-part Bearer api calendar");
  CHECK(out == "[redacted] [redacted] [redacted] Bearer api calendar");

  SecretRedactor deep;
  HttpResponse hostile;
  hostile.body = std::string(100000, '[');
  deep.AddFromResponse(hostile);  // neither parsed nor a crash
  CHECK(deep.needle_count() == 0);
}

TEST_CASE("a verdict's reason, message and field are redacted, its config update is not", "[redactor]") {
  SecretRedactor redactor;
  redactor.AddFields({{"api_key", "sk-verdict-secret"}, {"base_url", "https://x"}}, {"api_key"});
  switchboard::ProbeResult result;
  result.reason = "bad sk-verdict-secret";
  result.message = "The key sk-verdict-secret was refused";
  result.field = "api_key";
  result.config_update = {{"api_key", "sk-verdict-secret"}};
  redactor.Redact(result);
  CHECK(result.reason == "bad [redacted]");
  CHECK(result.message == "The key [redacted] was refused");
  CHECK(result.field == "api_key");
  CHECK(result.config_update["api_key"] == "sk-verdict-secret");
  CHECK_FALSE(Contains(redactor.Redact("https://x"), "[redacted]"));
}
