// OpenAI's part of the plugin contract: one recorded answer per outcome.
#include "../contract/plugin_contract.hpp"
#include "sample_config.hpp"

namespace switchboard::testing {

PluginContract OpenAiContract() {
  auto answer = [](int status, const std::string& body, Headers headers = {}) {
    return JsonResponse(status, body, std::move(headers));
  };
  return {"openai",
          FullOpenAiConfig(),
          {"api_key"},
          {kOpenAiKey},
          {
              {"200 lists models", {answer(200, kModels)}, Outcome::kValid, "ok", "", std::nullopt},
              {"401 invalid_api_key", {answer(401, kInvalidKey)}, Outcome::kInvalidCredentials,
               "invalid_api_key", "api_key", std::nullopt},
              {"403 missing scopes", {answer(403, kMissingScopes)}, Outcome::kMissingPermission,
               "forbidden", "api_key", std::nullopt},
              {"429 rate limit with Retry-After", {answer(429, kRateLimited, {{"retry-after", "7"}})},
               Outcome::kTransient, "rate_limit_exceeded", "", 7.0},
          }};
}

}  // namespace switchboard::testing
