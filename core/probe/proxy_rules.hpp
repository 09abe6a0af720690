// The rules of the proxy that do not need a network: which paths a caller may ask for,
// the URL a proxied request goes to, and which headers cross in each direction.
//
// Credentials go only to the first origin the plugin granted, under its base path: the
// caller chooses the rest of the path and the query, never the scheme, host or port, and
// a path that could climb out of the base path or be read as another authority ("..",
// ".", encoded dots or slashes, "//", "@", a backslash) is refused. The caller's own
// credentials (Authorization, Cookie: they are Switchboard's) and the hop-by-hop headers
// never reach the provider; its Set-Cookie and hop-by-hop headers never reach the caller.
// Accept-Encoding is not forwarded: answers come uncompressed, so the secrets a provider
// quotes back can be found and taken out.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/authorize.hpp>
#include <switchboard/probe.hpp>

#include "common/status.hpp"
#include "secrets/secret_redactor.hpp"

namespace switchboard::probe {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

inline constexpr size_t kMaxProxyPathBytes = 4096;
inline constexpr size_t kMaxProxyQueryBytes = 8192;

// A request to proxy, as the caller sent it.
struct ProxyCall {
  std::string method;
  std::string path;   // as received (percent-encoded) after ".../proxy": "" or "/..."
  std::string query;  // as received, without the '?'
  HeaderPairs headers;
  std::string body;
};

// ok, or path_refused saying why.
Status CheckProxyPath(const std::string& path);
// ok, or path_refused: a query with bytes a request target cannot carry.
Status CheckProxyQuery(const std::string& query);

// origin + base path + path, and the query: the caller's parameters except those the
// grant sets, then the grant's (percent-encoded).
std::string ProxyUrl(const AuthorizedOrigin& origin, const ProxyCall& call,
                     const std::map<std::string, std::string>& grant_query);

// The caller's headers that go on to the provider (lower-case names, repeated ones
// joined), then the grant's, which win.
Headers ForwardedHeaders(const HeaderPairs& caller, const Headers& grant);

// The provider's headers that go back to the caller.
HeaderPairs ReturnedHeaders(const Headers& provider);

// Takes every secret `secrets` knows out of a provider's `answer`: redacted from the body
// and header values; a header whose name holds one is dropped (no header name can carry
// the mark).
void RedactAnswer(const SecretRedactor& secrets, HttpResponse& answer);

// The URL without its query: what classification and logs may see of a request whose
// query carries credentials (Trello's key and token).
std::string WithoutQuery(const std::string& url);

}  // namespace switchboard::probe
