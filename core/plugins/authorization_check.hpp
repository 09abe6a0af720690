// The host's rules for an authorization a plugin grants (authorize_step, ABI 1.1): where
// a connection's credentials may be sent and what is added to a request. A grant is
// third-party output that decides where secrets go, so everything in it is checked
// before the host uses it; docs/plugin-guide.md ("Authorizing requests") lists the rules.
#pragma once

#include <string_view>

#include <switchboard/authorize.hpp>

#include "common/status.hpp"

namespace switchboard {

// Ok, or "plugin_output_invalid" (limits: "too_large") with a message saying which rule
// the grant breaks. Its messages quote no header value, query value or config value
// (those are secrets); an origin or a name is quoted only when it is short, printable
// ASCII.
//   origins        1..kMaxAuthorizedOrigins, each an RFC 6454 serialization exactly:
//                  "https://host[:port]" lower-case, no userinfo, path, query or
//                  fragment, no default port, port 1..65535; "http://" only for a loopback
//                  host (127.0.0.0/8, [::1], localhost); host a DNS name, a dotted-quad
//                  IPv4 literal or a bracketed IPv6 literal in canonical form
//   base_path      "" or "/a/b": no trailing '/', no empty, "." or ".." segment, no '%',
//                  '?', '#', '\', space, control or non-ASCII byte, at most 512 bytes
//   headers        at most 64, names lower-case RFC 9110 tokens the host does not
//                  control itself, values without CR, LF or NUL, in all at most 8 KiB
//   query          at most 16 parameters, non-empty names, valid UTF-8, at most 8 KiB
//   expires_at     "" or an RFC 3339 date-time
//   config_update  an object of at most 32 members, each a string
Status CheckAuthorization(const Authorization& authorization);

// The rules for one origin and one base path alone, as CheckAuthorization applies them
// to each of its origins.
Status CheckAuthorizedOrigin(std::string_view origin);
Status CheckAuthorizedBasePath(std::string_view base_path);

}  // namespace switchboard
