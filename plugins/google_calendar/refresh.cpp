#include "refresh.hpp"

#include <switchboard/oauth2_client.hpp>

namespace google_calendar {

switchboard::HttpRequest RefreshRequest(const Config& config, const std::string& refresh_token) {
  return switchboard::oauth::TokenRequestTo(
      config.token_uri, {{"grant_type", "refresh_token"},
                         {"client_id", config.client_id},
                         {"client_secret", config.client_secret},
                         {"refresh_token", refresh_token},
                         {"scope", switchboard::oauth::JoinScopes(config.scopes)}});
}

}  // namespace google_calendar
