// OpenAI (and OpenAI-compatible servers): a static bearer key, probed by listing models.
// The simplest of the built-in providers, meant to be copied by plugin authors.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/authorize.hpp>
#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/oauth_util.hpp>
#include <switchboard/origin_util.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/text_util.hpp>

namespace {

using switchboard::AuthorizeInput;
using switchboard::AuthorizeStep;
using switchboard::Classification;
using switchboard::ClassifyInput;
using switchboard::FieldError;
using switchboard::ResponseClass;
using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::Invalid;
using switchboard::Json;
using switchboard::MissingPermission;
using switchboard::ProbeInput;
using switchboard::ProbeResult;
using switchboard::ProbeStep;
using switchboard::StartsWith;
using switchboard::Transient;

constexpr const char* kDefaultBaseUrl = "https://api.openai.com/v1";

constexpr const char* kIcon =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img" aria-label="OpenAI"><circle cx="12" cy="12" r="11" fill="#10a37f"/><path d="M12 5.5a3.2 3.2 0 0 1 3.1 2.4 3.2 3.2 0 0 1 3 4.8 3.2 3.2 0 0 1-2.7 4.9 3.2 3.2 0 0 1-6 .6 3.2 3.2 0 0 1-3-4.8 3.2 3.2 0 0 1 2.7-4.9A3.2 3.2 0 0 1 12 5.5z" fill="none" stroke="#fff" stroke-width="1.4"/></svg>)svg";

constexpr const char* kSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "OpenAI connection",
  "type": "object",
  "additionalProperties": false,
  "required": ["api_key"],
  "x-order": ["api_key", "organization", "project", "base_url"],
  "x-groups": [
    {"id": "credentials", "title": "Credentials"},
    {"id": "advanced", "title": "Advanced", "collapsed": true,
     "description": "Only for OpenAI-compatible servers or organization-scoped keys."}
  ],
  "properties": {
    "api_key": {
      "type": "string", "title": "API key", "writeOnly": true, "format": "password",
      "minLength": 1, "pattern": "^\\S+$",
      "description": "A project key (sk-proj-...), service-account key (sk-svcacct-...) or legacy key (sk-...). Create one at platform.openai.com/api-keys.",
      "x-placeholder": "sk-proj-...", "x-group": "credentials",
      "x-help-url": "https://platform.openai.com/api-keys"
    },
    "organization": {
      "type": "string", "title": "Organization ID", "pattern": "^org-[A-Za-z0-9]+$",
      "description": "Sent as OpenAI-Organization. Only needed when the key belongs to several organizations.",
      "x-placeholder": "org-...", "x-group": "advanced"
    },
    "project": {
      "type": "string", "title": "Project ID", "pattern": "^proj_[A-Za-z0-9]+$",
      "description": "Sent as OpenAI-Project. Only needed to pin a legacy key to one project.",
      "x-placeholder": "proj_...", "x-group": "advanced"
    },
    "base_url": {
      "type": "string", "x-credential-destination": true, "title": "Base URL", "format": "uri", "pattern": "^https?://[^\\s/$.?#][^\\s]*$",
      "default": "https://api.openai.com/v1",
      "description": "Change only for an OpenAI-compatible server. Requests go to {base_url}/models.",
      "x-placeholder": "https://api.openai.com/v1", "x-group": "advanced"
    }
  }
})json";

std::string BaseUrl(const Json& config) {
  return switchboard::StringFieldOr(config, "base_url", kDefaultBaseUrl);
}

// OpenAI errors are {"error": {"message", "type", "param", "code"}}; either part may be
// missing on compatible servers.
struct ApiError {
  std::string type;
  std::string code;
  std::string message;
};

ApiError ParseError(const std::string& body) {
  ApiError error;
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object()) return error;
  const Json& e = parsed["error"];
  if (e.contains("type") && e["type"].is_string()) error.type = e["type"];
  if (e.contains("code") && e["code"].is_string()) error.code = e["code"];
  if (e.contains("message") && e["message"].is_string()) error.message = e["message"];
  return error;
}

bool IsBillingError(const ApiError& e) {
  static const std::vector<std::string> kBillingCodes = {
      "insufficient_quota", "credit_balance_exhausted", "organization_spend_limit_exceeded",
      "project_spend_limit_exceeded", "organization_usage_limit_exceeded"};
  if (e.type == "insufficient_quota") return true;
  for (const auto& code : kBillingCodes) {
    if (e.code == code) return true;
  }
  return false;
}

// "Please try again in 20s." / "in 1.5s" / "in 120ms" in a rate-limit message.
std::optional<double> RetryHintFromMessage(const std::string& message) {
  auto at = message.find("try again in ");
  if (at == std::string::npos) return std::nullopt;
  const char* start = message.c_str() + at + 13;
  char* end = nullptr;
  double value = std::strtod(start, &end);
  if (end == start) return std::nullopt;
  if (StartsWith(end, "ms")) return value / 1000.0;
  return value;
}

std::optional<double> RetryAfter(const HttpResponse& response, const std::string& message) {
  if (auto ms = switchboard::ParseRetryAfterSeconds(response.Header("retry-after-ms"))) {
    return *ms / 1000.0;
  }
  if (auto s = switchboard::ParseRetryAfterSeconds(response.Header("retry-after"))) return s;
  return RetryHintFromMessage(message);
}

ProbeResult Classify(const HttpResponse& response) {
  if (response.status == 200) {
    return switchboard::Valid("The API key can list models.");
  }
  ApiError error = ParseError(response.body);
  std::string detail = error.message.empty() ? "HTTP " + std::to_string(response.status)
                                             : error.message;
  switch (response.status) {
    case 401:
      if (error.code == "mismatched_organization") {
        return Invalid(error.code,
                       "The organization ID does not match the API key.", "organization");
      }
      return Invalid(error.code.empty() ? "unauthorized" : error.code,
                     "OpenAI rejected the API key: it is wrong, revoked or deleted.", "api_key");
    case 403:
      if (error.code == "unsupported_country_region_territory") {
        return MissingPermission(error.code,
                       "OpenAI does not serve the region this host connects from.");
      }
      return MissingPermission(error.code.empty() ? "forbidden" : error.code,
                     "The key lacks a permission (a restricted key needs Models: Read): " + detail,
                     "api_key");
    case 404:
      return switchboard::NotFoundAtBaseUrl("models endpoint", "base_url");
    case 429: {
      if (IsBillingError(error)) {
        return MissingPermission(error.code.empty() ? "insufficient_quota" : error.code,
                       "The key is valid but the account has no quota left: check billing.");
      }
      return Transient(error.code.empty() ? "rate_limit_exceeded" : error.code,
                       "Rate limited by OpenAI.", RetryAfter(response, error.message));
    }
    default:
      break;
  }
  if (response.status >= 500) {
    return Transient(error.code.empty() ? "server_error" : error.code,
                     "OpenAI had a server error (HTTP " + std::to_string(response.status) + ").",
                     RetryAfter(response, error.message));
  }
  return switchboard::UnexpectedStatus("OpenAI", response.status);
}

// The headers every request to OpenAI carries: the key, and the organization and project
// only when the connection pins them (OpenAI answers 401 mismatched_organization when
// they do not match the key).
switchboard::Headers AuthHeaders(const Json& config) {
  switchboard::Headers headers;
  headers["authorization"] = "Bearer " + switchboard::StringField(config, "api_key");
  if (auto org = switchboard::StringField(config, "organization"); !org.empty()) headers["openai-organization"] = org;
  if (auto project = switchboard::StringField(config, "project"); !project.empty()) headers["openai-project"] = project;
  return headers;
}

// What an error answer to a proxied call says about the key. Unlike a probe's verdict,
// a billing 429 is transient here (it never changes the connection's status), and a 404
// or any other 4xx (a bad request, an unknown model) is the caller's, not the key's.
Classification ClassifyUse(const HttpResponse& response, const std::string& api_key) {
  const int status = response.status;
  const ApiError error = ParseError(response.body);
  const std::string reason = switchboard::oauth::Scrub(
      error.code.empty() ? "http_" + std::to_string(status) : error.code, {api_key});
  const std::string said = switchboard::oauth::Scrub(
      switchboard::oauth::Excerpt(error.message.empty() ? switchboard::StatusText(status) : error.message),
      {api_key});
  if (status == 401) {
    if (error.code == "mismatched_organization") {
      return {ResponseClass::kInvalidCredentials, reason, "The organization ID does not match the API key."};
    }
    return {ResponseClass::kInvalidCredentials, error.code.empty() ? "unauthorized" : reason,
            "OpenAI rejected the API key: it is wrong, revoked or deleted."};
  }
  if (status == 403) {
    return {ResponseClass::kMissingPermission, error.code.empty() ? "forbidden" : reason,
            "OpenAI refused this request for lack of a permission (" + said + ")."};
  }
  if (status == 429) {
    return {ResponseClass::kTransient, error.code.empty() ? "rate_limit_exceeded" : reason,
            IsBillingError(error) ? "The account has no quota left: check billing." : "Rate limited by OpenAI."};
  }
  if (status >= 500) {
    return {ResponseClass::kTransient, error.code.empty() ? "server_error" : reason,
            "OpenAI had a server error (" + switchboard::StatusText(status) + ")."};
  }
  return {ResponseClass::kFine, reason, "OpenAI refused this request (" + said + ")."};
}

class OpenAiProvider final : public switchboard::Provider {
 public:
  switchboard::Manifest Describe() const override {
    return {"openai", "OpenAI", "1.0.0",
            "OpenAI API and OpenAI-compatible servers, authenticated with an API key.", kIcon,
            Json::parse(kSchema)};
  }

  std::vector<FieldError> Validate(const Json& config) const override {
    std::vector<FieldError> errors;
    const std::string key = config.value("api_key", "");
    const bool default_server = BaseUrl(config) == kDefaultBaseUrl;
    if (default_server && !key.empty() && !StartsWith(key, "sk-")) {
      errors.push_back({"api_key", "bad_prefix", "An OpenAI API key starts with sk-."});
    }
    if (StartsWith(key, "sk-admin-")) {
      errors.push_back({"api_key", "admin_key",
                        "This is an Administration API key; use a project or service-account key."});
    }
    return errors;
  }

  ProbeStep Probe(const ProbeInput& input) const override {
    if (input.response != nullptr) return ProbeStep::Finish(Classify(*input.response));
    HttpRequest request;
    request.method = "GET";
    request.url = switchboard::JoinUrl(BaseUrl(input.config), "models");
    request.headers = AuthHeaders(input.config);
    return ProbeStep::Send(request);
  }

  // A static key: one step, no expiry, sent only under the base URL.
  AuthorizeStep Authorize(const AuthorizeInput& input) const override {
    switchboard::Authorization authorization;
    authorization.headers = AuthHeaders(input.config);
    authorization.origins = {switchboard::GrantOriginOf(BaseUrl(input.config), "base_url")};
    return AuthorizeStep::Grant(std::move(authorization));
  }

  Classification ClassifyResponse(const ClassifyInput& input) const override {
    if (input.response.status < 400) return {ResponseClass::kFine, "ok", "OpenAI answered the request."};
    return ClassifyUse(input.response, switchboard::StringField(input.config, "api_key"));
  }
};

}  // namespace

SWITCHBOARD_PROVIDER(OpenAiProvider)
