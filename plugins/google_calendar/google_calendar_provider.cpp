// Google Calendar: an OAuth 2.0 client plus a user's refresh token, probed by refreshing
// the access token and listing one calendar.
#include <vector>

#include <switchboard/oauth2_probe.hpp>
#include <switchboard/provider.hpp>

#include "manifest.hpp"
#include "probe.hpp"
#include "validation.hpp"

namespace google_calendar {

class GoogleCalendarProvider final : public switchboard::oauth::OAuth2Provider {
 public:
  GoogleCalendarProvider() : OAuth2Provider("google_calendar", MakeProbe) {}

  switchboard::Manifest Describe() const override { return MakeManifest(); }

  std::vector<switchboard::FieldError> Validate(const switchboard::Json& config) const override {
    return ValidateConfig(config);
  }
};

}  // namespace google_calendar

SWITCHBOARD_PROVIDER(google_calendar::GoogleCalendarProvider)
