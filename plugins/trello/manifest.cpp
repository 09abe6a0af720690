#include "manifest.hpp"

namespace trello {
namespace {

// A board with three lists of cards, on Trello blue.
constexpr const char* kIcon =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img" aria-label="Trello"><rect x="1" y="1" width="22" height="22" rx="4" fill="#0079bf"/><rect x="4.5" y="4.5" width="4" height="13" rx="1" fill="#fff"/><rect x="10" y="4.5" width="4" height="8" rx="1" fill="#fff"/><rect x="15.5" y="4.5" width="4" height="10.5" rx="1" fill="#fff" opacity="0.75"/></svg>)svg";

// The key is a secret at rest even though Trello calls it public: with a token it is
// full account access, and alone it identifies the owner's Power-Up.
// The token pattern admits both known shapes (64 characters before 2023, ATTA + 72 since)
// and longer future ones, because integrations that pinned the exact length broke.
constexpr const char* kSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Trello connection",
  "type": "object",
  "additionalProperties": false,
  "required": ["api_key", "token"],
  "x-order": ["api_key", "token", "base_url"],
  "x-groups": [
    {"id": "credentials", "title": "Credentials"},
    {"id": "advanced", "title": "Advanced", "collapsed": true,
     "description": "Only for a Trello-compatible server or a test double."}
  ],
  "properties": {
    "api_key": {
      "type": "string", "title": "API key", "writeOnly": true, "format": "password",
      "pattern": "^[0-9A-Fa-f]{32}$",
      "description": "The 32-character key on the API Key tab of your Power-Up admin page. Not the secret shown next to it.",
      "x-placeholder": "32 hexadecimal characters", "x-group": "credentials",
      "x-help-url": "https://trello.com/power-ups/admin"
    },
    "token": {
      "type": "string", "title": "Token", "writeOnly": true, "format": "password",
      "pattern": "^[0-9A-Za-z]{64,}$",
      "description": "A token authorized for this API key: ATTA followed by 72 characters (tokens from before 2023 are 64 characters). Use the Token link next to your API key.",
      "x-placeholder": "ATTA...", "x-group": "credentials",
      "x-help-url": "https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/"
    },
    "base_url": {
      "type": "string", "x-credential-destination": true, "title": "API base URL", "format": "uri",
      "pattern": "^https?://[^\\s?#]+$",
      "default": "https://api.trello.com/1",
      "description": "Change only for a Trello-compatible server. Requests go to {base_url}/members/me.",
      "x-placeholder": "https://api.trello.com/1", "x-group": "advanced"
    }
  }
})json";

}  // namespace

switchboard::Manifest TrelloManifest() {
  return {"trello", "Trello", "1.0.0",
          "Trello boards and cards, authenticated with an API key and a user token.", kIcon,
          switchboard::Json::parse(kSchema)};
}

}  // namespace trello
