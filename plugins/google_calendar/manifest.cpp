#include "manifest.hpp"

namespace google_calendar {
namespace {

// A calendar page in Google's four brand colours; an original drawing, not Google's logo.
constexpr const char* kIcon =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img" aria-label="Google Calendar"><rect x="3" y="4" width="18" height="17" rx="2.5" fill="#fff" stroke="#4285F4" stroke-width="1.5"/><path d="M3 6.5A2.5 2.5 0 0 1 5.5 4h13A2.5 2.5 0 0 1 21 6.5V9H3z" fill="#4285F4"/><rect x="7" y="2" width="2" height="4" rx="1" fill="#1967D2"/><rect x="15" y="2" width="2" height="4" rx="1" fill="#1967D2"/><rect x="6" y="11.5" width="3" height="3" rx=".6" fill="#EA4335"/><rect x="10.5" y="11.5" width="3" height="3" rx=".6" fill="#FBBC04"/><rect x="15" y="11.5" width="3" height="3" rx=".6" fill="#34A853"/><rect x="6" y="16" width="3" height="3" rx=".6" fill="#34A853"/><rect x="10.5" y="16" width="3" height="3" rx=".6" fill="#4285F4"/></svg>)svg";

constexpr const char* kSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Google Calendar connection",
  "description": "An OAuth 2.0 client of a Google Cloud project and a refresh token a user granted it.",
  "type": "object",
  "additionalProperties": false,
  "required": ["client_id", "client_secret", "refresh_token"],
  "x-order": ["client_id", "client_secret", "refresh_token", "scopes", "token_uri", "api_base"],
  "x-groups": [
    {"id": "credentials", "title": "Credentials"},
    {"id": "advanced", "title": "Advanced", "collapsed": true,
     "description": "Endpoint overrides, for a proxy or a test server. Leave them at their defaults."}
  ],
  "properties": {
    "client_id": {
      "type": "string", "title": "Client ID",
      "pattern": "^[0-9]+-[a-z0-9]+\\.apps\\.googleusercontent\\.com$",
      "description": "The OAuth client ID from Google Cloud console, APIs & Services > Credentials.",
      "x-placeholder": "123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com",
      "x-group": "credentials",
      "x-help-url": "https://console.cloud.google.com/apis/credentials"
    },
    "client_secret": {
      "type": "string", "title": "Client secret", "writeOnly": true, "format": "password",
      "minLength": 1, "pattern": "^\\S+$",
      "description": "The OAuth client's secret. Current secrets start with GOCSPX-; older ones have no prefix and are accepted too.",
      "x-placeholder": "GOCSPX-...", "x-group": "credentials"
    },
    "refresh_token": {
      "type": "string", "title": "Refresh token", "writeOnly": true, "format": "password",
      "minLength": 1, "pattern": "^\\S+$",
      "description": "The refresh token Google issued to this client when the user consented (requested with access_type=offline). Not the short-lived access token (ya29...).",
      "x-placeholder": "1//...", "x-group": "credentials"
    },
    "scopes": {
      "type": "array", "title": "Scopes",
      "items": {"type": "string", "minLength": 1, "pattern": "^\\S+$"},
      "minItems": 1, "uniqueItems": true,
      "default": ["https://www.googleapis.com/auth/calendar.readonly"],
      "description": "The OAuth scopes this connection needs, as full URLs. They must have been granted with the refresh token, and one must allow listing calendars (calendar.readonly, calendar, calendar.calendarlist or calendar.calendarlist.readonly).",
      "x-placeholder": "https://www.googleapis.com/auth/calendar.readonly",
      "x-group": "credentials",
      "x-help-url": "https://developers.google.com/identity/protocols/oauth2/scopes#calendar"
    },
    "token_uri": {
      "type": "string", "x-credential-destination": true, "title": "Token endpoint", "format": "uri",
      "pattern": "^https?://[^\\s/?#]+[^\\s]*$",
      "default": "https://oauth2.googleapis.com/token",
      "description": "Where the refresh token is exchanged for an access token.",
      "x-placeholder": "https://oauth2.googleapis.com/token", "x-group": "advanced"
    },
    "api_base": {
      "type": "string", "x-credential-destination": true, "title": "Calendar API base URL", "format": "uri",
      "pattern": "^https?://[^\\s/?#]+[^\\s]*$",
      "default": "https://www.googleapis.com/calendar/v3",
      "description": "The Calendar API root; the probe reads {api_base}/users/me/calendarList.",
      "x-placeholder": "https://www.googleapis.com/calendar/v3", "x-group": "advanced"
    }
  }
})json";

}  // namespace

switchboard::Manifest MakeManifest() {
  return {"google_calendar", "Google Calendar", "1.0.0",
          "Google Calendar through an OAuth 2.0 client and a user's refresh token.", kIcon,
          switchboard::Json::parse(kSchema)};
}

}  // namespace google_calendar
