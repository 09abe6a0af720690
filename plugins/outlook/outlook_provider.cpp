// Microsoft Outlook: a Microsoft Entra app registration plus a user's refresh token,
// probed by refreshing the access token and reading the user from Microsoft Graph.
#include <vector>

#include <switchboard/oauth2_probe.hpp>
#include <switchboard/provider.hpp>

#include "manifest.hpp"
#include "probe.hpp"
#include "validation.hpp"

namespace outlook {

class OutlookProvider final : public switchboard::oauth::OAuth2Provider {
 public:
  OutlookProvider() : OAuth2Provider("outlook", MakeProbe) {}

  switchboard::Manifest Describe() const override { return MakeManifest(); }

  std::vector<switchboard::FieldError> Validate(const switchboard::Json& config) const override {
    return ValidateConfig(config);
  }
};

}  // namespace outlook

SWITCHBOARD_PROVIDER(outlook::OutlookProvider)
