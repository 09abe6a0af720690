#include "validation.hpp"

#include <set>
#include <string>

#include "clouds.hpp"
#include "config.hpp"
#include <switchboard/oauth_util.hpp>
using namespace switchboard::oauth;

namespace outlook {
namespace {

using switchboard::FieldError;

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// 8-4-4-4-12 hex digits. Loops, not std::regex: the tenant is outside input, and
// std::regex recurses once per character (a long value overflows the host's stack).
bool IsGuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsHex(text[i])) return false;
  }
  return true;
}

// A domain: labels of 1-63 letters, digits and inner hyphens, dot-separated, ending in a
// top-level label of 2-63 letters.
bool IsDomain(const std::string& text) {
  size_t start = 0, labels = 0;
  while (true) {
    size_t end = text.find('.', start);
    const bool last = end == std::string::npos;
    if (last) end = text.size();
    const size_t length = end - start;
    if (length == 0 || length > 63) return false;
    for (size_t i = start; i < end; ++i) {
      const char c = text[i];
      const bool edge = i == start || i + 1 == end;
      if (last ? !IsAlpha(c) : !(IsAlnum(c) || (c == '-' && !edge))) return false;
    }
    ++labels;
    if (last) return labels >= 2 && length >= 2;
    start = end + 1;
  }
}

bool IsTenant(const std::string& tenant) {
  return tenant == "common" || tenant == "organizations" || tenant == "consumers" ||
         IsGuid(tenant) || IsDomain(tenant);
}

void CheckScopes(const Config& config, std::vector<FieldError>& errors) {
  bool offline = false;
  bool user_read = false;
  bool outlook_read = false;
  std::set<std::string> resources;
  for (const auto& scope : config.scopes) {
    offline |= PermissionName(scope) == "offline_access";
    user_read |= GrantsUserRead(scope);
    outlook_read |= GrantsMailOrCalendarRead(scope);
    if (auto resource = ScopeResource(scope); !resource.empty()) resources.insert(resource);
  }
  if (!offline) {
    errors.push_back({"scopes", "missing_offline_access",
                      "Add offline_access: without it Microsoft issues no refresh token."});
  }
  if (!user_read) {
    errors.push_back({"scopes", "missing_user_read",
                      "Add User.Read: the connection check reads the signed-in user (/me)."});
  }
  if (!outlook_read) {
    errors.push_back({"scopes", "missing_outlook_scope",
                      "Add a mail or calendar permission such as Mail.Read or Calendars.Read."});
  }
  if (resources.size() > 1) {
    errors.push_back({"scopes", "mixed_resources",
                      "All permissions must belong to Microsoft Graph; one token cannot cover "
                      "several APIs."});
  }
}

void CheckEndpoints(const Config& config, std::vector<FieldError>& errors) {
  const UrlParts authority = SplitUrl(config.authority_host);
  const UrlParts graph = SplitUrl(config.graph_base);
  const char* authority_cloud = CloudOfAuthorityHost(authority.host);
  const char* graph_cloud = CloudOfGraphHost(graph.host);
  const bool authority_ok = IsSafeEndpoint(config.authority_host);
  const bool graph_ok = IsSafeEndpoint(config.graph_base);

  if (!authority_ok) {
    errors.push_back({"authority_host", "insecure_url",
                      "Use an https:// URL (plain http is allowed only to localhost)."});
  } else if (authority_cloud == nullptr && !IsLoopbackHost(authority.host)) {
    errors.push_back({"authority_host", "unknown_authority_host",
                      "'" + authority.host +
                          "' is not a Microsoft sign-in host; use login.microsoftonline.com, "
                          "login.microsoftonline.us or login.partner.microsoftonline.cn."});
  }
  if (!graph_ok) {
    errors.push_back({"graph_base", "insecure_url",
                      "Use an https:// URL (plain http is allowed only to localhost)."});
  } else if (graph_cloud == nullptr && !IsLoopbackHost(graph.host)) {
    errors.push_back({"graph_base", "unknown_graph_host",
                      "'" + graph.host + "' is not a Microsoft Graph host."});
  }
  if (authority_cloud != nullptr && graph_cloud != nullptr &&
      std::string(authority_cloud) != graph_cloud) {
    errors.push_back({"graph_base", "cloud_mismatch",
                      "Microsoft Graph must be in the same cloud as the sign-in host (" +
                          std::string(authority_cloud) + ", not " + graph_cloud + ")."});
  }
}

}  // namespace

std::vector<FieldError> ValidateConfig(const switchboard::Json& json) {
  std::vector<FieldError> errors;
  const Config config = Config::From(json);
  if (!IsTenant(config.tenant)) {
    errors.push_back({"tenant", "bad_tenant",
                      "Use the tenant ID (a GUID), a verified domain such as "
                      "contoso.onmicrosoft.com, or common, organizations or consumers."});
  }
  // Secret IDs are GUIDs, secret values never are; pasting the ID is the usual cause of
  // AADSTS7000215.
  if (!config.client_secret.empty() && IsGuid(config.client_secret)) {
    errors.push_back({"client_secret", "secret_id_given",
                      "This looks like the secret's ID; paste the secret's Value instead."});
  }
  CheckScopes(config, errors);
  CheckEndpoints(config, errors);
  return errors;
}

}  // namespace outlook
