#include "manifest.hpp"

namespace outlook {
namespace {

// An envelope on a calendar page in Microsoft blues; an original drawing, not the
// Outlook logo.
constexpr const char* kIcon =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img" aria-label="Microsoft Outlook"><rect x="2" y="3" width="20" height="18" rx="3" fill="#0078D4"/><rect x="2" y="3" width="20" height="5" rx="3" fill="#0364B8"/><rect x="5" y="10" width="14" height="9" rx="1.2" fill="#fff"/><path d="M5.6 10.6 12 15.2l6.4-4.6" fill="none" stroke="#28A8EA" stroke-width="1.4" stroke-linejoin="round"/><circle cx="7" cy="5.5" r="1" fill="#fff"/><circle cx="17" cy="5.5" r="1" fill="#fff"/></svg>)svg";

constexpr const char* kSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Microsoft Outlook connection",
  "description": "A Microsoft Entra app registration and a refresh token a user granted it, used with Microsoft Graph.",
  "type": "object",
  "additionalProperties": false,
  "required": ["tenant", "client_id", "refresh_token"],
  "x-order": ["tenant", "client_id", "client_secret", "refresh_token", "scopes", "authority_host", "graph_base"],
  "x-groups": [
    {"id": "credentials", "title": "Credentials"},
    {"id": "advanced", "title": "Advanced", "collapsed": true,
     "description": "National clouds and endpoint overrides. Leave them at their defaults for the global Microsoft cloud."}
  ],
  "properties": {
    "tenant": {
      "type": "string", "title": "Tenant", "default": "common",
      "minLength": 1, "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$",
      "description": "The directory (tenant) ID or domain (contoso.onmicrosoft.com), or common (work, school and personal accounts), organizations (work and school only) or consumers (personal only). Single-tenant apps need their tenant ID.",
      "x-placeholder": "common", "x-group": "credentials"
    },
    "client_id": {
      "type": "string", "title": "Application (client) ID",
      "pattern": "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
      "description": "The Application (client) ID on the app registration's Overview page.",
      "x-placeholder": "00000000-0000-0000-0000-000000000000", "x-group": "credentials",
      "x-help-url": "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
    },
    "client_secret": {
      "type": "string", "title": "Client secret value", "writeOnly": true, "format": "password",
      "minLength": 1, "pattern": "^\\S+$",
      "description": "The secret's Value from Certificates & secrets, not its Secret ID. Leave empty for a public client (mobile or desktop app), which must not send one.",
      "x-group": "credentials"
    },
    "refresh_token": {
      "type": "string", "title": "Refresh token", "writeOnly": true, "format": "password",
      "minLength": 1, "pattern": "^\\S+$",
      "description": "The refresh token issued when the user consented (requires offline_access). Microsoft replaces it on every refresh; Switchboard stores the new one.",
      "x-group": "credentials"
    },
    "scopes": {
      "type": "array", "title": "Scopes",
      "items": {"type": "string", "minLength": 1, "pattern": "^\\S+$"},
      "minItems": 1, "uniqueItems": true,
      "default": ["offline_access", "User.Read", "Calendars.Read", "Mail.Read"],
      "description": "Delegated permissions this connection needs, all for Microsoft Graph: offline_access, User.Read, and a mail or calendar read permission. They must have been consented with the refresh token.",
      "x-placeholder": "Mail.Read", "x-group": "credentials",
      "x-help-url": "https://learn.microsoft.com/graph/permissions-reference"
    },
    "authority_host": {
      "type": "string", "x-credential-destination": true, "title": "Sign-in (authority) host", "format": "uri",
      "pattern": "^https?://[^\\s/?#]+[^\\s?#]*$",
      "default": "https://login.microsoftonline.com",
      "examples": ["https://login.microsoftonline.com", "https://login.microsoftonline.us", "https://login.partner.microsoftonline.cn"],
      "description": "The Microsoft identity platform host of your cloud: login.microsoftonline.com (global), login.microsoftonline.us (US Government) or login.partner.microsoftonline.cn (China, operated by 21Vianet).",
      "x-placeholder": "https://login.microsoftonline.com", "x-group": "advanced"
    },
    "graph_base": {
      "type": "string", "x-credential-destination": true, "title": "Microsoft Graph base URL", "format": "uri",
      "pattern": "^https?://[^\\s/?#]+[^\\s]*$",
      "default": "https://graph.microsoft.com/v1.0",
      "examples": ["https://graph.microsoft.com/v1.0", "https://graph.microsoft.us/v1.0", "https://dod-graph.microsoft.us/v1.0", "https://microsoftgraph.chinacloudapi.cn/v1.0"],
      "description": "Microsoft Graph in the same cloud as the sign-in host, with its version; the probe reads {graph_base}/me.",
      "x-placeholder": "https://graph.microsoft.com/v1.0", "x-group": "advanced"
    }
  }
})json";

}  // namespace

switchboard::Manifest MakeManifest() {
  return {"outlook", "Microsoft Outlook", "1.0.0",
          "Outlook mail and calendars through Microsoft Graph, with an Entra app and a user's "
          "refresh token.",
          kIcon, switchboard::Json::parse(kSchema)};
}

}  // namespace outlook
