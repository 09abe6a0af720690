// URLs from configs (base_url, token_uri, graph_base...) and the Location a provider
// redirects to (probe_net/url.hpp). Input: "<url>\n<location>"; without a newline the whole
// input is the URL and the location.
//
// Invariants: a parsed URL is http(s) with a host and a target starting with "/" and
// free of spaces and controls (it goes on the wire verbatim); written back out it parses
// to the same parts; a resolved Location is held to the same rules.
#include <algorithm>
#include <string>
#include <string_view>

#include "probe_net/url.hpp"
#include "support/fuzz_check.hpp"

namespace {

using switchboard::probe::Url;

void CheckUrl(const Url& url, const char* what) {
  std::string w(what);
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https", w + ": scheme is http or https");
  FUZZ_CHECK(!url.host.empty(), w + ": has a host");
  FUZZ_CHECK(url.port != 0, w + ": has a port");
  FUZZ_CHECK(!url.target.empty() && url.target[0] == '/', w + ": target starts with /");
  FUZZ_CHECK(std::none_of(url.target.begin(), url.target.end(),
                          [](unsigned char c) { return c <= 0x20 || c == 0x7f; }),
             w + ": target has no space or control character");
  FUZZ_CHECK(url.host.find_first_of("/?#@ \r\n") == std::string::npos, w + ": host is only a host");
  auto again = switchboard::probe::ParseUrl(url.scheme + "://" + url.HostHeader() + url.target);
  FUZZ_CHECK(again.ok(), w + ": written back out, it parses");
  FUZZ_CHECK(again->scheme == url.scheme && again->host == url.host && again->port == url.port &&
                 again->target == url.target,
             w + ": written back out, it parses to the same parts");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string text(input.substr(0, newline));
  std::string location(newline == std::string_view::npos ? input : input.substr(newline + 1));

  auto url = switchboard::probe::ParseUrl(text);
  if (url.ok()) CheckUrl(*url, "parsed URL");
  Url base = url.ok() ? *url : *switchboard::probe::ParseUrl("https://api.example.com/v1/models?x=1");
  auto resolved = switchboard::probe::ResolveLocation(base, location);
  if (resolved.ok()) CheckUrl(*resolved, "resolved Location");
  return 0;
}
