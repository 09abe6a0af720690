// Trello: an API key and a user token, sent with every request; nothing to refresh.
// The probe reads the token's own member (GET /members/me), then asks Trello when the
// token expires so the host can warn before it lapses.
#include <string>
#include <vector>

#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/origin_util.hpp>
#include <switchboard/provider.hpp>

#include "classify.hpp"
#include "manifest.hpp"
#include "validation.hpp"

namespace trello {
namespace {

using switchboard::FieldError;
using switchboard::HttpRequest;
using switchboard::Json;
using switchboard::Outcome;
using switchboard::ProbeInput;
using switchboard::ProbeResult;
using switchboard::ProbeStep;

// Probe state between the two requests.
constexpr const char* kStepTokenInfo = "token_info";

std::string BaseUrl(const Json& config) {
  return switchboard::StringFieldOr(config, "base_url", kDefaultBaseUrl);
}

// Key and token travel as query parameters: the form every Trello client uses and the
// only one confirmed on the wire. The URL therefore holds secrets and must never be
// logged or returned in a result.
std::string AuthQuery(const Json& config) {
  return "key=" + switchboard::UrlEncode(config.value("api_key", "")) +
         "&token=" + switchboard::UrlEncode(config.value("token", ""));
}

HttpRequest Get(std::string url) {
  HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  request.headers["accept"] = "application/json";
  return request;
}

HttpRequest MemberRequest(const Json& config) {
  return Get(switchboard::JoinUrl(BaseUrl(config), "members/me") + "?fields=id,username&" +
             AuthQuery(config));
}

HttpRequest TokenInfoRequest(const Json& config) {
  return Get(switchboard::JoinUrl(BaseUrl(config),
                                  "tokens/" + switchboard::UrlEncode(config.value("token", ""))) +
             "?fields=dateExpires&" + AuthQuery(config));
}

class TrelloProvider final : public switchboard::Provider {
 public:
  switchboard::Manifest Describe() const override { return TrelloManifest(); }

  std::vector<FieldError> Validate(const Json& config) const override {
    return ValidateConfig(config);
  }

  // Key and token as the query parameters every Trello client sends, only under the
  // base URL; nothing expires that the host could refresh.
  switchboard::AuthorizeStep Authorize(const switchboard::AuthorizeInput& input) const override {
    switchboard::Authorization authorization;
    authorization.query = {{"key", switchboard::StringField(input.config, "api_key")},
                           {"token", switchboard::StringField(input.config, "token")}};
    authorization.origins = {switchboard::GrantOriginOf(BaseUrl(input.config), "base_url")};
    return switchboard::AuthorizeStep::Grant(std::move(authorization));
  }

  switchboard::Classification ClassifyResponse(const switchboard::ClassifyInput& input) const override {
    return ClassifyUse(input.response);
  }

  ProbeStep Probe(const ProbeInput& input) const override {
    if (input.response == nullptr) return ProbeStep::Send(MemberRequest(input.config));

    if (input.state.is_object() && input.state.value("step", "") == kStepTokenInfo) {
      // The member request already proved the credentials; the expiry is a bonus, so any
      // failure here only leaves it unknown.
      ProbeResult result = ValidResult(input.state.value("username", ""));
      result.expires_at = ExpiryOf(*input.response);
      if (result.expires_at.empty()) {
        Log(SB_LOG_DEBUG, "trello probe: token expiry unknown (tokens answered HTTP " +
                              std::to_string(input.response->status) + ")");
      }
      return ProbeStep::Finish(result);
    }

    ProbeResult verdict = ClassifyMemberResponse(*input.response);
    if (verdict.outcome != Outcome::kValid) {
      Log(SB_LOG_INFO, "trello probe: members/me answered HTTP " +
                           std::to_string(input.response->status) + ", " +
                           switchboard::OutcomeName(verdict.outcome) + " (" + verdict.reason + ")");
      return ProbeStep::Finish(verdict);
    }
    return ProbeStep::Send(TokenInfoRequest(input.config),
                           Json{{"step", kStepTokenInfo}, {"username", UsernameOf(*input.response)}});
  }

 private:
  static ProbeResult ValidResult(const std::string& username) {
    ProbeResult result = ClassifyMemberResponse({200, {}, ""});
    if (!username.empty()) {
      result.message = "The API key and token work, signed in as " + username + ".";
    }
    return result;
  }
};

}  // namespace
}  // namespace trello

SWITCHBOARD_PROVIDER(trello::TrelloProvider)
