// Reads Trello's answers to the probe's requests. Pure functions of the response, so a
// secret can reach a verdict only if Trello's own text carries it; the reason codes
// taken from that text are restricted so that it cannot.
#ifndef SWITCHBOARD_PLUGINS_TRELLO_CLASSIFY_HPP
#define SWITCHBOARD_PLUGINS_TRELLO_CLASSIFY_HPP

#include <string>

#include <switchboard/authorize.hpp>
#include <switchboard/probe.hpp>

namespace trello {

// The verdict on GET /members/me. A 2xx is `valid`; the caller may then ask for the
// token's expiry before finishing.
//   401 "invalid key"                   invalid_credentials, field api_key
//   401 "invalid token"/"expired token" invalid_credentials, field token
//   401 "unauthorized ..."              missing_permission, field token
//   401 other text                      invalid_credentials
//   404                                 invalid_credentials, field base_url
//   429                                 transient; Retry-After, else 900 s for the
//                                       members-route limit and 10 s for the rest
//   5xx and anything else               transient
switchboard::ProbeResult ClassifyMemberResponse(const switchboard::HttpResponse& response);

// What Trello's error answer to a proxied call says about the key and token, from the
// same rules as ClassifyMemberResponse: 401 "invalid key" / "invalid token" / "expired
// token" (and other 401 text) invalid_credentials, 401 "unauthorized ..."
// missing_permission, 429 and 5xx transient; a 404 (no such board or card) and any
// other status are fine. 2xx and 3xx are fine.
switchboard::Classification ClassifyUse(const switchboard::HttpResponse& response);

// The member's username from a /members/me body, or "" when it has none.
std::string UsernameOf(const switchboard::HttpResponse& response);

// The token's dateExpires from GET /tokens/{token} as an RFC 3339 time, or "" when the
// answer is not a 200 with such a time (a token that never expires has none).
std::string ExpiryOf(const switchboard::HttpResponse& response);

}  // namespace trello

#endif  // SWITCHBOARD_PLUGINS_TRELLO_CLASSIFY_HPP
