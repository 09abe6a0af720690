// Credentials the OpenAI plugin tests use, shaped like real ones, and where the built
// plugin lives.
#pragma once

#include <string>

#include <switchboard/provider.hpp>

namespace switchboard::testing {

inline const std::string kOpenAiKey =
    "sk-proj-Xq3T9vLmZ2kP8rW4yB6nH1sJ5dF7gC0aE2iU9oR3tY6wQ8zK4xV1bN7mL5pA0cSfG2hJ4kL6zX8cV0bN1mQ3wE5r";
inline const std::string kOpenAiOrganization = "org-AbCdEfGhIjKlMnOpQrStUvWx";
inline const std::string kOpenAiProject = "proj_q1W2e3R4t5Y6u7I8o9P0";

inline std::string OpenAiPluginPath() { return std::string(SWITCHBOARD_PLUGIN_DIR) + "/openai.so"; }

inline Json OpenAiConfig() { return Json{{"api_key", kOpenAiKey}}; }

inline Json FullOpenAiConfig() {
  return Json{{"api_key", kOpenAiKey},
              {"organization", kOpenAiOrganization},
              {"project", kOpenAiProject},
              {"base_url", "https://api.openai.com/v1"}};
}

}  // namespace switchboard::testing
