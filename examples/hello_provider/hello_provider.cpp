// Hello API: a provider for an imaginary service that authenticates with a bearer
// token. It is the smallest complete Switchboard plugin, written to be copied: one
// class, a field schema, one validation rule, and a one-request probe.
//
// The Hello API (invented for this example):
//   GET {endpoint}/me  with  Authorization: Bearer hello_...
//   200 {"id": "u_1", "name": "Ada"}            the token works
//   401 {"error": "token_revoked", ...}         wrong, expired or revoked token
//   403 {"error": "scope_missing", ...}         a real token without the "profile" scope
//   429 + Retry-After: <seconds>                rate limited
//   5xx                                         outage
#include <string>
#include <utility>
#include <vector>

#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/provider.hpp>

namespace {

using switchboard::ErrorCode;
using switchboard::FieldError;
using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::Invalid;
using switchboard::Json;
using switchboard::MissingPermission;
using switchboard::ProbeInput;
using switchboard::ProbeResult;
using switchboard::ProbeStep;
using switchboard::RetryAfter;
using switchboard::Transient;
using switchboard::Valid;

constexpr const char* kDefaultEndpoint = "https://api.hello.example/v1";
constexpr const char* kTokenPrefix = "hello_";

constexpr const char* kIcon =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img" aria-label="Hello API"><circle cx="12" cy="12" r="11" fill="#f5a623"/><path d="M8 7v10M16 7v10M8 12h8" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>)svg";

// The form a host renders for a Hello connection. It must satisfy the meta-schema the
// SDK installs as share/switchboard/provider-field-schema.json (see docs/field-schema.md): a closed draft-07
// object, every field in x-order, secrets marked writeOnly + format password.
// The schema checks shape (non-empty, no spaces); Validate below checks meaning.
constexpr const char* kSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Hello API connection",
  "type": "object",
  "additionalProperties": false,
  "required": ["token"],
  "x-order": ["token", "endpoint"],
  "x-groups": [
    {"id": "credentials", "title": "Credentials"},
    {"id": "advanced", "title": "Advanced", "collapsed": true,
     "description": "Only for a self-hosted Hello server."}
  ],
  "properties": {
    "token": {
      "type": "string", "title": "API token", "writeOnly": true, "format": "password",
      "minLength": 1, "pattern": "^\\S+$",
      "description": "A personal token with the profile scope. Create one under Settings > Tokens.",
      "x-placeholder": "hello_...", "x-group": "credentials",
      "x-help-url": "https://hello.example/settings/tokens"
    },
    "endpoint": {
      "type": "string", "title": "Endpoint", "format": "uri", "pattern": "^https?://\\S+$",
      "default": "https://api.hello.example/v1",
      "description": "The API's base URL. The probe calls {endpoint}/me.",
      "x-placeholder": "https://api.hello.example/v1", "x-group": "advanced",
      "x-credential-destination": true
    }
  }
})json";

// A field the user left out (or empty) means its default: the host does not fill
// defaults in for the plugin.
std::string Endpoint(const Json& config) {
  return switchboard::StringFieldOr(config, "endpoint", kDefaultEndpoint);
}

class HelloProvider final : public switchboard::Provider {
 public:
  switchboard::Manifest Describe() const override {
    return {"hello", "Hello API", "1.0.0", "The Hello API, authenticated with a personal token.",
            kIcon, Json::parse(kSchema)};
  }

  // Runs only on configs that already passed the schema, so "token" is a string here
  // when present.
  std::vector<FieldError> Validate(const Json& config) const override {
    std::vector<FieldError> errors;
    const std::string token = config.value("token", "");
    if (!token.empty() && token.rfind(kTokenPrefix, 0) != 0) {
      errors.push_back({"token", "bad_prefix", "A Hello API token starts with hello_."});
    }
    return errors;
  }

  // Step 1 (no response yet): ask the host to call GET {endpoint}/me.
  // Step 2 (the response): classify it. The probe never needs a third step.
  ProbeStep Probe(const ProbeInput& input) const override {
    if (input.response != nullptr) return ProbeStep::Finish(Classify(*input.response));
    HttpRequest request;
    request.method = "GET";
    request.url = switchboard::JoinUrl(Endpoint(input.config), "me");
    request.headers["authorization"] = "Bearer " + input.config.value("token", "");
    request.headers["accept"] = "application/json";
    return ProbeStep::Send(std::move(request));
  }

 private:
  // ErrorCode reads the "error" word of a Hello error body ({"error": "token_revoked"}),
  // or gives the fallback when the body has none; it never throws on a hostile body.
  ProbeResult Classify(const HttpResponse& response) const {
    const int status = response.status;
    if (status == 200) return Valid("The token can read its profile.");
    if (status == 401) {
      return Invalid(ErrorCode(response.body, "unauthorized"),
                     "The Hello API rejected the token: it is wrong, expired or revoked.", "token");
    }
    if (status == 403) {
      return MissingPermission(ErrorCode(response.body, "forbidden"),
                               "The token is genuine but lacks the profile scope.", "token");
    }
    if (status == 429) return Transient("rate_limited", "Rate limited by the Hello API.", RetryAfter(response));
    if (status >= 500) {
      return Transient("server_error",
                       "The Hello API had a server error (HTTP " + std::to_string(status) + ").",
                       RetryAfter(response));
    }
    // Anything else says nothing certain about the token. The line names the status
    // only: never the token, the request headers or the body (which may echo them).
    Log(SB_LOG_WARN, "hello: unexpected HTTP " + std::to_string(status) + " from GET /me");
    return Transient("unexpected_status",
                     "Unexpected answer from the Hello API: HTTP " + std::to_string(status) + ".");
  }
};

}  // namespace

// Exports sb_provider_entry, the plugin's only public symbol.
SWITCHBOARD_PROVIDER(HelloProvider)
