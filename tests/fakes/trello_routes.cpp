// Trello: GET /1/members/me (the probe), /1/tokens/{token} (expiry) and
// /1/members/me/boards (the use path), with key and token on every request (query
// parameters, or the OAuth header form), plain-text 401 bodies, JSON 429 bodies, no
// Retry-After (providers.md 3.2-3.6).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>
#include <sstream>
#include <string>

#include "provider_routes.hpp"

namespace fakes {
namespace {

constexpr const char* kProvider = "trello";
// A key ending in these hex digits is one Trello does not know (keys are 32 hex digits,
// so no word can mark them).
constexpr const char* kUnknownKeySuffix = "deadbeef";

struct TrelloAuth {
  std::string key;
  std::string token;
};

// `Authorization: OAuth oauth_consumer_key="<key>", oauth_token="<token>"`, else the
// key= and token= query parameters.
TrelloAuth ReadAuth(const httplib::Request& req) {
  TrelloAuth auth{req.get_param_value("key"), req.get_param_value("token")};
  const std::string header = req.get_header_value("Authorization");
  if (header.rfind("OAuth ", 0) == 0) {
    static const std::regex kKey(R"re(oauth_consumer_key="([^"]*)")re");
    static const std::regex kToken(R"re(oauth_token="([^"]*)")re");
    std::smatch match;
    if (std::regex_search(header, match, kKey)) auth.key = match[1];
    if (std::regex_search(header, match, kToken)) auth.token = match[1];
  }
  return auth;
}

void SendText(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text, "text/plain; charset=utf-8");
}

void RateLimitHeaders(httplib::Response& res, int token_remaining) {
  res.set_header("x-rate-limit-api-token-interval-ms", "10000");
  res.set_header("x-rate-limit-api-token-max", "100");
  res.set_header("x-rate-limit-api-token-remaining", std::to_string(token_remaining));
  res.set_header("x-rate-limit-api-key-interval-ms", "10000");
  res.set_header("x-rate-limit-api-key-max", "300");
  res.set_header("x-rate-limit-api-key-remaining", std::to_string(token_remaining * 3));
}

std::string IsoTimeIn(std::chrono::hours from_now) {
  std::time_t when = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
  return text;
}

// Answers the failure `auth` earns, or returns false when the request may proceed.
bool Refuse(const TrelloAuth& auth, const CredentialMode& mode, httplib::Response& res) {
  if (auth.key.empty() || EndsWith(auth.key, kUnknownKeySuffix)) {
    SendText(res, 401, "invalid key");
    return true;
  }
  if (auth.token.empty()) {
    SendText(res, 401, "invalid token");
    return true;
  }
  switch (mode.mode) {
    case Mode::kEcho:  // the plugin turns this text into its reason code
      SendText(res, 401, "unauthorized " + auth.key);
      return true;
    case Mode::kRevoked:
      SendText(res, 401, "invalid token");
      return true;
    case Mode::kExpired:
      SendText(res, 401, "expired token");
      return true;
    case Mode::kNoScope:
      SendText(res, 401, "unauthorized permission requested");
      return true;
    case Mode::kRateLimited:
      RateLimitHeaders(res, 0);
      SendJson(res, 429, {{"error", "API_TOKEN_LIMIT_EXCEEDED"}, {"message", "Rate limit exceeded"}});
      return true;
    case Mode::kKeyLimit:
      RateLimitHeaders(res, 0);
      SendJson(res, 429, {{"error", "API_KEY_LIMIT_EXCEEDED"}, {"message", "Rate limit exceeded"}});
      return true;
    case Mode::kMemberLimit:
      SendJson(res, 429, {{"message", "Exceeded rate limit to /1/member"},
                          {"error", "RATE_LIMIT_EXCEEDED"}});
      return true;
    case Mode::kServerError:
      SendText(res, 500, "Internal Server Error");
      return true;
    case Mode::kDown:
      SendText(res, 503, "Service Unavailable");
      return true;
    default:
      return false;
  }
}

// A stable 24-hex-digit member id per token, as Trello ids look.
std::string MemberId(const std::string& token) {
  char text[17];
  std::snprintf(text, sizeof text, "%016zx", std::hash<std::string>{}(token));
  return std::string(text) + "5abbe4b7";
}

void MembersMe(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const TrelloAuth auth = ReadAuth(req);
  context.stats().Count(kProvider, "members/me", auth.token);
  const CredentialMode mode = context.grants().Parse(auth.token);
  context.Delay(mode);
  if (Refuse(auth, mode, res)) return;
  RateLimitHeaders(res, 99);
  SendJson(res, 200, {{"id", MemberId(auth.token)}, {"username", "fakeuser"}});
}

Json Board(const std::string& token, const std::string& name, const std::string& slug,
           const std::string& desc, bool closed, const std::string& short_link) {
  const std::string url = "https://trello.com/b/" + short_link;
  return {{"id", MemberId(token + "#board#" + name)},
          {"name", name},
          {"desc", desc},
          {"descData", nullptr},
          {"closed", closed},
          {"idOrganization", MemberId(token + "#workspace")},
          {"idEnterprise", nullptr},
          {"pinned", false},
          {"url", url + "/" + slug},
          {"shortUrl", url},
          {"shortLink", short_link},
          {"dateLastActivity", closed ? "2026-03-02T16:40:12.511Z" : "2026-11-20T09:14:02.311Z"},
          {"idMemberCreator", MemberId(token)},
          {"prefs", {{"permissionLevel", "private"},
                     {"background", closed ? "grey" : "blue"},
                     {"backgroundColor", closed ? "#838C91" : "#0079BF"}}},
          {"labelNames", {{"green", ""}, {"yellow", ""}, {"orange", ""}, {"red", ""},
                          {"purple", ""}, {"blue", ""}}}};
}

// GET /1/members/me/boards: the token's boards, one open and one closed. Honours
// filter=open|closed (default all, as Trello) and fields=a,b (id is always included).
void MemberBoards(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const TrelloAuth auth = ReadAuth(req);
  context.stats().Count(kProvider, "members/me/boards", auth.token);
  const CredentialMode mode = context.grants().Parse(auth.token);
  context.Delay(mode);
  if (Refuse(auth, mode, res)) return;
  if (mode.mode == Mode::kRedirect) return context.RedirectToCapture(req, res);

  const std::string filter = req.get_param_value("filter");
  std::string fields = req.get_param_value("fields");
  Json boards = Json::array();
  for (Json board : {Board(auth.token, "Product Roadmap", "product-roadmap",
                           "What we build next, and when.", false, "n7qKx2Lp"),
                     Board(auth.token, "Archived Sprint 12", "archived-sprint-12", "", true,
                           "Qa4Zt8Wm")}) {
    const bool closed = board["closed"];
    if ((filter == "open" && closed) || (filter == "closed" && !closed)) continue;
    if (!fields.empty() && fields != "all") {
      Json picked = {{"id", board["id"]}};
      std::istringstream names(fields);
      for (std::string field; std::getline(names, field, ',');) {
        if (board.contains(field)) picked[field] = board[field];
      }
      board = picked;
    }
    boards.push_back(board);
  }
  RateLimitHeaders(res, 97);
  SendJson(res, 200, boards);
}

// GET /1/tokens/{token}?fields=dateExpires: when the token lapses (null: never).
void TokenInfo(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const TrelloAuth auth = ReadAuth(req);
  const std::string token = req.matches[1];
  context.stats().Count(kProvider, "tokens", auth.token);
  const CredentialMode mode = context.grants().Parse(auth.token);
  context.Delay(mode);
  if (Refuse(auth, mode, res)) return;
  if (token != auth.token) {
    SendText(res, 401, "invalid token");
    return;
  }
  Json expires = nullptr;
  if (mode.mode == Mode::kExpiring) expires = IsoTimeIn(std::chrono::hours(72));
  RateLimitHeaders(res, 98);
  SendJson(res, 200, {{"id", MemberId(token + "#token")}, {"dateExpires", expires}});
}

}  // namespace

void AddTrelloRoutes(httplib::Server& server, FakeContext& context) {
  context.Get(server, "/trello/1/members/me",
              [&context](const httplib::Request& req, httplib::Response& res) {
                MembersMe(context, req, res);
              });
  context.Get(server, "/trello/1/members/me/boards",
              [&context](const httplib::Request& req, httplib::Response& res) {
                MemberBoards(context, req, res);
              });
  context.Get(server, R"(/trello/1/tokens/([^/]+))",
              [&context](const httplib::Request& req, httplib::Response& res) {
                TokenInfo(context, req, res);
              });
}

}  // namespace fakes
