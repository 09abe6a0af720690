// The refresh-token grant to the Microsoft identity platform (v2.0): the request every use
// of an Outlook connection starts with (the probe's first step, and any later exchange of
// the refresh token for an access token). Its answer reads with oauth::ParseTokenResponse
// (Microsoft rotates the refresh token on every refresh), its errors with
// ClassifyTokenError (classify.hpp).
#ifndef OUTLOOK_REFRESH_HPP
#define OUTLOOK_REFRESH_HPP

#include <string>

#include <switchboard/probe.hpp>

#include "config.hpp"

namespace outlook {

// POST {authority_host}/{tenant}/oauth2/v2.0/token with the grant's fields in the
// documented order. A public client must not send a secret (AADSTS700025), so it is sent
// only when configured. `refresh_token` is the stored one or a rotated one.
switchboard::HttpRequest RefreshRequest(const Config& config, const std::string& refresh_token);

}  // namespace outlook

#endif  // OUTLOOK_REFRESH_HPP
