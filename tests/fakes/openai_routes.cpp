// OpenAI: GET /v1/models with a bearer key, and the error envelope
// {"error": {"message", "type", "param", "code"}} for every failure (providers.md 1.3-1.4).
#include <string>

#include "provider_routes.hpp"

namespace fakes {
namespace {

constexpr const char* kProvider = "openai";

Json ErrorBody(const std::string& message, const Json& type, const Json& code) {
  return {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

// OpenAI shows the start and the last four characters of a rejected key.
std::string MaskKey(const std::string& key) {
  if (key.size() <= 10) return "****";
  return key.substr(0, 6) + std::string(key.size() > 40 ? 20 : 5, '*') + key.substr(key.size() - 4);
}

void CommonHeaders(httplib::Response& res) {
  res.set_header("x-request-id", "req_" + RandomHex(32));
  res.set_header("openai-version", "2020-10-01");
  res.set_header("openai-processing-ms", "23");
}

void SetRateLimitHeaders(httplib::Response& res, int remaining) {
  res.set_header("x-ratelimit-limit-requests", "10000");
  res.set_header("x-ratelimit-remaining-requests", std::to_string(remaining));
  res.set_header("x-ratelimit-reset-requests", remaining > 0 ? "6ms" : "20s");
  res.set_header("x-ratelimit-limit-tokens", "30000000");
  res.set_header("x-ratelimit-remaining-tokens", "29999990");
  res.set_header("x-ratelimit-reset-tokens", "0s");
}

Json ModelList() {
  return {{"object", "list"},
          {"data",
           Json::array({{{"id", "gpt-4o-mini"}, {"object", "model"}, {"created", 1721172741},
                         {"owned_by", "system"}},
                        {{"id", "gpt-4o"}, {"object", "model"}, {"created", 1715367049},
                         {"owned_by", "system"}},
                        {{"id", "text-embedding-3-small"}, {"object", "model"},
                         {"created", 1705948997}, {"owned_by", "system"}}})}};
}

void ListModels(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const std::string key = BearerToken(req);
  const std::string organization = req.get_header_value("OpenAI-Organization");
  const std::string project = req.get_header_value("OpenAI-Project");
  context.stats().Count(kProvider, "models", key);
  const CredentialMode mode = context.grants().Parse(key);
  context.Delay(mode);
  CommonHeaders(res);

  if (key.empty()) {
    SendJson(res, 401,
             ErrorBody("You didn't provide an API key. You need to provide your API key in an "
                       "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                       "YOUR_KEY), or as the password field (with blank username) if you're "
                       "accessing the API from your browser and are prompted for a username and "
                       "password. You can obtain an API key from "
                       "https://platform.openai.com/account/api-keys.",
                       "invalid_request_error", nullptr));
    return;
  }
  if (mode.mode == Mode::kRevoked || mode.mode == Mode::kExpired) {
    SendJson(res, 401,
             ErrorBody("Incorrect API key provided: " + MaskKey(key) +
                           ". You can find your API key at "
                           "https://platform.openai.com/account/api-keys.",
                       "invalid_request_error", "invalid_api_key"));
    return;
  }
  if (EndsWith(organization, "mismatch")) {
    SendJson(res, 401,
             ErrorBody("OpenAI-Organization header should match organization for API key",
                       "invalid_request_error", "mismatched_organization"));
    return;
  }
  // Not confirmed by providers.md: modelled on the organization mismatch.
  if (EndsWith(project, "mismatch")) {
    SendJson(res, 401,
             ErrorBody("OpenAI-Project header should match project for API key",
                       "invalid_request_error", "mismatched_project"));
    return;
  }
  if (!organization.empty()) res.set_header("openai-organization", organization);

  switch (mode.mode) {
    case Mode::kEcho:  // a 403 whose message the plugin copies verbatim
      SendJson(res, 403, ErrorBody(EchoText(key), nullptr, nullptr));
      return;
    case Mode::kNoScope:
      SendJson(res, 403,
               ErrorBody("You have insufficient permissions for this operation. Missing scopes: "
                         "api.model.read. Check that you have the correct role in your "
                         "organization (Reader, Writer, Owner) and project (Member, Owner), and "
                         "if you're using a restricted API key, that it has the necessary scopes.",
                         nullptr, nullptr));
      return;
    case Mode::kRegion:
      SendJson(res, 403,
               ErrorBody("Country, region, or territory not supported", "request_forbidden",
                         "unsupported_country_region_territory"));
      return;
    case Mode::kRateLimited:
      SetRateLimitHeaders(res, 0);
      res.set_header("retry-after", "20");
      SendJson(res, 429,
               ErrorBody("Rate limit reached for gpt-4o-mini in organization "
                         "org-XXXXXXXXXXXXXXXXXXXXXXXX on requests per min (RPM): Limit 3, Used "
                         "3, Requested 1. Please try again in 20s. Visit "
                         "https://platform.openai.com/account/rate-limits to learn more.",
                         "requests", "rate_limit_exceeded"));
      return;
    case Mode::kBilling:
      SendJson(res, 429,
               ErrorBody("You exceeded your current quota, please check your plan and billing "
                         "details. For more information on this error, read the docs: "
                         "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                         "insufficient_quota", "insufficient_quota"));
      return;
    case Mode::kServerError:
      SendJson(res, 500,
               ErrorBody("The server had an error while processing your request. Sorry about "
                         "that!",
                         "server_error", nullptr));
      return;
    case Mode::kDown:
      SendJson(res, 503,
               ErrorBody("The engine is currently overloaded, please try again later",
                         "service_unavailable_error", "server_is_overloaded"));
      return;
    default:
      SetRateLimitHeaders(res, 9999);
      SendJson(res, 200, ModelList());
  }
}

}  // namespace

void AddOpenAiRoutes(httplib::Server& server, FakeContext& context) {
  context.Get(server, "/openai/v1/models",
              [&context](const httplib::Request& req, httplib::Response& res) {
                ListModels(context, req, res);
              });
}

}  // namespace fakes
