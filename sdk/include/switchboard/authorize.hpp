// How a provider's credentials are applied to a request to its provider (ABI 1.1).
//
// A flow never sees a connection's secrets: it asks the host to call the provider for
// it (the proxy), or for short-lived authorization material (the credentials endpoint).
// Either way the host asks the plugin, through Provider::Authorize, what to add to a
// request and where that request may go:
//
//   - an API key: one step, AuthorizeStep::Grant({headers: {"authorization": "Bearer ..."},
//     origins: {{"https://api.openai.com", "/v1"}}});
//   - OAuth2: AuthorizeStep::Send(the refresh-token grant), then Grant(the access token
//     as a Bearer header, expires_at from expires_in, config_update with a rotated
//     refresh token), or Refuse(invalid_credentials "invalid_grant", ...).
//
// The host drives the steps like a probe's (it performs the requests; the plugin opens
// no sockets), caches a grant until shortly before expires_at, and sends the headers and
// query parameters only to the origins the grant lists, under their base path.
//
// Provider::ClassifyResponse reads the provider's answer to a proxied request (only an
// error status: 2xx and 3xx are fine without asking) so that the plugin's knowledge of
// its provider's error bodies decides whether the connection's credentials stopped
// working.
//
// Header-only; depends on nlohmann/json.
#ifndef SWITCHBOARD_AUTHORIZE_HPP
#define SWITCHBOARD_AUTHORIZE_HPP

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchboard/probe.hpp"

namespace switchboard {

// Where credentials may be sent: an origin as RFC 6454 serializes it, lower-case and
// without a default port ("https://api.openai.com", "http://127.0.0.1:8443"), and the path
// every request must stay under ("/v1"; "" for the whole origin; no trailing slash).
struct AuthorizedOrigin {
  std::string origin;
  std::string base_path;
};

// What to add to a request to the provider, and where it may go.
struct Authorization {
  Headers headers;                           // lower-case names
  std::map<std::string, std::string> query;  // parameters added to the query string
  std::vector<AuthorizedOrigin> origins;     // the first is where the proxy sends requests
  std::string expires_at;                    // RFC 3339; "" when it lasts as long as the config
  nlohmann::json config_update = nlohmann::json::object();  // fields to store (a rotated token)
};

inline void to_json(nlohmann::json& j, const AuthorizedOrigin& o) {
  j = nlohmann::json{{"origin", o.origin}, {"base_path", o.base_path}};
}

inline void to_json(nlohmann::json& j, const Authorization& a) {
  j = nlohmann::json{{"headers", a.headers},
                     {"query", a.query},
                     {"origins", a.origins},
                     {"config_update", a.config_update}};
  j["expires_at"] = a.expires_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.expires_at);
}

namespace detail {
// A JSON object of string values, or throws: headers and query parameters are text.
inline std::map<std::string, std::string> StringMap(const nlohmann::json& j, const char* what) {
  std::map<std::string, std::string> out;
  if (j.is_null()) return out;
  if (!j.is_object()) throw std::invalid_argument(std::string(what) + " is not an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_string()) throw std::invalid_argument(std::string(what) + " holds a value that is not a string");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}
}  // namespace detail

inline void from_json(const nlohmann::json& j, Authorization& a) {
  if (!j.is_object()) throw std::invalid_argument("authorization is not an object");
  a.headers = detail::StringMap(j.value("headers", nlohmann::json(nullptr)), "headers");
  a.query = detail::StringMap(j.value("query", nlohmann::json(nullptr)), "query");
  const nlohmann::json& origins = j.at("origins");
  if (!origins.is_array()) throw std::invalid_argument("origins is not an array");
  a.origins.clear();
  for (const auto& o : origins) {
    if (!o.is_object() || !o.contains("origin") || !o["origin"].is_string()) {
      throw std::invalid_argument("an origin is not {\"origin\": string, \"base_path\": string}");
    }
    AuthorizedOrigin origin;
    origin.origin = o["origin"].get<std::string>();
    if (o.contains("base_path") && !o["base_path"].is_null()) {
      if (!o["base_path"].is_string()) throw std::invalid_argument("base_path is not a string");
      origin.base_path = o["base_path"].get<std::string>();
    }
    a.origins.push_back(std::move(origin));
  }
  a.expires_at = j.contains("expires_at") && j["expires_at"].is_string() ? j["expires_at"].get<std::string>() : "";
  a.config_update = j.contains("config_update") && j["config_update"].is_object() ? j["config_update"]
                                                                                    : nlohmann::json::object();
}

// What Provider::Authorize receives. References are valid only during the call.
struct AuthorizeInput {
  const nlohmann::json& config;  // the connection's fields, secrets unsealed
  const nlohmann::json& state;   // what the previous step returned as state; null at first
  const HttpResponse* response;  // the answer to the previous request; null at first
};

// What Provider::Authorize returns: a request the host must make first, the
// authorization, or a refusal (a ProbeResult whose outcome is not valid: the host applies
// it to the connection as it would a probe's verdict).
class AuthorizeStep {
 public:
  static AuthorizeStep Send(HttpRequest request, nlohmann::json state = nullptr) {
    AuthorizeStep step;
    step.request_ = std::move(request);
    step.state_ = std::move(state);
    return step;
  }
  static AuthorizeStep Grant(Authorization authorization) {
    AuthorizeStep step;
    step.authorization_ = std::move(authorization);
    return step;
  }
  static AuthorizeStep Refuse(ProbeResult refusal) {
    if (refusal.outcome == Outcome::kValid) throw std::invalid_argument("a refusal cannot be valid");
    AuthorizeStep step;
    step.refusal_ = std::move(refusal);
    return step;
  }

  const std::optional<HttpRequest>& request() const { return request_; }
  const std::optional<Authorization>& authorization() const { return authorization_; }
  const std::optional<ProbeResult>& refusal() const { return refusal_; }
  const nlohmann::json& state() const { return state_; }

  nlohmann::json ToJson() const {
    if (authorization_) return nlohmann::json{{"authorization", *authorization_}};
    if (refusal_) return nlohmann::json{{"refused", *refusal_}};
    return nlohmann::json{{"request", *request_}, {"state", state_}};
  }
  // Parses a plugin's authorize_step output. Throws on a malformed one: exactly one of
  // "request", "authorization" and "refused".
  static AuthorizeStep FromJson(const nlohmann::json& j) {
    if (!j.is_object()) throw std::invalid_argument("authorize step is not an object");
    const int kinds = int(j.contains("request")) + int(j.contains("authorization")) + int(j.contains("refused"));
    if (kinds != 1) {
      throw std::invalid_argument("authorize step needs exactly one of \"request\", \"authorization\", \"refused\"");
    }
    if (j.contains("authorization")) return Grant(j["authorization"].get<Authorization>());
    if (j.contains("refused")) return Refuse(j["refused"].get<ProbeResult>());
    if (!j["request"].is_object()) throw std::invalid_argument("request is not an object");
    return Send(j["request"].get<HttpRequest>(), j.value("state", nlohmann::json(nullptr)));
  }

 private:
  AuthorizeStep() = default;
  std::optional<HttpRequest> request_;
  std::optional<Authorization> authorization_;
  std::optional<ProbeResult> refusal_;
  nlohmann::json state_;
};

// What a provider's answer to a proxied request says about the connection.
enum class ResponseClass {
  kFine,                // nothing about the credentials (a 404 of a missing event, a 400)
  kInvalidCredentials,  // they stopped working: the host probes the connection to be sure
  kMissingPermission,   // they work but may not do this: the host probes the connection
  kTransient            // rate limit or outage: never changes the connection's status
};

inline const char* ResponseClassName(ResponseClass c) {
  switch (c) {
    case ResponseClass::kFine: return "fine";
    case ResponseClass::kInvalidCredentials: return "invalid_credentials";
    case ResponseClass::kMissingPermission: return "missing_permission";
    case ResponseClass::kTransient: return "transient";
  }
  return "fine";
}

inline std::optional<ResponseClass> ParseResponseClass(const std::string& name) {
  if (name == "fine") return ResponseClass::kFine;
  if (name == "invalid_credentials") return ResponseClass::kInvalidCredentials;
  if (name == "missing_permission") return ResponseClass::kMissingPermission;
  if (name == "transient") return ResponseClass::kTransient;
  return std::nullopt;
}

struct Classification {
  ResponseClass kind = ResponseClass::kFine;
  std::string reason;   // the provider's own code, e.g. "invalid_api_key"
  std::string message;  // one sentence for a person; never contains a secret

  nlohmann::json ToJson() const {
    return nlohmann::json{{"class", ResponseClassName(kind)}, {"reason", reason}, {"message", message}};
  }
  // Parses a plugin's classify_response output. Throws on a malformed one.
  static Classification FromJson(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("class") || !j["class"].is_string()) {
      throw std::invalid_argument("classification has no \"class\"");
    }
    auto kind = ParseResponseClass(j["class"].get<std::string>());
    if (!kind) throw std::invalid_argument("unknown response class");
    Classification c;
    c.kind = *kind;
    c.reason = j.contains("reason") && j["reason"].is_string() ? j["reason"].get<std::string>() : "";
    c.message = j.contains("message") && j["message"].is_string() ? j["message"].get<std::string>() : "";
    return c;
  }
};

// What Provider::ClassifyResponse receives: the connection's config (secrets unsealed),
// the proxied request as sent (without the credentials the host added) and the
// provider's answer (its body cut to what the host keeps of it).
struct ClassifyInput {
  const nlohmann::json& config;
  const HttpRequest& request;
  const HttpResponse& response;
};

// The reading of a status alone: 401 invalid credentials, 403 missing permission, 429 and
// 5xx transient, anything else fine. Provider::ClassifyResponse's default.
inline Classification ClassifyByStatus(int status) {
  Classification c;
  if (status == 401) {
    c = {ResponseClass::kInvalidCredentials, "http_401", "The provider refused the credentials (HTTP 401)."};
  } else if (status == 403) {
    c = {ResponseClass::kMissingPermission, "http_403", "The provider refused this request (HTTP 403)."};
  } else if (status == 429) {
    c = {ResponseClass::kTransient, "rate_limited", "The provider is rate limiting (HTTP 429)."};
  } else if (status >= 500) {
    c = {ResponseClass::kTransient, "http_" + std::to_string(status),
         "The provider failed (HTTP " + std::to_string(status) + ")."};
  }
  return c;
}

// An error a plugin function reports under a code of its own choosing; the trampolines
// of provider.hpp turn it into {"code": code, "message": what()}.
class PluginError : public std::runtime_error {
 public:
  PluginError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_AUTHORIZE_HPP
