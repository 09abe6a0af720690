#include "probe.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "classify.hpp"
#include "config.hpp"
#include <switchboard/oauth_util.hpp>
using namespace switchboard::oauth;

namespace google_calendar {
namespace {

using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::Outcome;
using switchboard::ProbeResult;

// Where a probe stands between two steps.
struct State {
  std::string stage;          // "token" or "api": which request was just sent
  int attempt = 1;            // 2 after a 401 sent us back for a fresh token
  std::string access_token;   // set in stage "api"
  std::string refresh_token;  // a rotated refresh token, once Google sent one

  Json ToJson() const {
    Json json = {{"stage", stage}, {"attempt", attempt}};
    if (!access_token.empty()) json["access_token"] = access_token;
    if (!refresh_token.empty()) json["refresh_token"] = refresh_token;
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

// The four fields google-auth sends, plus `scope` because the connection declares the
// scopes it is for (Google answers invalid_scope if they were not granted).
switchboard::ProbeStep SendTokenRequest(const Config& config, State state) {
  const std::string refresh_token =
      state.refresh_token.empty() ? config.refresh_token : state.refresh_token;
  HttpRequest request;
  request.method = "POST";
  request.url = config.token_uri;
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  request.headers["accept"] = "application/json";
  request.body = switchboard::FormEncode({{"grant_type", "refresh_token"},
                                          {"client_id", config.client_id},
                                          {"client_secret", config.client_secret},
                                          {"refresh_token", refresh_token},
                                          {"scope", JoinScopes(config.scopes)}});
  state.stage = "token";
  state.access_token.clear();
  return switchboard::ProbeStep::Send(request, state.ToJson());
}

switchboard::ProbeStep SendApiRequest(const Config& config, State state) {
  HttpRequest request;
  request.method = "GET";
  request.url = switchboard::JoinUrl(config.api_base, "users/me/calendarList?maxResults=1");
  request.headers["authorization"] = "Bearer " + state.access_token;
  request.headers["accept"] = "application/json";
  state.stage = "api";
  return switchboard::ProbeStep::Send(request, state.ToJson());
}

// Ends the probe. A rotated refresh token is handed back for storage whatever the
// verdict, since Google has already replaced the old one.
switchboard::ProbeStep Finish(ProbeResult result, const State& state,
                              const std::vector<std::string>& secrets) {
  if (!state.refresh_token.empty()) result.config_update["refresh_token"] = state.refresh_token;
  result.message = Scrub(result.message, secrets);
  result.reason = Scrub(result.reason, secrets);
  return switchboard::ProbeStep::Finish(result);
}

switchboard::ProbeStep AfterToken(const Config& config, State state, const HttpResponse& response,
                                  std::vector<std::string> secrets) {
  if (response.status != 200) {
    return Finish(ClassifyTokenError(response, secrets), state, secrets);
  }
  Json body = ParseObject(response.body);
  state.access_token = StringField(body, "access_token");
  secrets.push_back(state.access_token);
  const std::string current =
      state.refresh_token.empty() ? config.refresh_token : state.refresh_token;
  const std::string issued = StringField(body, "refresh_token");
  if (!issued.empty() && issued != current) {
    state.refresh_token = issued;
    secrets.push_back(issued);
  }
  if (state.access_token.empty()) {
    return Finish(Verdict(Outcome::kTransient, "malformed_token_response",
                          "Google's token endpoint answered 200 without an access token."),
                  state, secrets);
  }
  // `scope` lists what the token carries; missing Calendar access shows here already.
  const std::string granted = StringField(body, "scope");
  if (!granted.empty()) {
    bool lists_calendars = false;
    for (const auto& scope : SplitScopes(granted)) lists_calendars |= AllowsCalendarList(scope);
    if (!lists_calendars) {
      return Finish(Verdict(Outcome::kMissingPermission, "insufficient_scope",
                            "The refresh token works but grants no scope that can list "
                            "calendars; reconnect granting calendar.readonly.",
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
                          "The refresh token works and can list the user's calendars."),
                  state, secrets);
  }
  // A token can be revoked between issue and use; one fresh token tells that apart from
  // credentials that are dead.
  if (response.status == 401 && state.attempt == 1) {
    state.attempt = 2;
    return SendTokenRequest(config, state);
  }
  return Finish(ClassifyApiError(response, secrets), state, secrets);
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

}  // namespace google_calendar
