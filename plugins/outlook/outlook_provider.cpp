// Microsoft Outlook: a Microsoft Entra app registration plus a user's refresh token,
// probed by refreshing the access token and reading the user from Microsoft Graph.
#include <string>
#include <vector>

#include <switchboard/probe_result.hpp>
#include <switchboard/provider.hpp>

#include "manifest.hpp"
#include "probe.hpp"
#include "validation.hpp"

namespace outlook {

class OutlookProvider final : public switchboard::Provider {
 public:
  switchboard::Manifest Describe() const override { return MakeManifest(); }

  std::vector<switchboard::FieldError> Validate(const switchboard::Json& config) const override {
    return ValidateConfig(config);
  }

  switchboard::ProbeStep Probe(const switchboard::ProbeInput& input) const override {
    switchboard::ProbeStep step = RunProbeStep(input);
    // The summary leaves the message out: it may quote the provider.
    if (step.finished()) {
      Log(SB_LOG_INFO, "outlook probe: " + switchboard::VerdictSummary(*step.result()));
    }
    return step;
  }
};

}  // namespace outlook

SWITCHBOARD_PROVIDER(outlook::OutlookProvider)
