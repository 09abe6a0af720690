// Small helpers that most providers' probes need: URL and form encoding, joining a base
// URL with a path, and reading Retry-After. Header-only, no dependencies.
#ifndef SWITCHBOARD_HTTP_UTIL_HPP
#define SWITCHBOARD_HTTP_UTIL_HPP

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
