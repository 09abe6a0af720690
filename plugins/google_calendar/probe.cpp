#include "probe.hpp"

#include <string>
#include <vector>

#include <switchboard/oauth2_probe.hpp>
#include <switchboard/origin_util.hpp>

#include "classify.hpp"
#include "config.hpp"
#include "refresh.hpp"

namespace google_calendar {
namespace {

using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::ProbeResult;
using switchboard::oauth::OAuth2Probe;

class GoogleCalendarProbe final : public OAuth2Probe {
 public:
  explicit GoogleCalendarProbe(Config config) : config_(std::move(config)) {}

 private:
  std::string ConfiguredRefreshToken() const override { return config_.refresh_token; }
  std::vector<std::string> Secrets() const override { return config_.Secrets(); }
  std::string TokenIssuer() const override { return "Google"; }

  HttpRequest TokenRequest(const std::string& refresh_token) const override {
    return RefreshRequest(config_, refresh_token);
  }

  HttpRequest ApiRequest(const std::string& access_token) const override {
    return switchboard::oauth::BearerGet(
        switchboard::JoinUrl(config_.api_base, "users/me/calendarList?maxResults=1"), access_token);
  }

  // Access tokens go to the Calendar API only, never to the token endpoint's origin.
  std::vector<switchboard::AuthorizedOrigin> ApiOrigins() const override {
    return {switchboard::GrantOriginOf(config_.api_base, "api_base")};
  }

  // `scope` lists what the token carries; missing Calendar access shows here already.
  bool ScopeSuffices(const std::string& scope) const override { return AllowsCalendarList(scope); }
  ProbeResult InsufficientScope() const override {
    return switchboard::MissingPermission("insufficient_scope",
                                          "The refresh token works but grants no scope that can list "
                                          "calendars; reconnect granting calendar.readonly.",
                                          "scopes");
  }

  ProbeResult ApiAccepted(const HttpResponse&) const override {
    return switchboard::Valid("The refresh token works and can list the user's calendars.");
  }
  ProbeResult ClassifyTokenError(const HttpResponse& response,
                                 const std::vector<std::string>& secrets) const override {
    return google_calendar::ClassifyTokenError(response, secrets);
  }
  ProbeResult ClassifyApiError(const HttpResponse& response,
                               const std::vector<std::string>& secrets) const override {
    return google_calendar::ClassifyApiError(response, secrets);
  }

  Config config_;
};

}  // namespace

std::unique_ptr<OAuth2Probe> MakeProbe(const switchboard::Json& config) {
  return std::make_unique<GoogleCalendarProbe>(Config::From(config));
}

}  // namespace google_calendar
