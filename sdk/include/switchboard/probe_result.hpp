// Building a probe's verdict: one factory per outcome of the ABI, and the readers most
// classifiers need (the error code of a JSON error body, Retry-After, a time for
// expires_at, a verdict for a log line). Header-only; depends on nlohmann/json.
//
//   if (status == 200) return Valid("The token can read its profile.");
//   if (status == 401) return Invalid(ErrorCode(response.body, "unauthorized"),
//                                     "The token was refused.", "token");
//   if (status == 429) return Transient("rate_limited", "Rate limited.", RetryAfter(response));
#ifndef SWITCHBOARD_PROBE_RESULT_HPP
#define SWITCHBOARD_PROBE_RESULT_HPP

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "switchboard/http_util.hpp"
#include "switchboard/probe.hpp"

namespace switchboard {

// A verdict of any outcome. `reason` is the provider's own code, `message` one sentence
// for a person (never a secret), `field` the config field at fault or "".
inline ProbeResult Verdict(Outcome outcome, std::string reason, std::string message,
                           std::string field = "") {
  ProbeResult result;
  result.outcome = outcome;
  result.reason = std::move(reason);
  result.message = std::move(message);
  result.field = std::move(field);
  return result;
}

// `valid`: the credentials work. The reason is "ok".
inline ProbeResult Valid(std::string message) {
  return Verdict(Outcome::kValid, "ok", std::move(message));
}

// `invalid_credentials`: wrong, expired or revoked; the connection becomes inactive.
inline ProbeResult Invalid(std::string reason, std::string message, std::string field = "") {
  return Verdict(Outcome::kInvalidCredentials, std::move(reason), std::move(message),
                 std::move(field));
}

// `missing_permission`: genuine credentials that cannot do what the connection is for.
inline ProbeResult MissingPermission(std::string reason, std::string message,
                                     std::string field = "") {
  return Verdict(Outcome::kMissingPermission, std::move(reason), std::move(message),
                 std::move(field));
}

// `transient`: says nothing certain about the credentials; the status stays as it was.
// `retry_after_seconds` is when to probe again, when the provider said (RetryAfter()).
inline ProbeResult Transient(std::string reason, std::string message,
                             std::optional<double> retry_after_seconds = std::nullopt) {
  ProbeResult result = Verdict(Outcome::kTransient, std::move(reason), std::move(message));
  result.retry_after_seconds = retry_after_seconds;
  return result;
}

// "HTTP 503": how a message names a status when the provider gave no words of its own.
inline std::string StatusText(int status) { return "HTTP " + std::to_string(status); }

// `invalid_credentials`, reason "not_found", at `field`: the configured base URL has no
// such API (a typo, a missing version segment). "No <what> at this base URL: check it."
inline ProbeResult NotFoundAtBaseUrl(const std::string& what, std::string field) {
  return Invalid("not_found", "No " + what + " at this base URL: check it.", std::move(field));
}

// `transient`, reason "unexpected_status": a status the provider's rules do not know
// says nothing certain about the credentials. "Unexpected answer from <who>: HTTP 418."
inline ProbeResult UnexpectedStatus(const std::string& who, int status,
                                    std::optional<double> retry_after_seconds = std::nullopt) {
  return Transient("unexpected_status",
                   "Unexpected answer from " + who + ": " + StatusText(status) + ".",
                   retry_after_seconds);
}

// The response's Retry-After in seconds, when it is given as delta-seconds (an HTTP date
// gives nullopt; see ParseRetryAfterSeconds).
inline std::optional<double> RetryAfter(const HttpResponse& response) {
  return ParseRetryAfterSeconds(response.Header("retry-after"));
}

// The error code of a JSON error body, or `fallback` when it has none:
//   {"error": "invalid_grant", ...}            OAuth 2.0 (RFC 6749 5.2) -> "invalid_grant"
//   {"error": {"code": "invalid_api_key", ...}} OpenAI, Microsoft Graph  -> "invalid_api_key"
// Anything else (not JSON, HTML, another shape, a number) gives `fallback`. Never throws:
// the body comes from a remote server.
inline std::string ErrorCode(const std::string& body, const std::string& fallback) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return fallback;
  auto error = parsed.find("error");
  if (error == parsed.end()) return fallback;
  if (error->is_string() && !error->get_ref<const std::string&>().empty()) return *error;
  if (error->is_object()) {
    auto code = error->find("code");
    if (code != error->end() && code->is_string() && !code->get_ref<const std::string&>().empty()) {
      return *code;
    }
  }
  return fallback;
}

// A verdict in a few words for a log line: "invalid_credentials (invalid_grant, field
// refresh_token)". Outcome, reason and field only: the message may quote the provider,
// and the host does not redact plugin log lines.
inline std::string VerdictSummary(const ProbeResult& result) {
  return std::string(OutcomeName(result.outcome)) + " (" + result.reason +
         (result.field.empty() ? "" : ", field " + result.field) + ")";
}

// A time as RFC 3339 in UTC ("2031-05-01T12:00:00Z"), for ProbeResult::expires_at.
// A probe reads the clock with std::chrono::system_clock::now() (the host machine's).
inline std::string Rfc3339Utc(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace switchboard

#endif  // SWITCHBOARD_PROBE_RESULT_HPP
