// Trello's part of the plugin contract: one recorded answer per outcome.
#include "../contract/plugin_contract.hpp"
#include "sample_config.hpp"

namespace switchboard::testing {

PluginContract TrelloContract() {
  const HttpResponse no_expiry = JsonResponse(200, R"({"id":"t1","dateExpires":null})");
  return {"trello",
          FullTrelloConfig(),
          {"api_key", "token"},
          {kTrelloKey, kTrelloToken},
          {
              {"200 members/me", {JsonResponse(200, kMember), no_expiry}, Outcome::kValid, "ok", "",
               std::nullopt},
              {"401 invalid key", {Text(401, "invalid key")}, Outcome::kInvalidCredentials,
               "invalid_key", "api_key", std::nullopt},
              {"401 unauthorized permission requested",
               {Text(401, "unauthorized permission requested")}, Outcome::kMissingPermission,
               "unauthorized_permission_requested", "token", std::nullopt},
              {"429 token limit",
               {JsonResponse(429, R"({"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"})")},
               Outcome::kTransient, "api_token_limit_exceeded", "", 10.0},
          }};
}

}  // namespace switchboard::testing
