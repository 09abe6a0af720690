// Microsoft: the identity platform's v2.0 token endpoint (refresh-token grant, AADSTS
// error bodies) and Microsoft Graph reads under /me (Graph's error envelope), as in
// providers.md 4.2-4.4. Like the real service, every refresh returns a new refresh token
// and the old one keeps working; a token ending in "rotate" is single-use instead, so a
// test can prove the host stored the new one. Graph accepts only unexpired access tokens
// this fake issued; /me/messages is the use-path call (paged by $top and $skip), and the
// one a "redirect" family is sent to the capture listener from.
#include <chrono>
#include <ctime>
#include <set>
#include <sstream>
#include <string>

#include "provider_routes.hpp"

namespace fakes {
namespace {

constexpr const char* kProvider = "microsoft";
constexpr const char* kUserId = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
constexpr const char* kUserPrincipalName = "AdeleV@contoso.com";
constexpr const char* kGraphRetryAfterSeconds = "17";
constexpr const char* kTokenRetryAfterSeconds = "5";

std::string Uuid() {
  const std::string hex = RandomHex(32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string UtcNow(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

// The identity platform's error body: the AADSTS code leads the description, trace ids
// follow on later lines, and error_codes repeats the number.
void TokenError(httplib::Response& res, int status, const std::string& error, long code,
                const std::string& text) {
  const std::string timestamp = UtcNow("%Y-%m-%d %H:%M:%SZ");
  const std::string trace = Uuid();
  const std::string correlation = Uuid();
  SendJson(res, status,
           {{"error", error},
            {"error_description", "AADSTS" + std::to_string(code) + ": " + text +
                                      "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " +
                                      correlation + "\r\nTimestamp: " + timestamp},
            {"error_codes", Json::array({code})},
            {"timestamp", timestamp},
            {"trace_id", trace},
            {"correlation_id", correlation},
            {"error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(code)}});
}

std::set<std::string> SplitScopes(const std::string& text) {
  std::set<std::string> scopes;
  std::istringstream words(text);
  for (std::string word; words >> word;) scopes.insert(word);
  return scopes;
}

// Microsoft echoes Graph permissions by their short names and leaves out the OpenID
// Connect scopes.
std::string GrantedScope(const std::set<std::string>& requested) {
  static const std::string kGraph = "https://graph.microsoft.com/";
  std::string granted;
  for (std::string scope : requested) {
    if (scope.rfind(kGraph, 0) == 0) scope = scope.substr(kGraph.size());
    if (scope == "offline_access" || scope == "openid" || scope == "profile" || scope == "email") {
      continue;
    }
    granted += (granted.empty() ? "" : " ") + scope;
  }
  return granted.empty() ? "User.Read Calendars.Read Mail.Read" : granted;
}

// Answers the failure the request earns, or returns false when a token may be issued.
bool RefuseToken(const httplib::Request& req, const std::shared_ptr<Grant>& grant,
                 httplib::Response& res) {
  const std::string tenant = req.matches[1];
  const std::string client_id = req.get_param_value("client_id");
  const std::string client_secret = req.get_param_value("client_secret");
  const std::string grant_type = req.get_param_value("grant_type");
  const std::string refresh_token = req.get_param_value("refresh_token");
  if (tenant.rfind("unknown", 0) == 0) {
    TokenError(res, 400, "invalid_request", 90002,
               "Tenant '" + tenant +
                   "' not found. Check to make sure you have the correct tenant ID and are "
                   "signing into the correct cloud. Check with your subscription administrator, "
                   "this may happen if there are no active subscriptions for the tenant.");
    return true;
  }
  if (grant_type != "refresh_token") {
    TokenError(res, 400, "unsupported_grant_type", 70003,
               "The app requested an unsupported grant type '" + grant_type + "'.");
    return true;
  }
  for (const char* name : {"client_id", "refresh_token"}) {
    if (req.get_param_value(name).empty()) {
      TokenError(res, 400, "invalid_request", 900144,
                 std::string("The request body must contain the following parameter: '") + name +
                     "'.");
      return true;
    }
  }
  if (EndsWith(client_secret, "wrong")) {
    TokenError(res, 401, "invalid_client", 7000215,
               "Invalid client secret provided. Ensure the secret being sent in the request is "
               "the client secret value, not the client secret ID, for a secret added to app '" +
                   client_id + "'.");
    return true;
  }
  if (EndsWith(client_secret, "expired")) {
    TokenError(res, 401, "invalid_client", 7000222,
               "The provided client secret keys for app '" + client_id +
                   "' are expired. Visit the Azure portal to create new keys for your app: "
                   "https://aka.ms/NewClientSecret, or consider using certificate credentials "
                   "for added security: https://aka.ms/certCreds.");
    return true;
  }
  if (!grant) {
    TokenError(res, 400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
    return true;
  }
  const std::string issued_on = UtcNow("%Y-%m-%dT%H:%M:%S.0000000Z");
  switch (grant->mode.mode) {
    case Mode::kExpired:
      TokenError(res, 400, "invalid_grant", 700082,
                 "The refresh token has expired due to inactivity. The token was issued on " +
                     issued_on + " and was inactive for 90.00:00:00.");
      return true;
    case Mode::kGrantExpired:
      TokenError(res, 400, "invalid_grant", 70008,
                 "The provided authorization code or refresh token has expired due to "
                 "inactivity. Send a new interactive authorization request for this user and "
                 "resource.");
      return true;
    case Mode::kRevoked:
      TokenError(res, 400, "invalid_grant", 50173,
                 "The provided grant has expired due to it being revoked, a fresh auth token is "
                 "needed. The user might have changed or reset their password. The grant was "
                 "issued on '" + issued_on +
                     "' and the TokensValidFrom date (before which tokens are not valid) for "
                     "this user is '" + issued_on + "'.");
      return true;
    case Mode::kEcho:
      TokenError(res, 400, "invalid_grant", 70000, EchoText(refresh_token, client_id, client_secret));
      return true;
    case Mode::kMfa:
      TokenError(res, 400, "interaction_required", 50076,
                 "Due to a configuration change made by your administrator, or because you "
                 "moved to a new location, you must use multi-factor authentication to access "
                 "'00000003-0000-0000-c000-000000000000'.");
      return true;
    case Mode::kTokenDown:
      res.set_header("Retry-After", kTokenRetryAfterSeconds);
      TokenError(res, 503, "temporarily_unavailable", 50033,
                 "A transient error has occurred. Please try again.");
      return true;
    default:
      return false;
  }
}

void Token(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const std::string refresh_token = req.get_param_value("refresh_token");
  const RefreshLookup found = context.grants().FindRefresh(refresh_token);
  context.stats().Count(kProvider, "token", found.grant ? found.grant->root : refresh_token);
  if (found.grant && req.get_param_value("grant_type") == "refresh_token") {
    context.stats().CountRefresh(kProvider, found.grant->root, found.spent);
  }
  context.Delay(found.grant ? found.grant->mode : CredentialMode{});
  // A token spent by rotation is dead, whatever its family.
  const std::shared_ptr<Grant> grant = found.spent ? nullptr : found.grant;
  if (RefuseToken(req, grant, res)) return;

  const std::set<std::string> requested = SplitScopes(req.get_param_value("scope"));
  const bool offline = requested.empty() || requested.count("offline_access") != 0;
  const int lifetime = context.AccessTokenSeconds(*grant);
  Json body = {{"token_type", "Bearer"},
               {"scope", grant->mode.mode == Mode::kNarrowScope ? "User.Read"
                                                                : GrantedScope(requested)},
               {"expires_in", lifetime},
               {"ext_expires_in", lifetime},
               {"access_token",
                context.grants().IssueAccess(kProvider, grant, "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake.",
                                             std::chrono::seconds(lifetime))}};
  if (offline) body["refresh_token"] = context.grants().IssueRefresh(grant, "1.AXkAfake.");
  if (requested.count("openid") != 0) body["id_token"] = "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiJmYWtlIn0.";
  if (grant->mode.mode == Mode::kRotate) context.grants().Spend(refresh_token);
  SendJson(res, 200, body);
}

void GraphError(httplib::Response& res, int status, const std::string& code,
                const std::string& message) {
  SendJson(res, status,
           {{"error",
             {{"code", code},
              {"message", message},
              {"innerError",
               {{"date", UtcNow("%Y-%m-%dT%H:%M:%S")},
                {"request-id", res.get_header_value("request-id")},
                {"client-request-id", res.get_header_value("client-request-id")}}}}}});
}

void Unauthenticated(httplib::Response& res, const std::string& message) {
  res.set_header("WWW-Authenticate",
                 R"(Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000")");
  GraphError(res, 401, "InvalidAuthenticationToken", message);
}

Json Message(int index) {
  static const char* const kSubjects[] = {"Quarterly planning", "Lunch on Friday?",
                                          "Your invoice is ready", "Build failed on main",
                                          "Welcome to the team"};
  static const char* const kSenders[][2] = {{"Megan Bowen", "MeganB@contoso.com"},
                                            {"Alex Wilber", "AlexW@contoso.com"},
                                            {"Contoso Billing", "billing@contoso.com"},
                                            {"Build Bot", "ci@contoso.com"},
                                            {"Lee Gu", "LeeG@contoso.com"}};
  const std::string id = "AAMkAGI2TGuLAAA" + std::to_string(index) + "=";
  const std::string day = "2026-11-" + std::to_string(20 + index) + "T09:1" +
                          std::to_string(index) + ":00Z";
  return {{"@odata.etag", "W/\"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW" + std::to_string(index) + "\""},
          {"id", id},
          {"createdDateTime", day},
          {"lastModifiedDateTime", day},
          {"receivedDateTime", day},
          {"sentDateTime", day},
          {"hasAttachments", false},
          {"subject", kSubjects[index]},
          {"bodyPreview", std::string(kSubjects[index]) + ": see the details below."},
          {"importance", "normal"},
          {"conversationId", "AAQkAGI2TGuLAAAQ" + std::to_string(index) + "="},
          {"isRead", index % 2 == 1},
          {"isDraft", false},
          {"webLink", "https://outlook.office365.com/owa/?ItemID=" + id + "&exvsurl=1&viewmodel=ReadMessageItem"},
          {"body", {{"contentType", "text"}, {"content", std::string(kSubjects[index]) + ": see the details below."}}},
          {"sender", {{"emailAddress", {{"name", kSenders[index][0]}, {"address", kSenders[index][1]}}}}},
          {"from", {{"emailAddress", {{"name", kSenders[index][0]}, {"address", kSenders[index][1]}}}}},
          {"toRecipients", Json::array({{{"emailAddress", {{"name", "Adele Vance"}, {"address", kUserPrincipalName}}}}})},
          {"ccRecipients", Json::array()},
          {"replyTo", Json::array()}};
}

// A whole number within [low, high] from a query parameter, or `fallback` for anything
// else (Graph's own answer to a bad $top is not modelled).
int IntParam(const httplib::Request& req, const char* name, int low, int high, int fallback) {
  const std::string text = req.get_param_value(name);
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return fallback;
  }
  const int value = std::stoi(text);
  return value < low || value > high ? fallback : value;
}

// GET /me/messages: five messages, newest first, paged by $top (default 10, as Graph)
// and $skip; a page that is not the last links to the next on the host that was asked.
Json Messages(const std::string& context_url, const httplib::Request& req) {
  constexpr int kMessages = 5;
  const int top = IntParam(req, "$top", 1, 1000, 10);
  const int skip = IntParam(req, "$skip", 0, 100000, 0);
  Json value = Json::array();
  for (int i = skip; i < kMessages && i < skip + top; ++i) value.push_back(Message(i));
  Json page = {{"@odata.context", context_url}, {"value", value}};
  if (skip + top < kMessages) {
    page["@odata.nextLink"] = "http://" + req.get_header_value("Host") +
                              "/graph/v1.0/me/messages?%24top=" + std::to_string(top) +
                              "&%24skip=" + std::to_string(skip + top);
  }
  return page;
}

Json Resource(const std::string& resource, const httplib::Request& req) {
  const std::string context_base = "https://graph.microsoft.com/v1.0/$metadata#";
  if (resource.empty()) {
    Json user = {{"id", kUserId},
                 {"userPrincipalName", kUserPrincipalName},
                 {"displayName", "Adele Vance"},
                 {"mail", kUserPrincipalName}};
    const std::string select = req.get_param_value("$select");
    if (select.empty()) {
      user["@odata.context"] = context_base + "users/$entity";
      return user;
    }
    Json picked = {{"@odata.context", context_base + "users(" + select + ")/$entity"}};
    std::istringstream fields(select);
    for (std::string field; std::getline(fields, field, ',');) {
      if (user.contains(field)) picked[field] = user[field];
    }
    return picked;
  }
  const std::string owner = std::string("users('") + kUserId + "')";
  if (resource == "mailFolders/inbox") {
    return {{"@odata.context", context_base + owner + "/mailFolders/$entity"},
            {"id", "AAMkAGI2TGuLAAA="},
            {"displayName", "Inbox"},
            {"parentFolderId", "AAMkAGI2TAAA="},
            {"childFolderCount", 0},
            {"unreadItemCount", 2},
            {"totalItemCount", 5}};
  }
  if (resource == "calendars") {
    return {{"@odata.context", context_base + owner + "/calendars"},
            {"value", Json::array({{{"id", "AAMkAGI2TGuLAAA="},
                                    {"name", "Calendar"},
                                    {"canEdit", true},
                                    {"isDefaultCalendar", true},
                                    {"owner", {{"name", "Adele Vance"},
                                               {"address", kUserPrincipalName}}}}})}};
  }
  return Messages(context_base + owner + "/messages", req);
}

// GET /me and the mail and calendar reads under it. `resource` is "" for /me itself.
void GraphRead(FakeContext& context, const std::string& resource, const httplib::Request& req,
               httplib::Response& res) {
  const std::string access_token = BearerToken(req);
  const AccessLookup found = context.grants().FindAccess(kProvider, access_token);
  const std::shared_ptr<Grant>& grant = found.grant;
  context.stats().Count(kProvider, resource.empty() ? "me" : "me/" + resource,
                        grant ? grant->root : access_token);
  context.Delay(grant ? grant->mode : CredentialMode{});
  const std::string client_request_id = req.get_header_value("client-request-id");
  const std::string request_id = Uuid();
  res.set_header("request-id", request_id);
  res.set_header("client-request-id", client_request_id.empty() ? request_id : client_request_id);
  res.set_header("x-ms-ags-diagnostic",
                 R"({"ServerInfo":{"DataCenter":"West Europe","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"AM2PEPF0000C7A1"}})");

  if (access_token.empty()) return Unauthenticated(res, "Access token is empty.");
  if (!grant) return Unauthenticated(res, "CompactToken parsing failed with error code: 80049217");
  if (found.expired) return Unauthenticated(res, "Lifetime validation failed, the token is expired.");
  switch (grant->mode.mode) {
    case Mode::kRedirect:
      // Only the use-path read; /me stays the probe's plain answer.
      if (resource == "messages") return context.RedirectToCapture(req, res);
      break;
    case Mode::kBadAccess:
      return Unauthenticated(res, "Access token has expired or is not yet valid.");
    case Mode::kUnauthorizedOnce:
      if (grant->api_calls++ == 0) {
        return Unauthenticated(res, "Access token has expired or is not yet valid.");
      }
      break;
    case Mode::kNoScope:
      if (resource.empty()) {
        return GraphError(res, 403, "Authorization_RequestDenied",
                          "Insufficient privileges to complete the operation.");
      }
      return GraphError(res, 403, "ErrorAccessDenied",
                        "Access is denied. Check credentials and try again.");
    case Mode::kRateLimited:
      res.set_header("Retry-After", kGraphRetryAfterSeconds);
      return GraphError(res, 429, "TooManyRequests",
                        "Too many requests from Identifier:" + std::string(kUserId) +
                            " under category:throttling.");
    case Mode::kDown:
      res.set_header("Retry-After", "10");
      return GraphError(res, 503, "serviceNotAvailable", "Service unavailable");
    case Mode::kServerError:
      return GraphError(res, 504, "UnknownError", "");
    default:
      break;
  }
  SendJson(res, 200, Resource(resource, req));
}

}  // namespace

void AddMicrosoftRoutes(httplib::Server& server, FakeContext& context) {
  context.Post(server, R"(/microsoft/([^/]+)/oauth2/v2\.0/token)",
               [&context](const httplib::Request& req, httplib::Response& res) {
                 Token(context, req, res);
               });
  for (const std::string resource : {"", "mailFolders/inbox", "calendars", "messages"}) {
    context.Get(server, "/graph/v1\\.0/me" + (resource.empty() ? "" : "/" + resource),
                [&context, resource](const httplib::Request& req, httplib::Response& res) {
                  GraphRead(context, resource, req, res);
                });
  }
}

}  // namespace fakes
