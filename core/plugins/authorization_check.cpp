#include "plugins/authorization_check.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <string>

#include "common/utf8.hpp"
#include "plugins/plugin_limits.hpp"
#include "common/rfc3339.hpp"

namespace switchboard {
namespace {

Status Invalid(const std::string& what) { return Status::Error(Code::kPluginOutputInvalid, what); }
Status TooLarge(const std::string& what) { return Status::Error(Code::kTooLarge, what); }

// `text` quoted in a message when it is short printable ASCII; a plugin's bytes in the
// host's words otherwise would be a way to smuggle anything into a log line.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 80;
  bool printable = text.size() <= kMax;
  for (unsigned char c : text) printable = printable && c >= 0x20 && c < 0x7f;
  return printable ? "'" + std::string(text) + "'" : "(" + std::to_string(text.size()) + " bytes)";
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A dotted-quad IPv4 literal exactly as it serializes: four decimal octets, no leading
// zeros ("127.0.0.1", never "127.1" or "0x7f.0.0.1").
bool IsCanonicalIpv4(std::string_view host) {
  in_addr address{};
  const std::string text(host);
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) return false;
  char back[INET_ADDRSTRLEN] = {0};
  return inet_ntop(AF_INET, &address, back, sizeof back) != nullptr && text == back;
}

// An IPv6 literal (inside the brackets) in the form it serializes to: lower-case hex, the
// longest run of zeros compressed (RFC 5952), no zone.
bool IsCanonicalIpv6(std::string_view host) {
  in6_addr address{};
  const std::string text(host);
  if (inet_pton(AF_INET6, text.c_str(), &address) != 1) return false;
  char back[INET6_ADDRSTRLEN] = {0};
  return inet_ntop(AF_INET6, &address, back, sizeof back) != nullptr && text == back;
}

// A lower-case DNS name: labels of a-z, 0-9, '-' and '_' of 1..63 bytes, not starting or
// ending with '-', at most 253 bytes, no trailing dot; its last label not all digits
// (that would read as an IPv4 address).
bool IsDnsName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  size_t start = 0;
  std::string_view last;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    std::string_view label = host.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsLowerAlnum(c) && c != '-' && c != '_') return false;
    }
    last = label;
    start = dot + 1;
  }
  return !IsDigits(last);
}

bool IsLoopback(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  return IsCanonicalIpv4(host) && host.substr(0, 4) == "127.";
}

// RFC 9110 tchar, lower-case letters only.
bool IsLowerTokenChar(char c) {
  if (IsLowerAlnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~': return true;
    default: return false;
  }
}

// Headers the host sets or strips itself: a plugin adding one could frame the request
// differently from what the host sent (request smuggling) or redirect it.
bool IsHostControlledHeader(std::string_view name) {
  for (const char* controlled : {"host", "content-length", "transfer-encoding", "connection", "keep-alive",
                                 "upgrade", "te", "trailer"}) {
    if (name == controlled) return true;
  }
  return name.substr(0, 6) == "proxy-";
}

Status CheckHeaders(const Headers& headers) {
  if (headers.size() > kMaxAuthorizationHeaders) {
    return TooLarge("its authorization has more than " + std::to_string(kMaxAuthorizationHeaders) + " headers");
  }
  size_t bytes = 0;
  for (const auto& [name, value] : headers) {
    bytes += name.size() + value.size();
    if (bytes > kMaxAuthorizationHeaderBytes) {
      return TooLarge("its authorization's headers are over " + std::to_string(kMaxAuthorizationHeaderBytes) +
                      " bytes");
    }
    bool token = !name.empty();
    for (char c : name) token = token && IsLowerTokenChar(c);
    if (!token) return Invalid("its authorization has a header name " + Quote(name) + " that is not a lower-case token");
    if (IsHostControlledHeader(name)) {
      return Invalid("its authorization sets the header '" + name + "', which only the host sets");
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Invalid("its authorization's header '" + name + "' has a value with CR, LF or NUL");
    }
  }
  return Status::Ok();
}

Status CheckQuery(const std::map<std::string, std::string>& query) {
  if (query.size() > kMaxAuthorizationQueryParameters) {
    return TooLarge("its authorization has more than " + std::to_string(kMaxAuthorizationQueryParameters) +
                    " query parameters");
  }
  size_t bytes = 0;
  for (const auto& [name, value] : query) {
    bytes += name.size() + value.size();
    if (bytes > kMaxAuthorizationQueryBytes) {
      return TooLarge("its authorization's query parameters are over " + std::to_string(kMaxAuthorizationQueryBytes) +
                      " bytes");
    }
    if (name.empty()) return Invalid("its authorization has a query parameter without a name");
    if (!IsValidUtf8(name) || !IsValidUtf8(value)) {
      return Invalid("its authorization has a query parameter that is not valid UTF-8");
    }
  }
  return Status::Ok();
}

Status CheckConfigUpdate(const nlohmann::json& update) {
  if (!update.is_object()) return Invalid("its authorization's config_update is not an object");
  if (update.size() > kMaxConfigUpdateMembers) {
    return TooLarge("its authorization's config_update has more than " + std::to_string(kMaxConfigUpdateMembers) +
                    " members");
  }
  for (auto it = update.begin(); it != update.end(); ++it) {
    if (!it.value().is_string()) {
      return Invalid("its authorization's config_update member " + Quote(it.key()) + " is not a string");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckAuthorizedOrigin(std::string_view origin) {
  auto refuse = [&](const std::string& why) {
    return Invalid("its authorization names the origin " + Quote(origin) + ", which " + why);
  };
  const size_t separator = origin.find("://");
  if (separator == std::string_view::npos) return refuse("is not scheme://host[:port]");
  const std::string_view scheme = origin.substr(0, separator);
  if (scheme != "https" && scheme != "http") return refuse("is neither https nor http (lower-case)");
  std::string_view authority = origin.substr(separator + 3);
  if (authority.find_first_of("/?#") != std::string_view::npos) {
    return refuse("has a path, query or fragment (an origin is scheme://host[:port]; the path is base_path)");
  }
  if (authority.find('@') != std::string_view::npos) return refuse("has userinfo");
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return refuse("has an unclosed IPv6 literal");
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return refuse("has bytes after its IPv6 literal");
      port = rest.substr(1);
      if (port.empty()) return refuse("has an empty port");
    }
    if (!IsCanonicalIpv6(host.substr(1, host.size() - 2))) {
      return refuse("does not hold an IPv6 address in canonical form (lower-case, compressed, no zone)");
    }
  } else {
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return refuse("has an empty port");
    }
    const bool looks_numeric = !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos;
    if (looks_numeric ? !IsCanonicalIpv4(host) : !IsDnsName(host)) {
      return refuse("does not have a lower-case DNS name or a dotted-quad IPv4 address as its host");
    }
  }
  if (!port.empty()) {
    if (!IsDigits(port) || port.front() == '0' || port.size() > 5 || std::stoul(std::string(port)) > 65535) {
      return refuse("has a port that is not 1..65535 written without leading zeros");
    }
    if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) {
      return refuse("writes its scheme's default port (an origin leaves it out)");
    }
  }
  if (scheme == "http" && !IsLoopback(host)) {
    return refuse("is plain http to a host that is not loopback (credentials go only over https)");
  }
  return Status::Ok();
}

Status CheckAuthorizedBasePath(std::string_view base_path) {
  auto refuse = [&](const std::string& why) {
    return Invalid("its authorization has the base_path " + Quote(base_path) + ", which " + why);
  };
  if (base_path.size() > kMaxAuthorizedBasePathBytes) {
    return TooLarge("its authorization has a base_path over " + std::to_string(kMaxAuthorizedBasePathBytes) + " bytes");
  }
  if (base_path.empty()) return Status::Ok();
  if (base_path.front() != '/') return refuse("does not start with '/'");
  if (base_path.back() == '/') return refuse("ends with '/'");
  for (unsigned char c : base_path) {
    if (c <= 0x20 || c >= 0x7f || c == '%' || c == '?' || c == '#' || c == '\\') {
      return refuse("has a byte it may not have (%, ?, #, \\, a space, a control or non-ASCII byte)");
    }
  }
  size_t start = 1;
  while (start <= base_path.size()) {
    size_t slash = base_path.find('/', start);
    if (slash == std::string_view::npos) slash = base_path.size();
    const std::string_view segment = base_path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return refuse("has an empty, '.' or '..' segment");
    start = slash + 1;
  }
  return Status::Ok();
}

Status CheckAuthorization(const Authorization& authorization) {
  if (authorization.origins.empty()) return Invalid("its authorization names no origin to send credentials to");
  if (authorization.origins.size() > kMaxAuthorizedOrigins) {
    return TooLarge("its authorization names more than " + std::to_string(kMaxAuthorizedOrigins) + " origins");
  }
  for (const auto& origin : authorization.origins) {
    if (Status status = CheckAuthorizedOrigin(origin.origin); !status.ok()) return status;
    if (Status status = CheckAuthorizedBasePath(origin.base_path); !status.ok()) return status;
  }
  if (Status status = CheckHeaders(authorization.headers); !status.ok()) return status;
  if (Status status = CheckQuery(authorization.query); !status.ok()) return status;
  if (!authorization.expires_at.empty() && !IsRfc3339DateTime(authorization.expires_at)) {
    return Invalid("its authorization's expires_at " + Quote(authorization.expires_at) + " is not an RFC 3339 time");
  }
  return CheckConfigUpdate(authorization.config_update);
}

}  // namespace switchboard
