// A Microsoft Outlook connection's fields, with the schema's defaults filled in, and the
// rules for reading Microsoft identity platform scope names. The host stores only what
// the user entered, so every reader goes through here.
#ifndef OUTLOOK_CONFIG_HPP
#define OUTLOOK_CONFIG_HPP

#include <string>
#include <vector>

#include <switchboard/oauth2_client.hpp>
#include <switchboard/provider.hpp>

namespace outlook {

constexpr const char* kDefaultTenant = "common";
constexpr const char* kDefaultAuthorityHost = "https://login.microsoftonline.com";
constexpr const char* kDefaultGraphBase = "https://graph.microsoft.com/v1.0";

// The app registration and refresh token (with Secrets(); client_secret is empty for a
// public client, which must not send one), plus the tenant and Microsoft's endpoints.
struct Config : switchboard::oauth::ClientConfig {
  std::string tenant;
  std::string authority_host;
  std::string graph_base;

  // Reads a config object; absent or empty optional fields take their defaults.
  static Config From(const switchboard::Json& json);
};

// The default scopes: a refresh token (offline_access), /me for the probe, and read
// access to mail and calendars, which is what an Outlook connection is for.
std::vector<std::string> DefaultScopes();

// A scope's permission name in lower case: "https://graph.microsoft.com/Mail.Read" and
// "Mail.Read" both give "mail.read".
std::string PermissionName(const std::string& scope);

// The resource a scope belongs to: "" for the OpenID Connect scopes (allowed with any
// resource), "graph" for Graph permissions (short names default to Graph), otherwise the
// scope's URL up to its last slash.
std::string ScopeResource(const std::string& scope);

// True for Mail.Read, Mail.ReadBasic, Mail.ReadWrite, Calendars.Read... (any form).
bool GrantsMailOrCalendarRead(const std::string& scope);

// True for a User.* permission; /me needs User.Read or broader.
bool GrantsUserRead(const std::string& scope);

}  // namespace outlook

#endif  // OUTLOOK_CONFIG_HPP
