#include "classify.hpp"

#include <switchboard/oauth2_client.hpp>
#include <switchboard/oauth_util.hpp>
#include <switchboard/probe_result.hpp>
using namespace switchboard::oauth;

namespace outlook {
namespace {

using switchboard::HttpResponse;
using switchboard::Invalid;
using switchboard::MissingPermission;
using switchboard::ProbeResult;
using switchboard::StatusText;
using switchboard::Transient;

// The first AADSTS number of a token error, 0 when there is none.
long FirstErrorCode(const Json& body) {
  auto codes = body.find("error_codes");
  if (codes == body.end() || !codes->is_array() || codes->empty()) return 0;
  const Json& first = (*codes)[0];
  return first.is_number_integer() ? first.get<long>() : 0;
}

// AADSTS codes that mean "try again later" whatever `error` says: RetryableError,
// service errors, RequestBudgetExceeded, TenantThrottlingError, LoopDetected...
bool IsRetryableCode(long code) {
  switch (code) {
    case 50033: case 50196: case 90006: case 90024: case 90033: case 90055: case 90090:
      return true;
    default:
      return false;
  }
}

// AADSTS codes that point at the tenant: not found (90002), not a valid name (900023),
// a single-tenant app used on /common (50194).
bool IsTenantCode(long code) { return code == 90002 || code == 900023 || code == 50194; }

}  // namespace

ProbeResult ClassifyTokenError(const HttpResponse& response,
                               const std::vector<std::string>& secrets) {
  const TokenError token_error = ParseTokenError(response);
  const std::string& error = token_error.error;
  const long code = FirstErrorCode(token_error.body);
  // Descriptions start "AADSTS<code>: ..." and end in trace ids on later lines.
  const std::string said = token_error.Quote(
      secrets, code != 0 ? "AADSTS" + std::to_string(code) : StatusText(response.status));
  const int status = response.status;

  if (status == 429 || status >= 500 || error == "temporarily_unavailable" ||
      IsRetryableCode(code)) {
    std::string reason = !error.empty() ? error : status == 429 ? "throttled" : "server_error";
    return Transient(reason, "Microsoft sign-in is unavailable for now (" + said + ").", RetryAfter(response));
  }
  if (error == "invalid_grant" || error == "interaction_required" ||
      error == "consent_required") {
    std::string advice = "reconnect the account.";
    if (error == "interaction_required") {
      advice = "multi-factor authentication or a Conditional Access policy requires the user "
               "to sign in interactively; reconnect the account.";
    } else if (error == "consent_required" || code == 65001) {
      advice = "the user or an admin must consent to the permissions again; reconnect.";
    } else if (code == 700082) {
      advice = "it was unused for 90 days; reconnect the account.";
    }
    return Invalid(error,
                   "Microsoft refused the refresh token (" + said + "): " + advice,
                   "refresh_token");
  }
  if (IsTenantCode(code)) {
    return Invalid(error.empty() ? "invalid_request" : error,
                   "Microsoft cannot use this tenant (" + said + ").", "tenant");
  }
  if (error == "invalid_client") {
    std::string advice = "check the client secret.";
    if (code == 7000215) advice = "paste the secret's Value, not its Secret ID.";
    if (code == 7000222) advice = "the secret has expired; create a new one.";
    if (code == 700025) advice = "this is a public client; remove the client secret.";
    return Invalid(error,
                   "Microsoft rejected the client credentials (" + said + "): " + advice,
                   "client_secret");
  }
  if (error == "unauthorized_client") {
    return Invalid(error,
                   "The app registration cannot be used here (" + said +
                       "): check the application ID and that the app exists in the tenant.",
                   "client_id");
  }
  if (error == "invalid_scope") {
    return Invalid(error,
                   "Microsoft rejected the scopes (" + said + ").", "scopes");
  }
  if (error == "invalid_request") {
    return Invalid(error,
                   "Microsoft rejected the token request (" + said + ").");
  }
  if (status == 404) {
    return Invalid("not_found",
                   "No token endpoint at this sign-in host: check it.", "authority_host");
  }
  return TokenRefused(token_error, "Microsoft", said);
}

ProbeResult ClassifyGraphError(const HttpResponse& response,
                               const std::vector<std::string>& secrets) {
  const Json envelope = ParseObject(response.body);
  const Json error = envelope.contains("error") ? envelope["error"] : Json::object();
  const std::string code = StringField(error, "code");
  const std::string message = StringField(error, "message");
  const int status = response.status;
  const std::string said = Scrub(Excerpt(message.empty() ? StatusText(status) : message), secrets);
  auto code_or = [&](const char* fallback) { return code.empty() ? std::string(fallback) : code; };

  if (status == 401) {
    return RejectedFreshToken(code_or("InvalidAuthenticationToken"), "Microsoft Graph", said);
  }
  if (status == 403) {
    return MissingPermission(code_or("Forbidden"),
                   "The account or app lacks a permission Microsoft Graph needs (" + said +
                       "); grant it and reconnect.",
                   "scopes");
  }
  if (status == 429) {
    return Transient(code_or("TooManyRequests"), "Microsoft Graph is throttling requests.",
                     RetryAfter(response));
  }
  if (status >= 500) {
    return Transient(code_or("serviceNotAvailable"),
                     "Microsoft Graph is unavailable for now (" + StatusText(status) + ").",
                     RetryAfter(response));
  }
  if (status == 404) {
    return Invalid(code_or("not_found"),
                   "No Microsoft Graph at this base URL: check it.", "graph_base");
  }
  return switchboard::UnexpectedStatus("Microsoft Graph", status, RetryAfter(response));
}

}  // namespace outlook
