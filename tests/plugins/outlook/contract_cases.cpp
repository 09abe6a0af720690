// Outlook's part of the plugin contract: one recorded exchange per outcome.
#include "../contract/plugin_contract.hpp"
#include "sample_config.hpp"

namespace switchboard::testing {

PluginContract OutlookContract() {
  return {"outlook",
          FullOutlookConfig(),
          {"client_secret", "refresh_token"},
          kMsSecrets,
          {
              {"token, then /me 200", {MsTokenOk(), JsonResponse(200, kMeOk)}, Outcome::kValid, "ok", "",
               std::nullopt},
              {"token endpoint: AADSTS700082 expired refresh token",
               {JsonResponse(400, TokenError("invalid_grant", 700082, "The refresh token has expired due to inactivity."))},
               Outcome::kInvalidCredentials, "invalid_grant", "refresh_token", std::nullopt},
              {"/me 403 Authorization_RequestDenied",
               {MsTokenOk(), JsonResponse(403, GraphError("Authorization_RequestDenied",
                                                          "Insufficient privileges to complete the operation."))},
               Outcome::kMissingPermission, "Authorization_RequestDenied", "scopes", std::nullopt},
              {"token endpoint 429 with Retry-After",
               {JsonResponse(429, TokenError("temporarily_unavailable", 90024, "Request budget exceeded."),
                             {{"retry-after", "12"}})},
               Outcome::kTransient, "temporarily_unavailable", "", 12.0},
          }};
}

}  // namespace switchboard::testing
