// The Outlook plugin's own checks, beyond the field schema.
#include <set>

#include <catch2/catch.hpp>

#include "sample_config.hpp"

namespace switchboard::testing {
namespace {

std::set<std::string> Codes(const std::vector<FieldError>& errors, const std::string& field) {
  std::set<std::string> codes;
  for (const auto& e : errors) {
    if (e.field == field) codes.insert(e.code);
  }
  return codes;
}

Json WithScopes(std::vector<std::string> scopes) {
  Json config = OutlookConfig();
  config["scopes"] = scopes;
  return config;
}

TEST_CASE("outlook checks a 60,000-character tenant in one pass, not by a recursive regex") {
  OutlookPlugin plugin;
  std::string labels;
  for (int i = 0; i < 30000; ++i) labels += "a.";
  Json config = OutlookConfig();
  config["tenant"] = labels + "com";
  CHECK(Codes(plugin.host.Validate(config), "tenant").empty());  // a long but well-formed domain
  config["tenant"] = labels + "c0m";
  CHECK(Codes(plugin.host.Validate(config), "tenant") == std::set<std::string>{"bad_tenant"});
  config["tenant"] = std::string(60000, '7');
  CHECK(Codes(plugin.host.Validate(config), "tenant") == std::set<std::string>{"bad_tenant"});
}

TEST_CASE("outlook accepts valid configs") {
  OutlookPlugin plugin;
  CHECK(plugin.host.Validate(OutlookConfig()).empty());
  CHECK(plugin.host.Validate(FullOutlookConfig()).empty());
  for (const char* tenant : {"common", "organizations", "consumers", "contoso.onmicrosoft.com",
                             "72F988BF-86F1-41AF-91AB-2D7CD011DB47"}) {
    INFO(tenant);
    Json config = OutlookConfig();
    config["tenant"] = tenant;
    CHECK(plugin.host.Validate(config).empty());
  }
  CHECK(plugin.host.Validate(WithScopes({"offline_access", "openid",
                                         "https://graph.microsoft.com/User.Read",
                                         "https://graph.microsoft.com/Mail.ReadBasic"}))
            .empty());
  Json us_gov = OutlookConfig();
  us_gov["authority_host"] = "https://login.microsoftonline.us";
  us_gov["graph_base"] = "https://dod-graph.microsoft.us/v1.0";
  CHECK(plugin.host.Validate(us_gov).empty());
  Json local = OutlookConfig();
  local["authority_host"] = "http://127.0.0.1:8081";
  local["graph_base"] = "http://localhost:8082/v1.0";
  CHECK(plugin.host.Validate(local).empty());
}

TEST_CASE("outlook checks the tenant") {
  OutlookPlugin plugin;
  for (const char* tenant : {"contoso", "my-tenant", "72f988bf-86f1-41af-91ab"}) {
    INFO(tenant);
    Json config = OutlookConfig();
    config["tenant"] = tenant;
    CHECK(Codes(plugin.host.Validate(config), "tenant") == std::set<std::string>{"bad_tenant"});
  }
}

// Pins the rules the tenant regexes had before they became scans (issue 9 fuzzing).
TEST_CASE("outlook checks tenant spellings exactly") {
  OutlookPlugin plugin;
  for (const char* tenant : {"72F988BF-86F1-41AF-91AB-2D7CD011DB47", "a.co", "x-1.y-2.example",
                             "contoso.onmicrosoft.com"}) {
    INFO(tenant);
    Json config = OutlookConfig();
    config["tenant"] = tenant;
    CHECK(Codes(plugin.host.Validate(config), "tenant").empty());
  }
  for (const char* tenant : {"72f988bf-86f1-41af-91ab-2d7cd011db4", "72f988bf-86f1-41af-91ab-2d7cd011db4g",
                             "-a.com", "a-.com", "a..com", ".a.com", "a.com.", "a.c0m", "a.c",
                             "a.bcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmn"}) {
    INFO(tenant);
    Json config = OutlookConfig();
    config["tenant"] = tenant;
    CHECK(Codes(plugin.host.Validate(config), "tenant") == std::set<std::string>{"bad_tenant"});
  }
  Json config = OutlookConfig();
  config["tenant"] = std::string(63, 'a') + ".com";
  CHECK(Codes(plugin.host.Validate(config), "tenant").empty());
  config["tenant"] = std::string(64, 'a') + ".com";
  CHECK(Codes(plugin.host.Validate(config), "tenant") == std::set<std::string>{"bad_tenant"});
}

TEST_CASE("outlook spots a secret ID pasted as the secret") {
  OutlookPlugin plugin;
  Json config = OutlookConfig();
  config["client_secret"] = "0b2f3c1e-8d4a-4f6b-9c7e-1a2b3c4d5e6f";
  CHECK(Codes(plugin.host.Validate(config), "client_secret") ==
        std::set<std::string>{"secret_id_given"});
}

TEST_CASE("outlook checks the scopes") {
  OutlookPlugin plugin;
  CHECK(Codes(plugin.host.Validate(WithScopes({"User.Read", "Mail.Read"})), "scopes") ==
        std::set<std::string>{"missing_offline_access"});
  CHECK(Codes(plugin.host.Validate(WithScopes({"offline_access", "Mail.Read"})), "scopes") ==
        std::set<std::string>{"missing_user_read"});
  CHECK(Codes(plugin.host.Validate(WithScopes({"offline_access", "User.Read", "Mail.Send"})),
              "scopes") == std::set<std::string>{"missing_outlook_scope"});
  CHECK(Codes(plugin.host.Validate(WithScopes({"offline_access", "User.Read", "Mail.Read",
                                               "https://outlook.office.com/IMAP.AccessAsUser.All"})),
              "scopes") == std::set<std::string>{"mixed_resources"});
}

TEST_CASE("outlook checks the sign-in and Graph hosts") {
  OutlookPlugin plugin;
  SECTION("no TLS to a remote host") {
    Json config = OutlookConfig();
    config["authority_host"] = "http://login.microsoftonline.com";
    config["graph_base"] = "http://graph.microsoft.com/v1.0";
    auto errors = plugin.host.Validate(config);
    CHECK(Codes(errors, "authority_host") == std::set<std::string>{"insecure_url"});
    CHECK(Codes(errors, "graph_base") == std::set<std::string>{"insecure_url"});
  }
  SECTION("hosts outside Microsoft's clouds") {
    Json config = OutlookConfig();
    config["authority_host"] = "https://login.example.com";
    config["graph_base"] = "https://graph.example.com/v1.0";
    auto errors = plugin.host.Validate(config);
    CHECK(Codes(errors, "authority_host") == std::set<std::string>{"unknown_authority_host"});
    CHECK(Codes(errors, "graph_base") == std::set<std::string>{"unknown_graph_host"});
  }
  SECTION("sign-in and Graph of different clouds") {
    Json config = OutlookConfig();
    config["authority_host"] = "https://login.partner.microsoftonline.cn";
    config["graph_base"] = "https://graph.microsoft.com/v1.0";
    CHECK(Codes(plugin.host.Validate(config), "graph_base") ==
          std::set<std::string>{"cloud_mismatch"});
  }
}

TEST_CASE("outlook reports every problem at once") {
  OutlookPlugin plugin;
  Json config = {{"tenant", "not a tenant"},
                 {"client_id", kMsClientId},
                 {"client_secret", kMsClientId},
                 {"refresh_token", kMsRefreshToken},
                 {"scopes", Json::array({"Mail.Send"})},
                 {"authority_host", "https://login.example.com"}};
  auto errors = plugin.host.Validate(config);
  CHECK(errors.size() == 6);
  for (const auto& e : errors) {
    INFO(e.field << " " << e.code);
    CHECK_FALSE(e.message.empty());
    CHECK(e.message.find(kMsRefreshToken) == std::string::npos);
  }
}

}  // namespace
}  // namespace switchboard::testing
