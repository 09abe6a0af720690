// The parts of an OAuth 2.0 refresh-token client that do not depend on what drives them:
// the fields such a connection stores, the refresh-token grant and the API call it
// enables, and reading the token endpoint's answers (RFC 6749 5.1 and 5.2).
// OAuth2Probe (oauth2_probe.hpp) is built from them; anything else that refreshes an
// access token from a stored refresh token can use them the same way.
//
//   const ClientConfig client = ClientConfig::From(config, {"calendar.readonly"});
//   HttpRequest refresh = TokenRequestTo(token_url, {{"grant_type", "refresh_token"},
//       {"client_id", client.client_id}, {"client_secret", client.client_secret},
//       {"refresh_token", client.refresh_token}, {"scope", JoinScopes(client.scopes)}});
//   ... the host sends it ...
//   if (response.status == 200) { TokenResponse token = ParseTokenResponse(response.body); }
//   else { TokenError error = ParseTokenError(response); /* classify error.error */ }
//
// Header-only; depends on nlohmann/json.
#ifndef SWITCHBOARD_OAUTH2_CLIENT_HPP
#define SWITCHBOARD_OAUTH2_CLIENT_HPP

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/oauth_util.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/probe_result.hpp>

namespace switchboard::oauth {

// Scopes as the `scope` parameter of RFC 6749 writes them: separated by one space.
inline std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const auto& scope : scopes) joined += (joined.empty() ? "" : " ") + scope;
  return joined;
}

// The scopes of a `scope` parameter; runs of spaces give no empty scope.
inline std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> scopes;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) scopes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return scopes;
}

// A token-endpoint request: POST `url` with `form` as application/x-www-form-urlencoded
// (fields in the order given), asking for JSON.
inline HttpRequest TokenRequestTo(std::string url,
                                  const std::vector<std::pair<std::string, std::string>>& form) {
  HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  request.headers["accept"] = "application/json";
  request.body = FormEncode(form);
  return request;
}

// An API call: GET `url` with the access token as a bearer token, asking for JSON.
inline HttpRequest BearerGet(std::string url, const std::string& access_token) {
  HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  request.headers["authorization"] = "Bearer " + access_token;
  request.headers["accept"] = "application/json";
  return request;
}

// The fields every refresh-token connection stores, under these names in its config:
// "client_id", "client_secret", "refresh_token" and "scopes" (an array of strings). A
// provider's own config derives from it and adds its endpoints:
//
//   struct Config : switchboard::oauth::ClientConfig { std::string token_uri; ... };
struct ClientConfig {
  std::string client_id;
  std::string client_secret;  // "" when absent (a public client has none)
  std::string refresh_token;
  std::vector<std::string> scopes;

  // Reads the four fields of `json` (absent or mistyped ones read as empty); no scope
  // (absent, empty array, only empty strings) gives `default_scopes`, the schema's default.
  static ClientConfig From(const Json& json, std::vector<std::string> default_scopes) {
    ClientConfig config;
    config.client_id = StringField(json, "client_id");
    config.client_secret = StringField(json, "client_secret");
    config.refresh_token = StringField(json, "refresh_token");
    config.scopes = StringList(json, "scopes");
    if (config.scopes.empty()) config.scopes = std::move(default_scopes);
    return config;
  }

  // The values that must never appear in a message or a log line.
  std::vector<std::string> Secrets() const { return {client_secret, refresh_token}; }
};

// A token endpoint's 200 answer (RFC 6749 5.1). Fields the body lacks, or gives with
// another type, read as empty: a 200 without an access token is the caller's to judge.
struct TokenResponse {
  std::string access_token;
  std::string refresh_token;            // "" unless the provider issued one (rotation)
  std::string scope;                    // what was granted, space-separated; "" if unsaid
  std::optional<long long> expires_in;  // the access token's lifetime in seconds, if said
};

inline TokenResponse ParseTokenResponse(const std::string& body) {
  const Json json = ParseObject(body);
  TokenResponse token;
  token.access_token = StringField(json, "access_token");
  token.refresh_token = StringField(json, "refresh_token");
  token.scope = StringField(json, "scope");
  auto expires_in = json.find("expires_in");
  // A number past long long (only an unsigned one can be) is no lifetime anyone meant.
  if (expires_in != json.end() && expires_in->is_number_integer() &&
      !(expires_in->is_number_unsigned() &&
        expires_in->get<unsigned long long>() > std::numeric_limits<long long>::max())) {
    token.expires_in = expires_in->get<long long>();
  }
  return token;
}

// A token endpoint's error answer (RFC 6749 5.2): {"error", "error_description", ...}.
// Providers add their own members (Google's error_subtype, Microsoft's error_codes);
// `body` keeps the whole object for those.
struct TokenError {
  int status = 0;
  std::string error;        // "invalid_grant", "invalid_client", ...; "" when absent
  std::string description;  // error_description; "" when absent
  Json body;                // the body as an object, empty when it is not one

  // The provider's own words for a verdict message: the first line of the description,
  // or `otherwise` when there is none, cut by Excerpt and with `secrets` scrubbed.
  std::string Quote(const std::vector<std::string>& secrets, const std::string& otherwise) const {
    return Scrub(Excerpt(description.empty() ? otherwise : description), secrets);
  }
};

inline TokenError ParseTokenError(const HttpResponse& response) {
  TokenError token_error;
  token_error.status = response.status;
  token_error.body = ParseObject(response.body);
  token_error.error = StringField(token_error.body, "error");
  token_error.description = StringField(token_error.body, "error_description");
  return token_error;
}

// The verdict on a token error no rule of the provider matched: invalid_credentials,
// with the provider's `error` (or "token_error") as reason and the message
// "<issuer> refused to refresh the access token (<said>)."
inline ProbeResult TokenRefused(const TokenError& token_error, const std::string& issuer,
                                const std::string& said) {
  return Invalid(token_error.error.empty() ? "token_error" : token_error.error,
                 issuer + " refused to refresh the access token (" + said + ").");
}

// The verdict on a 401 from the API call even after a retry with a fresh token (as
// OAuth2Probe retries): the grant itself no longer works. invalid_credentials at
// refresh_token, "<api> rejected a freshly issued access token twice (<said>);
// reconnect the account."
inline ProbeResult RejectedFreshToken(std::string reason, const std::string& api,
                                      const std::string& said) {
  return Invalid(std::move(reason),
                 api + " rejected a freshly issued access token twice (" + said +
                     "); reconnect the account.",
                 "refresh_token");
}

}  // namespace switchboard::oauth

#endif  // SWITCHBOARD_OAUTH2_CLIENT_HPP
