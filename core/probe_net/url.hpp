// The parts of an http:// or https:// URL the HTTP client needs. Parse errors name the
// problem but never echo the URL: a query string can carry credentials (Trello key/token).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.hpp"

namespace switchboard::probe {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-case; an IPv6 literal without brackets
  uint16_t port = 0;   // the default for the scheme when the URL has none
  std::string target;  // path and query, starting with "/"; the fragment dropped

  bool https() const { return scheme == "https"; }
  bool host_is_ipv6_literal() const { return host.find(':') != std::string::npos; }
  // "host" or "host:port" when the port is not the scheme's default; "[::1]:8080".
  std::string HostHeader() const;
  // "host:port" for messages; never includes the target.
  std::string Authority() const;
  bool SameOrigin(const Url& other) const {
    return scheme == other.scheme && host == other.host && port == other.port;
  }
};

// Fails with code "bad_url". User info ("user:pass@host") is refused rather than sent.
Result<Url> ParseUrl(const std::string& text);

// Where a redirect's Location points, resolved against the URL that answered.
Result<Url> ResolveLocation(const Url& base, const std::string& location);

}  // namespace switchboard::probe
