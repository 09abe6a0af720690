#include "refresh.hpp"

#include <utility>
#include <vector>

#include <switchboard/http_util.hpp>
#include <switchboard/oauth2_client.hpp>

namespace outlook {

switchboard::HttpRequest RefreshRequest(const Config& config, const std::string& refresh_token) {
  std::vector<std::pair<std::string, std::string>> form = {
      {"client_id", config.client_id},
      {"grant_type", "refresh_token"},
      {"refresh_token", refresh_token},
      {"scope", switchboard::oauth::JoinScopes(config.scopes)}};
  if (!config.client_secret.empty()) form.emplace_back("client_secret", config.client_secret);
  return switchboard::oauth::TokenRequestTo(
      switchboard::JoinUrl(config.authority_host,
                           switchboard::UrlEncode(config.tenant) + "/oauth2/v2.0/token"),
      form);
}

}  // namespace outlook
