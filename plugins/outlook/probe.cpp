#include "probe.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include "classify.hpp"
#include "config.hpp"
#include <switchboard/oauth_util.hpp>
using namespace switchboard::oauth;

namespace outlook {
namespace {

using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::Outcome;
using switchboard::ProbeResult;

// Refresh tokens for anything but single-page apps die after 90 days without use, and
// each new one starts its own 90 days; the lifetime is not configurable.
constexpr std::chrono::hours kRefreshTokenLifetime{24 * 90};

std::string Rfc3339Utc(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Where a probe stands between two steps.
struct State {
  std::string stage;               // "token" or "api": which request was just sent
  int attempt = 1;                 // 2 after a 401 sent us back for a fresh token
  std::string access_token;        // set in stage "api"
  std::string refresh_token;       // the rotated refresh token, once Microsoft sent one
  std::string refresh_expires_at;  // when that one lapses unused

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

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const auto& scope : scopes) joined += (joined.empty() ? "" : " ") + scope;
  return joined;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> scopes;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) scopes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return scopes;
}

// The fields of the v2.0 refresh-token grant, in the documented order. A public client
// must not send a secret (AADSTS700025), so it is sent only when configured.
switchboard::ProbeStep SendTokenRequest(const Config& config, State state) {
  const std::string refresh_token =
      state.refresh_token.empty() ? config.refresh_token : state.refresh_token;
  std::vector<std::pair<std::string, std::string>> form = {
      {"client_id", config.client_id},
      {"grant_type", "refresh_token"},
      {"refresh_token", refresh_token},
      {"scope", JoinScopes(config.scopes)}};
  if (!config.client_secret.empty()) form.emplace_back("client_secret", config.client_secret);
  HttpRequest request;
  request.method = "POST";
  request.url = switchboard::JoinUrl(
      config.authority_host, switchboard::UrlEncode(config.tenant) + "/oauth2/v2.0/token");
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  request.headers["accept"] = "application/json";
  request.body = switchboard::FormEncode(form);
  state.stage = "token";
  state.access_token.clear();
  return switchboard::ProbeStep::Send(request, state.ToJson());
}

switchboard::ProbeStep SendApiRequest(const Config& config, State state) {
  HttpRequest request;
  request.method = "GET";
  request.url = switchboard::JoinUrl(config.graph_base, "me?$select=id,userPrincipalName");
  request.headers["authorization"] = "Bearer " + state.access_token;
  request.headers["accept"] = "application/json";
  state.stage = "api";
  return switchboard::ProbeStep::Send(request, state.ToJson());
}

// Ends the probe. The rotated refresh token is handed back for storage whatever the
// verdict: it is the one whose 90 days have just started.
switchboard::ProbeStep Finish(ProbeResult result, const State& state,
                              const std::vector<std::string>& secrets) {
  if (!state.refresh_token.empty()) {
    result.config_update["refresh_token"] = state.refresh_token;
    result.expires_at = state.refresh_expires_at;
  }
  result.message = Scrub(result.message, secrets);
  result.reason = Scrub(result.reason, secrets);
  return switchboard::ProbeStep::Finish(result);
}

switchboard::ProbeStep AfterToken(const Config& config, State state, const HttpResponse& response,
                                  std::vector<std::string> secrets) {
  if (response.status != 200) {
    return Finish(ClassifyTokenError(response, secrets), state, secrets);
  }
  const Json body = ParseObject(response.body);
  state.access_token = StringField(body, "access_token");
  secrets.push_back(state.access_token);
  const std::string current =
      state.refresh_token.empty() ? config.refresh_token : state.refresh_token;
  const std::string issued = StringField(body, "refresh_token");
  if (!issued.empty() && issued != current) {
    state.refresh_token = issued;
    state.refresh_expires_at = Rfc3339Utc(std::chrono::system_clock::now() + kRefreshTokenLifetime);
    secrets.push_back(issued);
  }
  if (state.access_token.empty()) {
    return Finish(Verdict(Outcome::kTransient, "malformed_token_response",
                          "Microsoft's token endpoint answered 200 without an access token."),
                  state, secrets);
  }
  // `scope` lists what the user consented to; an Outlook connection without mail or
  // calendar access is useless even though /me would succeed.
  const std::string granted = StringField(body, "scope");
  if (!granted.empty()) {
    bool outlook_read = false;
    for (const auto& scope : SplitScopes(granted)) outlook_read |= GrantsMailOrCalendarRead(scope);
    if (!outlook_read) {
      return Finish(Verdict(Outcome::kMissingPermission, "insufficient_scope",
                            "The refresh token works but carries no mail or calendar read "
                            "permission; grant Mail.Read or Calendars.Read and reconnect.",
                            "scopes"),
                    state, secrets);
    }
  }
  return SendApiRequest(config, state);
}

switchboard::ProbeStep AfterApi(const Config& config, State state, const HttpResponse& response,
                                const std::vector<std::string>& secrets) {
  if (response.status == 200) {
    return Finish(Verdict(Outcome::kValid, "ok",
                          "The refresh token works and Microsoft Graph knows the user."),
                  state, secrets);
  }
  // Microsoft's guidance: a 401 right after a fresh token is retried once with another.
  if (response.status == 401 && state.attempt == 1) {
    state.attempt = 2;
    return SendTokenRequest(config, state);
  }
  return Finish(ClassifyGraphError(response, secrets), state, secrets);
}

}  // namespace

switchboard::ProbeStep RunProbeStep(const switchboard::ProbeInput& input) {
  const Config config = Config::From(input.config);
  if (input.response == nullptr) return SendTokenRequest(config, State{});
  State state = State::From(input.state);
  std::vector<std::string> secrets = config.Secrets();
  secrets.push_back(state.access_token);
  secrets.push_back(state.refresh_token);
  if (state.stage == "token") return AfterToken(config, state, *input.response, secrets);
  return AfterApi(config, state, *input.response, secrets);
}

}  // namespace outlook
