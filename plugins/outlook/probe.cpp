#include "probe.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <switchboard/oauth2_probe.hpp>
#include <switchboard/origin_util.hpp>

#include "classify.hpp"
#include "config.hpp"
#include "refresh.hpp"

namespace outlook {
namespace {

using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::ProbeResult;
using switchboard::oauth::OAuth2Probe;

// Refresh tokens for anything but single-page apps die after 90 days without use, and
// each new one starts its own 90 days; the lifetime is not configurable.
constexpr std::chrono::hours kRefreshTokenLifetime{24 * 90};

class OutlookProbe final : public OAuth2Probe {
 public:
  explicit OutlookProbe(Config config) : config_(std::move(config)) {}

 private:
  std::string ConfiguredRefreshToken() const override { return config_.refresh_token; }
  std::vector<std::string> Secrets() const override { return config_.Secrets(); }
  std::string TokenIssuer() const override { return "Microsoft"; }
  std::optional<std::chrono::seconds> RotatedTokenLifetime() const override {
    return kRefreshTokenLifetime;
  }

  HttpRequest TokenRequest(const std::string& refresh_token) const override {
    return RefreshRequest(config_, refresh_token);
  }

  HttpRequest ApiRequest(const std::string& access_token) const override {
    return switchboard::oauth::BearerGet(
        switchboard::JoinUrl(config_.graph_base, "me?$select=id,userPrincipalName"), access_token);
  }

  // Access tokens go to Microsoft Graph only, never to the sign-in host.
  std::vector<switchboard::AuthorizedOrigin> ApiOrigins() const override {
    return {switchboard::GrantOriginOf(config_.graph_base, "graph_base")};
  }

  // `scope` lists what the user consented to; an Outlook connection without mail or
  // calendar access is useless even though /me would succeed.
  bool ScopeSuffices(const std::string& scope) const override { return GrantsMailOrCalendarRead(scope); }
  ProbeResult InsufficientScope() const override {
    return switchboard::MissingPermission("insufficient_scope",
                                          "The refresh token works but carries no mail or calendar read "
                                          "permission; grant Mail.Read or Calendars.Read and reconnect.",
                                          "scopes");
  }

  ProbeResult ApiAccepted(const HttpResponse&) const override {
    return switchboard::Valid("The refresh token works and Microsoft Graph knows the user.");
  }
  ProbeResult ClassifyTokenError(const HttpResponse& response,
                                 const std::vector<std::string>& secrets) const override {
    return outlook::ClassifyTokenError(response, secrets);
  }
  // Microsoft's guidance: a 401 right after a fresh token is retried once with another;
  // the machine does that before asking here.
  ProbeResult ClassifyApiError(const HttpResponse& response,
                               const std::vector<std::string>& secrets) const override {
    return ClassifyGraphError(response, secrets);
  }

  Config config_;
};

}  // namespace

std::unique_ptr<OAuth2Probe> MakeProbe(const switchboard::Json& config) {
  return std::make_unique<OutlookProbe>(Config::From(config));
}

}  // namespace outlook
