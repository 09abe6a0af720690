// Credentials the OpenAI plugin tests use, shaped like real ones, and where the built
// plugin lives.
#pragma once

#include <string>

#include <switchboard/provider.hpp>

#include "../plugin_test_support.hpp"

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

// OpenAI's answers, as the provider notes record them on the wire.
inline std::string ErrorBody(const std::string& message, const Json& type, const Json& code) {
  return Json{{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}}
      .dump();
}

inline const std::string kModels =
    R"({"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]})";
inline const std::string kInvalidKey = ErrorBody(
    "Incorrect API key provided: sk-proj-****ABCD. You can find your API key at "
    "https://platform.openai.com/account/api-keys.",
    "invalid_request_error", "invalid_api_key");
inline const std::string kMismatchedOrganization =
    ErrorBody("OpenAI-Organization header should match organization for API key",
              "invalid_request_error", "mismatched_organization");
inline const std::string kNoOrganization = ErrorBody(
    "You must be a member of an organization to use the API. Please contact us through our "
    "help center at help.openai.com.",
    "invalid_request_error", "no_organization");
// The type and code of this 403 are not confirmed; OpenAI sends the sentence.
inline const std::string kMissingScopes = ErrorBody(
    "You have insufficient permissions for this operation. Missing scopes: api.model.read. "
    "Check that you have the correct role in your organization (Reader, Writer, Owner) and "
    "project (Member, Owner), and if you're using a restricted API key, that it has the "
    "necessary scopes.",
    nullptr, nullptr);
inline const std::string kRegion = ErrorBody("Country, region, or territory not supported",
                                      "request_forbidden", "unsupported_country_region_territory");
inline const std::string kRateLimited = ErrorBody(
    "Rate limit reached for gpt-4o-mini in organization org-XXXXXXXXXXXXXXXXXXXXXXXX on "
    "requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit "
    "https://platform.openai.com/account/rate-limits to learn more.",
    "requests", "rate_limit_exceeded");
inline const std::string kQuota = ErrorBody(
    "You exceeded your current quota, please check your plan and billing details. For more "
    "information on this error, read the docs: "
    "https://platform.openai.com/docs/guides/error-codes/api-errors.",
    "insufficient_quota", "insufficient_quota");
inline const std::string kSpendLimit = ErrorBody("Organization spend limit exceeded.",
                                          "insufficient_quota", "organization_spend_limit_exceeded");
inline const std::string kServerError = ErrorBody(
    "The server had an error while processing your request. Sorry about that!", "server_error",
    nullptr);
inline const std::string kOverloaded = ErrorBody("The engine is currently overloaded, please try again later",
                                          "service_unavailable_error", "server_is_overloaded");

}  // namespace switchboard::testing
