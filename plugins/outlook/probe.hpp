// The Microsoft Outlook credential probe, as the state machine the host drives:
//
//   1. POST {authority_host}/{tenant}/oauth2/v2.0/token  refresh-token grant
//        -> access token and a new refresh token (Microsoft rotates on every refresh)
//   2. GET  {graph_base}/me?$select=id,userPrincipalName with the access token
//   (a 401 at step 2 runs steps 1 and 2 once more with a fresh token)
//
// The access token and the rotated refresh token travel between steps in `state`
// ({"stage", "attempt", "access_token", "refresh_token", "refresh_expires_at"}), never in
// a result message. The rotated refresh token ends up in the result's config_update
// whatever the verdict, with expires_at set to its 90-day inactivity limit.
#ifndef OUTLOOK_PROBE_HPP
#define OUTLOOK_PROBE_HPP

#include <memory>

#include <switchboard/oauth2_probe.hpp>

namespace outlook {

// The probe of the connection with this config; its Step() throws
// std::invalid_argument on a state it never produced.
std::unique_ptr<switchboard::oauth::OAuth2Probe> MakeProbe(const switchboard::Json& config);

}  // namespace outlook

#endif  // OUTLOOK_PROBE_HPP
