// The OAuth 2.0 refresh-token probe, as one machine a provider fills in:
//
//   1. POST the refresh-token grant to the token endpoint   -> an access token, maybe a
//                                                              new (rotated) refresh token
//      a token response that lists no scope the connection needs ends the probe as
//      missing_permission, before any API call
//   2. GET one cheap API call with the access token          -> the verdict
//   (a 401 at step 2 runs steps 1 and 2 once more with a fresh token: a token can be
//    revoked between issue and use, and one retry tells that apart from dead credentials)
//
// A provider derives from OAuth2Probe, supplies what differs (the two requests, which
// granted scope suffices, how its error answers read) and calls Step() from
// Provider::Probe with an instance built from the connection's config:
//
//   class MyProbe final : public switchboard::oauth::OAuth2Probe { ... };
//   ProbeStep Probe(const ProbeInput& input) const override {
//     return MyProbe(Config::From(input.config)).Step(input);
//   }
//
// What the machine does for every provider:
//   - the access token and a rotated refresh token travel between steps in `state`
//     ({"stage", "attempt", "access_token", "refresh_token", "refresh_expires_at"}),
//     never in a verdict's message;
//   - a rotated refresh token is handed back in every verdict's config_update after it,
//     whatever the outcome, since the provider has already replaced the old one; with
//     RotatedTokenLifetime() set, expires_at says when that token lapses unused;
//   - a refresh token the provider echoes back unchanged is no rotation;
//   - every secret it has seen (the config's, the access token, a rotated token) is
//     scrubbed from the verdict's message and reason (Scrub in oauth_util.hpp).
//
// Beside the probe, the same object runs the authorize machine of ABI 1.1 (Authorize)
// and reads a provider's answers to proxied calls (ClassifyUse):
//
//   1. POST the refresh-token grant (TokenRequest)           -> Send
//   2. a 200 with an access token                            -> Grant: the Bearer header,
//        the origins of ApiOrigins(), expires_at from expires_in, and a rotated refresh
//        token (not an echo of the stored one) in config_update
//      a 200 without one                                     -> Refuse transient
//      any other answer                                      -> Refuse with the verdict
//        ClassifyTokenError gives (invalid_grant: invalid_credentials with the provider's
//        reason; 5xx, 429: transient), scrubbed like a probe's
//
// OAuth2Provider, at the end, is a Provider whose Probe, Authorize and ClassifyResponse
// run such a machine. The request
// builders and readers it uses (TokenRequestTo, BearerGet, JoinScopes, ParseTokenResponse,
// ParseTokenError, ClientConfig) are in oauth2_client.hpp, included here.
//
// Header-only; depends on nlohmann/json.
#ifndef SWITCHBOARD_OAUTH2_PROBE_HPP
#define SWITCHBOARD_OAUTH2_PROBE_HPP

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/authorize.hpp>
#include <switchboard/http_util.hpp>
#include <switchboard/oauth2_client.hpp>
#include <switchboard/oauth_util.hpp>
#include <switchboard/origin_util.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/provider.hpp>

namespace switchboard::oauth {

class OAuth2Probe {
 public:
  virtual ~OAuth2Probe() = default;

  // One step of the probe; as reentrant as the object (build one per call). Throws
  // std::invalid_argument on a state this machine never produced.
  ProbeStep Step(const ProbeInput& input) const {
    if (input.response == nullptr) return SendToken(State{});
    State state = State::From(input.state);
    std::vector<std::string> secrets = Secrets();
    secrets.push_back(state.access_token);
    secrets.push_back(state.refresh_token);
    if (state.stage == "token") return AfterToken(std::move(state), *input.response, std::move(secrets));
    return AfterApi(std::move(state), *input.response, secrets);
  }

  // One step of authorizing requests to the API (ABI 1.1): the refresh-token grant, then
  // the grant or the refusal. As reentrant as Step. Throws std::invalid_argument on a
  // state this machine never produced, and PluginError "provider_cannot_authorize" when
  // the provider declares no ApiOrigins.
  AuthorizeStep Authorize(const AuthorizeInput& input) const {
    if (input.response == nullptr) {
      // Known before a refresh token is spent: where the access token could go.
      if (ApiOrigins().empty()) throw PluginError("provider_cannot_authorize", "this provider declares no API origin");
      return AuthorizeStep::Send(TokenRequest(ConfiguredRefreshToken()), Json{{"stage", kAuthorizeStage}});
    }
    if (StringField(input.state, "stage") != kAuthorizeStage) {
      throw std::invalid_argument("authorize state has no known stage");
    }
    std::vector<std::string> secrets = Secrets();
    const HttpResponse& response = *input.response;
    if (response.status != 200) return Refuse(ClassifyTokenError(response, secrets), secrets);

    const TokenResponse token = ParseTokenResponse(response.body);
    secrets.push_back(token.access_token);
    secrets.push_back(token.refresh_token);
    if (token.access_token.empty()) {
      return Refuse(Transient("malformed_token_response",
                              TokenIssuer() + "'s token endpoint answered 200 without an access token."),
                    secrets);
    }
    Authorization authorization;
    authorization.headers["authorization"] = "Bearer " + token.access_token;
    authorization.origins = ApiOrigins();  // not empty: the first step checked
    if (token.expires_in) authorization.expires_at = AccessTokenExpiry(*token.expires_in);
    if (!token.refresh_token.empty() && token.refresh_token != ConfiguredRefreshToken()) {
      authorization.config_update["refresh_token"] = token.refresh_token;
    }
    return AuthorizeStep::Grant(std::move(authorization));
  }

  // What the API's error answer to a proxied call says about the credentials, read with
  // the provider's ClassifyApiError: its invalid_credentials and missing_permission
  // verdicts stay what they are (a 401 may only mean the cached access token was
  // revoked; the host then probes, and the probe decides), its transient ones too (429,
  // 5xx, a provider's rate-limit 403). A 404 is fine (the resource may simply not
  // exist), and so is any status the provider's rules do not know (a 400 is the
  // caller's mistake). 2xx and 3xx are fine. Reason and message have the config's
  // secrets scrubbed.
  Classification ClassifyUse(const HttpResponse& response) const {
    const std::vector<std::string> secrets = Secrets();
    const std::string status = StatusText(response.status);
    if (response.status < 400) return {ResponseClass::kFine, "ok", TokenIssuer() + " answered " + status + "."};
    if (response.status == 404) {
      return {ResponseClass::kFine, "not_found", TokenIssuer() + " found no such resource (" + status + ")."};
    }
    const ProbeResult verdict = ClassifyApiError(response, secrets);
    const std::string reason = Scrub(verdict.reason, secrets);
    switch (verdict.outcome) {
      case Outcome::kInvalidCredentials:
        return {ResponseClass::kInvalidCredentials, reason,
                TokenIssuer() + " refused the access token (" + status + ", " + reason + ")."};
      case Outcome::kMissingPermission:
        return {ResponseClass::kMissingPermission, reason,
                TokenIssuer() + " refused this request for lack of a permission (" + status + ", " + reason +
                    ")."};
      case Outcome::kTransient:
        if (verdict.reason != "unexpected_status") {
          return {ResponseClass::kTransient, reason, Scrub(verdict.message, secrets)};
        }
        break;
      case Outcome::kValid:
        break;
    }
    return {ResponseClass::kFine, "http_" + std::to_string(response.status),
            TokenIssuer() + " refused this request (" + status + "); nothing says the credentials are at fault."};
  }

 protected:
  // The refresh token the connection stores.
  virtual std::string ConfiguredRefreshToken() const = 0;
  // The config's secrets (client secret, refresh token): scrubbed from every verdict.
  virtual std::vector<std::string> Secrets() const = 0;
  // The refresh-token grant for `refresh_token` (the stored one, or the rotated one on
  // the retry after a 401). Usually TokenRequestTo(url, {{"grant_type", "refresh_token"}, ...}).
  virtual HttpRequest TokenRequest(const std::string& refresh_token) const = 0;
  // The API call that proves the access token works. Usually BearerGet(url, access_token).
  virtual HttpRequest ApiRequest(const std::string& access_token) const = 0;
  // "Google", "Microsoft": who answered, in the verdict on a 200 without an access token.
  virtual std::string TokenIssuer() const = 0;
  // Whether one granted scope (of the token response's `scope`) is enough for the
  // connection. A response without `scope` is not checked. Default: any scope is.
  virtual bool ScopeSuffices(const std::string& scope) const {
    (void)scope;
    return true;
  }
  // The verdict when the token response lists scopes and none suffices.
  virtual ProbeResult InsufficientScope() const {
    return MissingPermission("insufficient_scope",
                             "The refresh token works but carries no scope this connection needs.");
  }
  // The verdict on a 200 from the API call.
  virtual ProbeResult ApiAccepted(const HttpResponse& response) const = 0;
  // The verdict on a non-200 from the token endpoint. Quote provider text through
  // Scrub(Excerpt(text), secrets).
  virtual ProbeResult ClassifyTokenError(const HttpResponse& response,
                                         const std::vector<std::string>& secrets) const = 0;
  // The verdict on a non-200 from the API call, other than the first 401.
  virtual ProbeResult ClassifyApiError(const HttpResponse& response,
                                       const std::vector<std::string>& secrets) const = 0;
  // How long a rotated refresh token lives unused, when the provider documents it
  // (Microsoft: 90 days); it becomes the verdict's expires_at. Default: not said.
  virtual std::optional<std::chrono::seconds> RotatedTokenLifetime() const { return std::nullopt; }
  // Where an access token may be sent (ABI 1.1), the first being where proxied requests
  // go; usually {*OriginOfBaseUrl(api_base)} (origin_util.hpp). Default: none, and
  // Authorize throws provider_cannot_authorize.
  virtual std::vector<AuthorizedOrigin> ApiOrigins() const { return {}; }

 private:
  static constexpr const char* kAuthorizeStage = "authorize_token";
  // A lifetime past a year is no access token anyone issues; capping it only makes the
  // host refresh sooner, and keeps the arithmetic from overflowing.
  static constexpr long long kMaxAccessTokenSeconds = 366LL * 24 * 3600;

  static std::string AccessTokenExpiry(long long expires_in) {
    const long long seconds = std::max(0LL, std::min(expires_in, kMaxAccessTokenSeconds));
    return Rfc3339Utc(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  }

  // Ends an authorization with `verdict` scrubbed; a verdict of valid (a provider rule
  // that should not say so for an error answer) becomes transient, since a refusal
  // cannot be valid.
  static AuthorizeStep Refuse(ProbeResult verdict, const std::vector<std::string>& secrets) {
    if (verdict.outcome == Outcome::kValid) verdict.outcome = Outcome::kTransient;
    verdict.message = Scrub(verdict.message, secrets);
    verdict.reason = Scrub(verdict.reason, secrets);
    return AuthorizeStep::Refuse(std::move(verdict));
  }

  // Where a probe stands between two steps.
  struct State {
    std::string stage;               // "token" or "api": which request was just sent
    int attempt = 1;                 // 2 after a 401 sent us back for a fresh token
    std::string access_token;        // set in stage "api"
    std::string refresh_token;       // a rotated refresh token, once the provider sent one
    std::string refresh_expires_at;  // when that one lapses unused, when known

    Json ToJson() const {
      Json json = {{"stage", stage}, {"attempt", attempt}};
      if (!access_token.empty()) json["access_token"] = access_token;
      if (!refresh_token.empty()) json["refresh_token"] = refresh_token;
      if (!refresh_expires_at.empty()) json["refresh_expires_at"] = refresh_expires_at;
      return json;
    }
    static State From(const Json& json) {
      State state;
      state.stage = StringField(json, "stage");
      if (state.stage != "token" && state.stage != "api") {
        throw std::invalid_argument("probe state has no known stage");
      }
      auto attempt = json.find("attempt");
      if (attempt != json.end() && attempt->is_number_integer()) state.attempt = *attempt;
      state.access_token = StringField(json, "access_token");
      state.refresh_token = StringField(json, "refresh_token");
      state.refresh_expires_at = StringField(json, "refresh_expires_at");
      return state;
    }
  };

  std::string CurrentRefreshToken(const State& state) const {
    return state.refresh_token.empty() ? ConfiguredRefreshToken() : state.refresh_token;
  }

  ProbeStep SendToken(State state) const {
    HttpRequest request = TokenRequest(CurrentRefreshToken(state));
    state.stage = "token";
    state.access_token.clear();
    return ProbeStep::Send(std::move(request), state.ToJson());
  }

  ProbeStep SendApi(State state) const {
    HttpRequest request = ApiRequest(state.access_token);
    state.stage = "api";
    return ProbeStep::Send(std::move(request), state.ToJson());
  }

  // Ends the probe. A rotated refresh token goes back for storage whatever the verdict.
  static ProbeStep Finish(ProbeResult result, const State& state,
                          const std::vector<std::string>& secrets) {
    if (!state.refresh_token.empty()) {
      result.config_update["refresh_token"] = state.refresh_token;
      if (!state.refresh_expires_at.empty()) result.expires_at = state.refresh_expires_at;
    }
    result.message = Scrub(result.message, secrets);
    result.reason = Scrub(result.reason, secrets);
    return ProbeStep::Finish(std::move(result));
  }

  ProbeStep AfterToken(State state, const HttpResponse& response,
                       std::vector<std::string> secrets) const {
    if (response.status != 200) {
      return Finish(ClassifyTokenError(response, secrets), state, secrets);
    }
    const TokenResponse token = ParseTokenResponse(response.body);
    state.access_token = token.access_token;
    secrets.push_back(state.access_token);
    const std::string& issued = token.refresh_token;
    if (!issued.empty() && issued != CurrentRefreshToken(state)) {
      state.refresh_token = issued;
      if (auto lifetime = RotatedTokenLifetime()) {
        state.refresh_expires_at = Rfc3339Utc(std::chrono::system_clock::now() + *lifetime);
      }
      secrets.push_back(issued);
    }
    if (state.access_token.empty()) {
      return Finish(Transient("malformed_token_response",
                              TokenIssuer() + "'s token endpoint answered 200 without an access token."),
                    state, secrets);
    }
    if (!token.scope.empty()) {
      bool suffices = false;
      for (const auto& scope : SplitScopes(token.scope)) suffices = suffices || ScopeSuffices(scope);
      if (!suffices) return Finish(InsufficientScope(), state, secrets);
    }
    return SendApi(std::move(state));
  }

  ProbeStep AfterApi(State state, const HttpResponse& response,
                     const std::vector<std::string>& secrets) const {
    if (response.status == 200) return Finish(ApiAccepted(response), state, secrets);
    if (response.status == 401 && state.attempt == 1) {
      state.attempt = 2;
      return SendToken(std::move(state));
    }
    return Finish(ClassifyApiError(response, secrets), state, secrets);
  }
};

// A provider whose probe is an OAuth2Probe built from each connection's config. Probe()
// runs one step of it and logs each verdict as "<log_name> probe: <VerdictSummary>"
// (outcome, reason, field; never the message, which may quote the provider);
// Authorize() runs its authorize machine (logging a refusal as "<log_name> authorize:
// <VerdictSummary>") and ClassifyResponse() its ClassifyUse. The
// provider still says what it is (Describe) and what its schema cannot (Validate):
//
//   std::unique_ptr<OAuth2Probe> MakeProbe(const Json& config) {
//     return std::make_unique<MyProbe>(Config::From(config));
//   }
//   class MyProvider final : public switchboard::oauth::OAuth2Provider {
//    public:
//     MyProvider() : OAuth2Provider("my_provider", MakeProbe) {}
//     Manifest Describe() const override { ... }
//   };
class OAuth2Provider : public Provider {
 public:
  // Builds the probe of the connection whose config it is given. Called once per step,
  // from any thread: it must build a new probe every time.
  using ProbeFactory = std::unique_ptr<OAuth2Probe> (*)(const Json& config);

  OAuth2Provider(std::string log_name, ProbeFactory make_probe)
      : log_name_(std::move(log_name)), make_probe_(make_probe) {}

  ProbeStep Probe(const ProbeInput& input) const override {
    ProbeStep step = make_probe_(input.config)->Step(input);
    if (step.finished()) Log(SB_LOG_INFO, log_name_ + " probe: " + VerdictSummary(*step.result()));
    return step;
  }

  AuthorizeStep Authorize(const AuthorizeInput& input) const override {
    AuthorizeStep step = make_probe_(input.config)->Authorize(input);
    if (step.refusal()) Log(SB_LOG_INFO, log_name_ + " authorize: " + VerdictSummary(*step.refusal()));
    return step;
  }

  Classification ClassifyResponse(const ClassifyInput& input) const override {
    return make_probe_(input.config)->ClassifyUse(input.response);
  }

 private:
  std::string log_name_;
  ProbeFactory make_probe_;
};

}  // namespace switchboard::oauth

#endif  // SWITCHBOARD_OAUTH2_PROBE_HPP
