// Checks of a Google Calendar config that its field schema cannot express.
//
// Codes (field):
//   missing_calendar_scope (scopes)        no scope allows listing calendars
//   not_a_full_scope       (scopes)        a Calendar scope given by short name
//   access_token_given     (refresh_token) a ya29... access token instead of a refresh token
//   looks_like_client_id   (client_secret) the client ID pasted into the secret field
//   insecure_url           (token_uri, api_base) secrets would travel without TLS
#ifndef GOOGLE_CALENDAR_VALIDATION_HPP
#define GOOGLE_CALENDAR_VALIDATION_HPP

#include <vector>

#include <switchboard/provider.hpp>

namespace google_calendar {

// Every problem of `config` at once; empty when it is acceptable.
std::vector<switchboard::FieldError> ValidateConfig(const switchboard::Json& config);

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_VALIDATION_HPP
