// Credential probes as a small state machine the host drives.
//
// A plugin never opens a socket. Provider::Probe is called with the connection's config
// and, after the first step, the response to the request it asked for; it returns either
// the next request (ProbeStep::Send) or the verdict (ProbeStep::Finish). An OAuth2 probe
// is two steps: refresh the access token, then call the API.
//
// The host performs requests with its own timeouts, TLS verification, egress policy and
// concurrency limits. A request that gets no HTTP response at all (DNS, connect, TLS,
// timeout) ends the probe as `transient` without calling the plugin again.
#ifndef SWITCHBOARD_PROBE_HPP
#define SWITCHBOARD_PROBE_HPP

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace switchboard {

// Header names are lower-case on both sides of the boundary.
using Headers = std::map<std::string, std::string>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // The header's value, or "" when absent. `name` must be lower-case.
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

inline void to_json(nlohmann::json& j, const HttpRequest& r) {
  j = nlohmann::json{{"method", r.method}, {"url", r.url}, {"headers", r.headers}, {"body", r.body}};
}
inline void from_json(const nlohmann::json& j, HttpRequest& r) {
  r.method = j.value("method", "GET");
  r.url = j.value("url", "");
  r.headers = j.value("headers", Headers{});
  r.body = j.value("body", "");
}
inline void to_json(nlohmann::json& j, const HttpResponse& r) {
  j = nlohmann::json{{"status", r.status}, {"headers", r.headers}, {"body", r.body}};
}
inline void from_json(const nlohmann::json& j, HttpResponse& r) {
  r.status = j.value("status", 0);
  r.headers = j.value("headers", Headers{});
  r.body = j.value("body", "");
}

// The four verdicts of a probe (see docs/probes.md for what each does to a connection).
enum class Outcome {
  kValid,               // the credentials work
  kInvalidCredentials,  // wrong, expired or revoked: the connection becomes inactive
  kMissingPermission,   // genuine credentials that cannot do what the connection is for
  kTransient            // rate limit, outage, network: say nothing about the credentials
};

inline const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kValid: return "valid";
    case Outcome::kInvalidCredentials: return "invalid_credentials";
    case Outcome::kMissingPermission: return "missing_permission";
    case Outcome::kTransient: return "transient";
  }
  return "transient";
}

inline std::optional<Outcome> ParseOutcome(const std::string& name) {
  if (name == "valid") return Outcome::kValid;
  if (name == "invalid_credentials") return Outcome::kInvalidCredentials;
  if (name == "missing_permission") return Outcome::kMissingPermission;
  if (name == "transient") return Outcome::kTransient;
  return std::nullopt;
}

struct ProbeResult {
  Outcome outcome = Outcome::kTransient;
  std::string reason;   // the provider's own code, e.g. "invalid_api_key", "invalid_grant"
  std::string message;  // one sentence for a person; never contains a secret
  std::string field;    // the config field at fault, when one is ("" otherwise)
  std::optional<double> retry_after_seconds;  // when to probe again, for transient results
  nlohmann::json config_update = nlohmann::json::object();  // fields to store, e.g. a
                                                            // rotated refresh_token
  std::string expires_at;  // RFC 3339 time the credentials lapse, when the provider says
};

inline void to_json(nlohmann::json& j, const ProbeResult& r) {
  j = nlohmann::json{{"outcome", OutcomeName(r.outcome)},
                     {"reason", r.reason},
                     {"message", r.message},
                     {"config_update", r.config_update}};
  j["field"] = r.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.field);
  j["retry_after_seconds"] =
      r.retry_after_seconds ? nlohmann::json(*r.retry_after_seconds) : nlohmann::json(nullptr);
  j["expires_at"] = r.expires_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.expires_at);
}

inline void from_json(const nlohmann::json& j, ProbeResult& r) {
  auto outcome = ParseOutcome(j.at("outcome").get<std::string>());
  if (!outcome) throw std::invalid_argument("unknown probe outcome");
  r.outcome = *outcome;
  r.reason = j.value("reason", "");
  r.message = j.value("message", "");
  r.field = j.contains("field") && j["field"].is_string() ? j["field"].get<std::string>() : "";
  if (j.contains("retry_after_seconds") && j["retry_after_seconds"].is_number()) {
    r.retry_after_seconds = j["retry_after_seconds"].get<double>();
  }
  r.config_update = j.contains("config_update") && j["config_update"].is_object()
                        ? j["config_update"]
                        : nlohmann::json::object();
  r.expires_at =
      j.contains("expires_at") && j["expires_at"].is_string() ? j["expires_at"].get<std::string>() : "";
}

// What Provider::Probe receives. References are valid only during the call.
struct ProbeInput {
  const nlohmann::json& config;  // the connection's fields, secrets unsealed
  const nlohmann::json& state;   // what the previous step returned as state; null at first
  const HttpResponse* response;  // the answer to the previous request; null at first
};

// What Provider::Probe returns: the next request, or the verdict.
class ProbeStep {
 public:
  static ProbeStep Send(HttpRequest request, nlohmann::json state = nullptr) {
    ProbeStep step;
    step.request_ = std::move(request);
    step.state_ = std::move(state);
    return step;
  }
  static ProbeStep Finish(ProbeResult result) {
    ProbeStep step;
    step.result_ = std::move(result);
    return step;
  }

  bool finished() const { return result_.has_value(); }
  const std::optional<ProbeResult>& result() const { return result_; }
  const std::optional<HttpRequest>& request() const { return request_; }
  const nlohmann::json& state() const { return state_; }

  nlohmann::json ToJson() const {
    if (result_) return nlohmann::json{{"result", *result_}};
    return nlohmann::json{{"request", *request_}, {"state", state_}};
  }

  // Parses a plugin's probe_step output. Throws on a malformed one.
  static ProbeStep FromJson(const nlohmann::json& j) {
    if (j.contains("result")) return Finish(j["result"].get<ProbeResult>());
    if (j.contains("request") && j["request"].is_object()) {
      return Send(j["request"].get<HttpRequest>(), j.value("state", nlohmann::json(nullptr)));
    }
    throw std::invalid_argument("probe step has neither \"request\" nor \"result\"");
  }

 private:
  ProbeStep() = default;
  std::optional<HttpRequest> request_;
  std::optional<ProbeResult> result_;
  nlohmann::json state_;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_PROBE_HPP
