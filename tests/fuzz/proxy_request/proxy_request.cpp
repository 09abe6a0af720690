// What a caller asks the proxy for (probe/proxy_rules.hpp). Input: "<path>\n<query>\n"
// then header lines "Name: value", one per line.
//
// Invariants: a path the rules accept yields a URL to the granted origin (same scheme,
// host and port when parsed) under the base path, with no '.' or '..' segment, no empty
// segment, no '@', backslash, encoded dot or slash and no space or control byte after the
// base path; the headers sent are the grant's plus the caller's minus its credentials,
// Accept-Encoding and hop-by-hop ones; the same bytes as a provider's answer keep no
// secret after RedactAnswer.
#include <string>
#include <string_view>

#include "probe/proxy_rules.hpp"
#include "probe_net/url.hpp"
#include "support/fuzz_check.hpp"

namespace {

using namespace switchboard;
using namespace switchboard::probe;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ProxyCall call;
  size_t line = input.find('\n');
  call.path = std::string(input.substr(0, line));
  std::string_view rest = line == std::string_view::npos ? std::string_view() : input.substr(line + 1);
  line = rest.find('\n');
  call.query = std::string(rest.substr(0, line));
  rest = line == std::string_view::npos ? std::string_view() : rest.substr(line + 1);
  while (!rest.empty()) {
    line = rest.find('\n');
    std::string_view header = rest.substr(0, line);
    size_t colon = header.find(':');
    if (colon != std::string_view::npos) {
      call.headers.emplace_back(std::string(header.substr(0, colon)), std::string(header.substr(colon + 1)));
    }
    rest = line == std::string_view::npos ? std::string_view() : rest.substr(line + 1);
  }

  const AuthorizedOrigin origin{"https://api.example.com", "/v1"};
  const std::map<std::string, std::string> grant_query = {{"key", "K"}};
  const Headers grant_headers = {{"authorization", "Bearer granted"}};
  if (CheckProxyPath(call.path).ok() && CheckProxyQuery(call.query).ok()) {
    const std::string url = ProxyUrl(origin, call, grant_query);
    const std::string prefix = origin.origin + origin.base_path;
    FUZZ_CHECK(url.compare(0, prefix.size(), prefix) == 0, "the URL starts with the origin and base path");
    const std::string tail = WithoutQuery(url).substr(prefix.size());
    FUZZ_CHECK(tail.empty() || tail[0] == '/', "the path follows the base path at a slash");
    for (const char* bad : {"/../", "/./", "//", "@", "\\", "%2e", "%2E", "%2f", "%2F"}) {
      FUZZ_CHECK(tail.find(bad) == std::string::npos, std::string("no ") + bad + " after the base path");
    }
    FUZZ_CHECK(tail.size() < 3 || tail.compare(tail.size() - 3, 3, "/..") != 0, "no trailing '..'");
    for (unsigned char c : url) FUZZ_CHECK(c > 0x20 && c < 0x7f, "no space, control or non-ASCII byte");
    auto parsed = ParseUrl(url);
    FUZZ_CHECK(parsed.ok(), "the URL parses");
    FUZZ_CHECK(parsed->scheme == "https" && parsed->host == "api.example.com" && parsed->port == 443,
               "the URL goes to the granted origin");
  }
  const Headers sent = ForwardedHeaders(call.headers, grant_headers);
  FUZZ_CHECK(sent.at("authorization") == "Bearer granted", "the grant's Authorization wins");
  for (const auto& [name, value] : sent) {
    FUZZ_CHECK(name == Lower(name), "names are lower-case");
    for (const char* dropped : {"cookie", "host", "connection", "transfer-encoding", "content-length",
                                "accept-encoding", "proxy-authorization", "keep-alive", "upgrade", "te"}) {
      FUZZ_CHECK(name != dropped, std::string(dropped) + " is never forwarded");
    }
  }

  // The same bytes as a provider's answer (the header lines, the path as its body): after
  // RedactAnswer no spelling of the secret is left, in any case, in a name, value or body.
  SecretRedactor secrets;
  const std::string secret = "sk-fuzz-0123456789secret";
  secrets.Add(secret);
  HttpResponse answer{200, {}, call.path + call.query};
  for (const auto& [name, value] : call.headers) answer.headers[Lower(name)] = value;
  RedactAnswer(secrets, answer);
  FUZZ_CHECK(Lower(answer.body).find(secret) == std::string::npos, "no secret in the answer's body");
  for (const auto& [name, value] : answer.headers) {
    FUZZ_CHECK(name.find(secret) == std::string::npos, "no secret in an answer's header name");
    FUZZ_CHECK(Lower(value).find(secret) == std::string::npos, "no secret in an answer's header value");
  }
  return 0;
}
