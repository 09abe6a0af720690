// Google Calendar: an OAuth 2.0 client plus a user's refresh token, probed by refreshing
// the access token and listing one calendar.
#include <string>
#include <vector>

#include <switchboard/probe_result.hpp>
#include <switchboard/provider.hpp>

#include "manifest.hpp"
#include "probe.hpp"
#include "validation.hpp"

namespace google_calendar {

class GoogleCalendarProvider final : public switchboard::Provider {
 public:
  switchboard::Manifest Describe() const override { return MakeManifest(); }

  std::vector<switchboard::FieldError> Validate(const switchboard::Json& config) const override {
    return ValidateConfig(config);
  }

  switchboard::ProbeStep Probe(const switchboard::ProbeInput& input) const override {
    switchboard::ProbeStep step = RunProbeStep(input);
    // The summary leaves the message out: it may quote the provider.
    if (step.finished()) {
      Log(SB_LOG_INFO, "google_calendar probe: " + switchboard::VerdictSummary(*step.result()));
    }
    return step;
  }
};

}  // namespace google_calendar

SWITCHBOARD_PROVIDER(google_calendar::GoogleCalendarProvider)
