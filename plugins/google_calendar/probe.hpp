// The Google Calendar credential probe, as the state machine the host drives:
//
//   1. POST {token_uri}  refresh-token grant            -> access token (maybe a new
//                                                          refresh token)
//   2. GET  {api_base}/users/me/calendarList?maxResults=1 with the access token
//   (a 401 at step 2 runs steps 1 and 2 once more with a fresh token)
//
// The access token and a rotated refresh token travel between steps in `state`
// ({"stage", "attempt", "access_token", "refresh_token"}), never in a result message.
// A rotated refresh token ends up in the result's config_update whatever the verdict.
#ifndef GOOGLE_CALENDAR_PROBE_HPP
#define GOOGLE_CALENDAR_PROBE_HPP

#include <memory>

#include <switchboard/oauth2_probe.hpp>

namespace google_calendar {

// The probe of the connection with this config; its Step() throws
// std::invalid_argument on a state it never produced.
std::unique_ptr<switchboard::oauth::OAuth2Probe> MakeProbe(const switchboard::Json& config);

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_PROBE_HPP
