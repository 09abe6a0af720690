#include "classify.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/text_util.hpp>

namespace trello {
namespace {

using switchboard::HttpResponse;
using switchboard::Invalid;
using switchboard::Lower;
using switchboard::MissingPermission;
using switchboard::ProbeResult;
using switchboard::Transient;
using Json = nlohmann::json;

// Window lengths of Trello's limits: 10 s per key and per token, 900 s on /1/members/.
// Trello sends no Retry-After, so waiting out the window is the only safe hint.
constexpr double kShortWindowSeconds = 10;
constexpr double kMembersWindowSeconds = 900;

// Trello's 401 bodies are plain text such as "invalid token\n"; compare them trimmed and
// lower-cased, and never assume JSON.
std::string NormalizedText(const std::string& body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = body.find_last_not_of(" \t\r\n");
  return Lower(body.substr(first, last - first + 1));
}

// A reason code from Trello's own words ("unauthorized organization." becomes
// "unauthorized_organization"). Only short texts of letters qualify: a key or token
// always contains digits, so none can be copied into a reason this way.
std::optional<std::string> ReasonFromText(const std::string& text) {
  std::string reason;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      reason.push_back(c);
    } else if (c == ' ' || c == '-' || c == '_') {
      if (!reason.empty() && reason.back() != '_') reason.push_back('_');
    } else if (c != '.') {
      return std::nullopt;
    }
  }
  while (!reason.empty() && reason.back() == '_') reason.pop_back();
  if (reason.empty() || reason.size() > 64) return std::nullopt;
  return reason;
}

ProbeResult ClassifyUnauthorized(const HttpResponse& response) {
  const std::string text = NormalizedText(response.body);
  if (text == "invalid key") {
    return Invalid("invalid_key",
                   "Trello does not know this API key.", "api_key");
  }
  if (text == "invalid token") {
    return Invalid("invalid_token",
                   "Trello rejected the token: it is wrong, revoked, or was authorized for "
                   "another API key.",
                   "token");
  }
  if (text == "expired token") {
    return Invalid("expired_token",
                   "The token has expired: authorize a new one.", "token");
  }
  if (switchboard::StartsWith(text, "unauthorized")) {
    return MissingPermission(ReasonFromText(text).value_or("unauthorized"),
                   "The token is genuine but lacks a permission this connection needs: "
                   "authorize a token with read access.",
                   "token");
  }
  return Invalid(ReasonFromText(text).value_or("unauthorized"),
                 "Trello refused the API key and token (HTTP 401).");
}

ProbeResult ClassifyRateLimit(const HttpResponse& response) {
  std::string code;
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    code = body["error"].get<std::string>();
  }
  const double window = code == "RATE_LIMIT_EXCEEDED" ? kMembersWindowSeconds : kShortWindowSeconds;
  return Transient(code.empty() ? "rate_limit_exceeded" : Lower(code),
                   code == "RATE_LIMIT_EXCEEDED"
                       ? "Trello's limit on member requests was reached; probing again later."
                       : "Trello's rate limit was reached; probing again later.",
                   switchboard::RetryAfter(response).value_or(window));
}

}  // namespace

ProbeResult ClassifyMemberResponse(const HttpResponse& response) {
  const int status = response.status;
  if (status >= 200 && status < 300) {
    return switchboard::Valid("The API key and token can read the member.");
  }
  if (status == 401) return ClassifyUnauthorized(response);
  if (status == 404) {
    return switchboard::NotFoundAtBaseUrl("Trello API", "base_url");
  }
  if (status == 429) return ClassifyRateLimit(response);
  if (status >= 500) {
    return Transient("server_error",
                     "Trello had a server error (" + switchboard::StatusText(status) + ").",
                     switchboard::RetryAfter(response));
  }
  return switchboard::UnexpectedStatus("Trello", status);
}

switchboard::Classification ClassifyUse(const HttpResponse& response) {
  using switchboard::ResponseClass;
  const int status = response.status;
  if (status < 400) return {ResponseClass::kFine, "ok", "Trello answered the request."};
  if (status == 404) return {ResponseClass::kFine, "not_found", "Trello found no such resource (HTTP 404)."};
  // The probe's verdicts of 401, 429 and 5xx hold for any route; their messages name
  // no secret (reasons from Trello's text never hold digits, so no key or token).
  if (status == 401 || status == 429 || status >= 500) {
    const ProbeResult verdict = ClassifyMemberResponse(response);
    switch (verdict.outcome) {
      case switchboard::Outcome::kInvalidCredentials:
        return {ResponseClass::kInvalidCredentials, verdict.reason, verdict.message};
      case switchboard::Outcome::kMissingPermission:
        return {ResponseClass::kMissingPermission, verdict.reason, verdict.message};
      case switchboard::Outcome::kTransient:
        return {ResponseClass::kTransient, verdict.reason, verdict.message};
      case switchboard::Outcome::kValid:
        break;
    }
  }
  return {ResponseClass::kFine, "http_" + std::to_string(status),
          "Trello refused this request (" + switchboard::StatusText(status) +
              "); nothing says the key or token is at fault."};
}

std::string UsernameOf(const HttpResponse& response) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("username") || !body["username"].is_string()) return "";
  return body["username"].get<std::string>();
}

namespace {

// ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$, in one pass: the
// value comes from a reply, and std::regex recurses once per character of it.
bool IsRfc3339(const std::string& t) {
  auto digits = [&](size_t at, size_t count) {
    if (at + count > t.size()) return false;
    for (size_t i = at; i < at + count; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
    }
    return true;
  };
  if (!(digits(0, 4) && t.size() > 19 && t[4] == '-' && digits(5, 2) && t[7] == '-' && digits(8, 2) &&
        t[10] == 'T' && digits(11, 2) && t[13] == ':' && digits(14, 2) && t[16] == ':' && digits(17, 2))) {
    return false;
  }
  size_t i = 19;
  if (t[i] == '.') {
    const size_t start = ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i < t.size() && t[i] == 'Z') return i + 1 == t.size();
  return i < t.size() && (t[i] == '+' || t[i] == '-') && digits(i + 1, 2) && i + 3 < t.size() && t[i + 3] == ':' &&
         digits(i + 4, 2) && i + 6 == t.size();
}

}  // namespace

std::string ExpiryOf(const HttpResponse& response) {
  if (response.status != 200) return "";
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("dateExpires") || !body["dateExpires"].is_string()) {
    return "";
  }
  std::string expires = body["dateExpires"].get<std::string>();
  return IsRfc3339(expires) ? expires : "";
}

}  // namespace trello
