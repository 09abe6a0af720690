// Small helpers that most providers' probes need: URL and form encoding, joining a base
// URL with a path, where a URL points, and reading Retry-After. Header-only, no
// dependencies.
#ifndef SWITCHBOARD_HTTP_UTIL_HPP
#define SWITCHBOARD_HTTP_UTIL_HPP

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "switchboard/text_util.hpp"

namespace switchboard {

// Percent-encodes everything but RFC 3986 unreserved characters.
inline std::string UrlEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// An application/x-www-form-urlencoded body, fields in the order given.
inline std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += UrlEncode(name);
    out.push_back('=');
    out += UrlEncode(value);
  }
  return out;
}

// Joins a base URL and a path with exactly one slash between them.
inline std::string JoinUrl(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return base + "/" + std::string(path);
}

// The scheme ("https") and host ("login.example.com") of an absolute URL; empty
// strings when it is not one.
struct UrlParts {
  std::string scheme;
  std::string host;
};

inline UrlParts SplitUrl(const std::string& url) {
  UrlParts parts;
  auto colon = url.find("://");
  if (colon == std::string::npos) return parts;
  parts.scheme = url.substr(0, colon);
  std::string rest = url.substr(colon + 3);
  auto end = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, end);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    parts.host = authority.substr(0, close == std::string::npos ? close : close + 1);
  } else {
    parts.host = authority.substr(0, authority.find(':'));
  }
  return parts;
}

// localhost, [::1], or an IPv4 literal in 127.0.0.0/8 (not a name that starts with "127.",
// which any DNS zone can have). Case does not matter.
inline bool IsLoopbackHost(const std::string& host) {
  const std::string name = Lower(host);
  if (name == "localhost" || name == "[::1]") return true;
  return StartsWith(name, "127.") && name.find_first_not_of("0123456789.") == std::string::npos;
}

// Secrets travel to this URL, so it must be https; plain http is allowed only to this
// machine, where test servers and local proxies run.
inline bool IsSafeEndpoint(const std::string& url) {
  UrlParts parts = SplitUrl(url);
  if (parts.host.empty()) return false;
  if (parts.scheme == "https") return true;
  return parts.scheme == "http" && IsLoopbackHost(parts.host);
}

// Seconds from a Retry-After value given as delta-seconds (fractions allowed). An HTTP
// date is not interpreted (returns nullopt), since a probe has no trustworthy clock skew.
inline std::optional<double> ParseRetryAfterSeconds(std::string_view value) {
  std::string text(value);
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || seconds < 0) return std::nullopt;
  return seconds;
}

}  // namespace switchboard

#endif  // SWITCHBOARD_HTTP_UTIL_HPP
