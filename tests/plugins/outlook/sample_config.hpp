// Credentials and Microsoft answers the Outlook plugin tests use, shaped like real ones
// (bodies from the Microsoft identity platform and Microsoft Graph), and test helpers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <switchboard/provider.hpp>
#include <switchboard/testing.hpp>

#include "../plugin_test_support.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {

inline const std::string kTenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
inline const std::string kMsClientId = "6731de76-14a6-49ae-97bc-6eba6914391e";
inline const std::string kMsClientSecret = "Xy8Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456.-_";
inline const std::string kMsRefreshToken =
    "1.AXkAv4j5cvGGr0GRqy180BHbR3beMWemFK5Jl7xuumkUOR55AAA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P9";
inline const std::string kMsAccessToken = "eyJ0eXAiOiJKV1QiLCJub25jZSI6ImFjY2Vzcy10b2tlbi10ZXN0In0.eyJhdWQiOiJncmFwaCJ9.c2ln";
inline const std::string kMsRotatedToken =
    "1.AXkAv4j5cvGGr0GRqy180BHbR3beMWemFK5Jl7xuumkUOR55AAA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYRotatedZZ9";
inline const std::string kDefaultScopeText = "offline_access User.Read Calendars.Read Mail.Read";
// Every credential of the samples: none may reach a verdict or a log line.
inline const std::vector<std::string> kMsSecrets = {kMsClientSecret, kMsRefreshToken, kMsAccessToken,
                                                     kMsRotatedToken};

inline std::string OutlookPluginPath() {
  return std::string(SWITCHBOARD_PLUGIN_DIR) + "/outlook.so";
}

inline Json OutlookConfig() {
  return Json{{"tenant", kTenantId},
              {"client_id", kMsClientId},
              {"client_secret", kMsClientSecret},
              {"refresh_token", kMsRefreshToken}};
}

inline Json FullOutlookConfig() {
  Json config = OutlookConfig();
  config["scopes"] = Json::array({"offline_access", "User.Read", "Calendars.Read", "Mail.Read"});
  config["authority_host"] = "https://login.microsoftonline.com";
  config["graph_base"] = "https://graph.microsoft.com/v1.0";
  return config;
}

// The real plugin, loaded for one test. The library outlives the host that uses it.
struct OutlookPlugin {
  PluginLibrary library{"outlook"};
  FakeHost host{library.entry()};
};

// Microsoft always sends a new refresh token when offline_access was granted.
inline HttpResponse MsTokenOk(const std::string& refresh_token = kMsRotatedToken,
                            const std::string& scope = "User.Read Calendars.Read Mail.Read") {
  Json body = {{"token_type", "Bearer"}, {"scope", scope},           {"expires_in", 3599},
               {"ext_expires_in", 3599}, {"access_token", kMsAccessToken}};
  if (!refresh_token.empty()) body["refresh_token"] = refresh_token;
  return JsonResponse(200, body.dump());
}

inline const std::string kMeOk = R"({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)/$entity",
  "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "userPrincipalName": "AdeleV@contoso.com"})";

// A token-endpoint error as the identity platform sends it.
inline std::string TokenError(const std::string& error, long code, const std::string& text) {
  return Json{{"error", error},
              {"error_description",
               "AADSTS" + std::to_string(code) + ": " + text +
                   "\r\nTrace ID: 624f7355-f654-4e51-bf41-417b1c4b6200\r\nCorrelation ID: "
                   "06fd79c9-fe43-4f61-bb6f-22df21f2c597\r\nTimestamp: 2019-09-27 04:38:50Z"},
              {"error_codes", Json::array({code})},
              {"timestamp", "2019-09-27 04:38:50Z"},
              {"trace_id", "624f7355-f654-4e51-bf41-417b1c4b6200"},
              {"correlation_id", "06fd79c9-fe43-4f61-bb6f-22df21f2c597"},
              {"error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(code)}}
      .dump();
}

// A Microsoft Graph error envelope.
inline std::string GraphError(const std::string& code, const std::string& message) {
  return Json{{"error",
               {{"code", code},
                {"message", message},
                {"innerError",
                 {{"date", "2023-02-20T05:06:48"},
                  {"request-id", "b04ace1e-13a0-4940-b489-f86dcca10985"},
                  {"client-request-id", "b04ace1e-13a0-4940-b489-f86dcca10985"}}}}}}
      .dump();
}

}  // namespace switchboard::testing
