// Turning a configured base URL into the AuthorizedOrigin a grant lists (ABI 1.1), so
// that every plugin spells origins the way the host compares them:
//
//   OriginOfBaseUrl("https://API.OpenAI.com:443/v1/")  -> {"https://api.openai.com", "/v1"}
//   OriginOfBaseUrl("http://127.0.0.1:8443")           -> {"http://127.0.0.1:8443", ""}
//   OriginOfBaseUrl("ftp://x"), ("https://u:p@host")   -> nullopt
//
// Pure functions of their input: callable from any thread. Header-only, no dependencies
// beyond authorize.hpp.
#ifndef SWITCHBOARD_ORIGIN_UTIL_HPP
#define SWITCHBOARD_ORIGIN_UTIL_HPP

#include <cctype>
#include <optional>
#include <string>

#include "switchboard/authorize.hpp"
#include "switchboard/http_util.hpp"
#include "switchboard/text_util.hpp"

namespace switchboard {

// The origin (RFC 6454 serialization: lower-case scheme and host, the port only when it
// is not the scheme's default) and the base path (the URL's path without its trailing
// slashes, "" for none; query and fragment dropped) of an http or https base URL.
// nullopt for anything else: another scheme, no host, user info ("user@host": a grant
// must never carry a password in its origin), a port that is not a number in 1..65535,
// or a space or control byte in the authority.
inline std::optional<AuthorizedOrigin> OriginOfBaseUrl(const std::string& url) {
  const auto separator = url.find("://");
  if (separator == std::string::npos) return std::nullopt;
  const std::string scheme = Lower(url.substr(0, separator));
  if (scheme != "https" && scheme != "http") return std::nullopt;
  const std::string rest = url.substr(separator + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string authority = Lower(rest.substr(0, authority_end));
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  for (unsigned char c : authority) {
    if (c <= ' ' || c == 0x7f || c == '\\') return std::nullopt;
  }

  std::string host;
  std::string port;
  if (authority.front() == '[') {  // an IPv6 literal keeps its brackets
    const auto close = authority.find(']');
    if (close == std::string::npos || close == 1) return std::nullopt;
    host = authority.substr(0, close + 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
    if (host.empty() || host.find_first_of("[]") != std::string::npos) return std::nullopt;
  }

  std::string origin = scheme + "://" + host;
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int number = std::stoi(port);
    if (number < 1 || number > 65535) return std::nullopt;
    const int default_port = scheme == "https" ? 443 : 80;
    if (number != default_port) origin += ":" + std::to_string(number);  // "08443" -> "8443"
  }  // "host:" (an empty port, which RFC 3986 allows) is the default port

  std::string path;
  if (authority_end != std::string::npos && rest[authority_end] == '/') {
    path = rest.substr(authority_end, rest.find_first_of("?#", authority_end) - authority_end);
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  return AuthorizedOrigin{origin, path};
}

// OriginOfBaseUrl of the config field `field`'s value `url`, for a grant: credentials go
// there, so it must also be https, or plain http to this machine (IsSafeEndpoint). Throws
// PluginError "invalid_base_url" naming the field (never the URL, which a user may have
// pasted a secret into) otherwise; a plugin's Validate refuses such a config first.
inline AuthorizedOrigin GrantOriginOf(const std::string& url, const std::string& field) {
  auto origin = OriginOfBaseUrl(url);
  if (!origin || !IsSafeEndpoint(url)) {
    throw PluginError("invalid_base_url",
                      field + " is not an https URL (or http to this machine): credentials cannot go there");
  }
  return *origin;
}

}  // namespace switchboard

#endif  // SWITCHBOARD_ORIGIN_UTIL_HPP
