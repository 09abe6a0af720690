#include "probe_net/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <switchboard/text_util.hpp>

namespace switchboard::probe {
namespace {

Status BadUrl(const std::string& why) { return Status::Error(Code::kBadUrl, "invalid URL: " + why); }

uint16_t DefaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

// Request targets go onto the wire verbatim: a space or a line break would let a URL
// forge headers.
bool IsSafeTarget(const std::string& target) {
  return std::none_of(target.begin(), target.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

bool IsHostNameChar(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; }

bool HasScheme(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  return std::all_of(text.begin(), text.begin() + colon, [](unsigned char c) {
    return std::isalnum(c) || c == '+' || c == '-' || c == '.';
  });
}

std::string DropFragment(const std::string& text) { return text.substr(0, text.find('#')); }

}  // namespace

std::string Url::HostHeader() const {
  std::string h = host_is_ipv6_literal() ? "[" + host + "]" : host;
  if (port != DefaultPort(scheme)) h += ":" + std::to_string(port);
  return h;
}

std::string Url::Authority() const {
  return (host_is_ipv6_literal() ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Url> ParseUrl(const std::string& input) {
  std::string text = DropFragment(input);
  auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos) return BadUrl("no scheme");
  Url url;
  url.scheme = Lower(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https") {
    return BadUrl("scheme \"" + url.scheme + "\" is not http or https");
  }
  auto authority_begin = scheme_end + 3;
  auto authority_end = text.find_first_of("/?", authority_begin);
  if (authority_end == std::string::npos) authority_end = text.size();
  std::string authority = text.substr(authority_begin, authority_end - authority_begin);
  if (authority.find('@') != std::string::npos) return BadUrl("user info in URLs is not supported");

  std::string port_text;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) return BadUrl("unterminated IPv6 literal");
    url.host = Lower(authority.substr(1, close - 1));
    std::string rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return BadUrl("unexpected text after the IPv6 literal");
      port_text = rest.substr(1);
    }
    if (url.host.empty() || !std::all_of(url.host.begin(), url.host.end(), [](unsigned char c) {
          return std::isxdigit(c) || c == ':' || c == '.';
        })) {
      return BadUrl("invalid IPv6 literal");
    }
  } else {
    auto colon = authority.find(':');
    url.host = Lower(authority.substr(0, colon));
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
    if (url.host.empty()) return BadUrl("no host");
    if (!std::all_of(url.host.begin(), url.host.end(), IsHostNameChar)) {
      return BadUrl("invalid character in the host name");
    }
  }

  url.port = DefaultPort(url.scheme);
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return BadUrl("invalid port");
    }
    url.port = static_cast<uint16_t>(value);
  }

  url.target = text.substr(authority_end);
  if (url.target.empty() || url.target[0] == '?') url.target = "/" + url.target;
  if (!IsSafeTarget(url.target)) return BadUrl("space or control character in the path or query");
  return url;
}

Result<Url> ResolveLocation(const Url& base, const std::string& input) {
  std::string location = DropFragment(input);
  if (location.empty()) return BadUrl("empty redirect location");
  if (HasScheme(location) && location.find("://") != std::string::npos) return ParseUrl(location);
  if (HasScheme(location)) return BadUrl("redirect to an unsupported scheme");
  if (location.rfind("//", 0) == 0) return ParseUrl(base.scheme + ":" + location);

  Url url = base;
  std::string base_path = base.target.substr(0, base.target.find('?'));
  if (location[0] == '/') {
    url.target = location;
  } else if (location[0] == '?') {
    url.target = base_path + location;
  } else {
    url.target = base_path.substr(0, base_path.rfind('/') + 1) + location;
  }
  if (!IsSafeTarget(url.target)) return BadUrl("space or control character in the redirect location");
  return url;
}

}  // namespace switchboard::probe
