// The refresh-token grant to Google's token endpoint: the request every use of a Google
// Calendar connection starts with (the probe's first step, and any later exchange of the
// refresh token for an access token). Its answer reads with oauth::ParseTokenResponse,
// its errors with ClassifyTokenError (classify.hpp).
#ifndef GOOGLE_CALENDAR_REFRESH_HPP
#define GOOGLE_CALENDAR_REFRESH_HPP

#include <string>

#include <switchboard/probe.hpp>

#include "config.hpp"

namespace google_calendar {

// POST {token_uri} with the four fields google-auth sends, plus `scope` because the
// connection declares the scopes it is for (Google answers invalid_scope if they were
// not granted). `refresh_token` is the stored one or a rotated one.
switchboard::HttpRequest RefreshRequest(const Config& config, const std::string& refresh_token);

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_REFRESH_HPP
