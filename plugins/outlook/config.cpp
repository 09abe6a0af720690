#include "config.hpp"

#include <cctype>

#include "clouds.hpp"
#include <switchboard/oauth_util.hpp>
using namespace switchboard::oauth;

namespace outlook {
namespace {

std::string TextOr(const switchboard::Json& json, const char* key, const char* fallback) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) return fallback;
  return it->get<std::string>();
}

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Config Config::From(const switchboard::Json& json) {
  Config config;
  config.tenant = TextOr(json, "tenant", kDefaultTenant);
  config.client_id = TextOr(json, "client_id", "");
  config.client_secret = TextOr(json, "client_secret", "");
  config.refresh_token = TextOr(json, "refresh_token", "");
  config.authority_host = TextOr(json, "authority_host", kDefaultAuthorityHost);
  config.graph_base = TextOr(json, "graph_base", kDefaultGraphBase);
  auto scopes = json.find("scopes");
  if (scopes != json.end() && scopes->is_array()) {
    for (const auto& scope : *scopes) {
      if (scope.is_string() && !scope.get<std::string>().empty()) {
        config.scopes.push_back(scope.get<std::string>());
      }
    }
  }
  if (config.scopes.empty()) config.scopes = DefaultScopes();
  return config;
}

std::vector<std::string> DefaultScopes() {
  return {"offline_access", "User.Read", "Calendars.Read", "Mail.Read"};
}

std::string PermissionName(const std::string& scope) {
  auto slash = scope.rfind('/');
  return Lower(slash == std::string::npos ? scope : scope.substr(slash + 1));
}

std::string ScopeResource(const std::string& scope) {
  const std::string name = PermissionName(scope);
  if (name == "openid" || name == "profile" || name == "email" || name == "offline_access") {
    return "";
  }
  if (scope.find("://") == std::string::npos) return "graph";
  const std::string resource = scope.substr(0, scope.rfind('/'));
  if (CloudOfGraphHost(SplitUrl(resource).host) != nullptr) return "graph";
  return Lower(resource);
}

bool GrantsMailOrCalendarRead(const std::string& scope) {
  const std::string name = PermissionName(scope);
  return StartsWith(name, "mail.read") || StartsWith(name, "calendars.read");
}

bool GrantsUserRead(const std::string& scope) { return StartsWith(PermissionName(scope), "user."); }

}  // namespace outlook
