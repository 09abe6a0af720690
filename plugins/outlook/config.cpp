#include "config.hpp"

#include "clouds.hpp"
#include <switchboard/json_util.hpp>
#include <switchboard/oauth_util.hpp>
using namespace switchboard::oauth;
using switchboard::Lower;

namespace outlook {
Config Config::From(const switchboard::Json& json) {
  Config config;
  static_cast<ClientConfig&>(config) = ClientConfig::From(json, DefaultScopes());
  config.tenant = switchboard::StringFieldOr(json, "tenant", kDefaultTenant);
  config.authority_host = switchboard::StringFieldOr(json, "authority_host", kDefaultAuthorityHost);
  config.graph_base = switchboard::StringFieldOr(json, "graph_base", kDefaultGraphBase);
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
