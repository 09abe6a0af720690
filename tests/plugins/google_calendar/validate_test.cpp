// The Google Calendar plugin's own checks, beyond the field schema.
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

TEST_CASE("google_calendar accepts a valid config") {
  GooglePlugin plugin;
  CHECK(plugin.host.Validate(GoogleConfig()).empty());
  CHECK(plugin.host.Validate(FullGoogleConfig()).empty());
  Json broader = FullGoogleConfig();
  broader["scopes"] = Json::array({"openid", "email", "https://www.googleapis.com/auth/calendar"});
  CHECK(plugin.host.Validate(broader).empty());
  Json local = FullGoogleConfig();
  local["token_uri"] = "http://127.0.0.1:8080/token";
  local["api_base"] = "http://localhost:8080/calendar/v3";
  CHECK(plugin.host.Validate(local).empty());
}

TEST_CASE("google_calendar requires a scope that can list calendars") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["scopes"] = Json::array({"https://www.googleapis.com/auth/calendar.events"});
  auto errors = plugin.host.Validate(config);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "scopes");
  CHECK(errors[0].code == "missing_calendar_scope");
}

TEST_CASE("google_calendar wants full scope URLs") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["scopes"] = Json::array({"calendar.readonly"});
  CHECK(Codes(plugin.host.Validate(config), "scopes") ==
        std::set<std::string>{"not_a_full_scope", "missing_calendar_scope"});
}

TEST_CASE("google_calendar spots an access token in the refresh token field") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["refresh_token"] = kGoogleAccessToken;
  CHECK(Codes(plugin.host.Validate(config), "refresh_token") ==
        std::set<std::string>{"access_token_given"});
}

TEST_CASE("google_calendar spots the client id in the secret field") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["client_secret"] = kGoogleClientId;
  CHECK(Codes(plugin.host.Validate(config), "client_secret") ==
        std::set<std::string>{"looks_like_client_id"});
}

TEST_CASE("google_calendar refuses endpoints without TLS except on this machine") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["token_uri"] = "http://oauth2.googleapis.com/token";
  config["api_base"] = "http://10.0.0.5/calendar/v3";
  auto errors = plugin.host.Validate(config);
  CHECK(Codes(errors, "token_uri") == std::set<std::string>{"insecure_url"});
  CHECK(Codes(errors, "api_base") == std::set<std::string>{"insecure_url"});
}

// A name can start with "127." and resolve anywhere (127.0.0.1.nip.io is a public DNS
// zone's); only a loopback address literal is this machine.
TEST_CASE("google_calendar refuses plain http to a name that merely starts with 127.") {
  GooglePlugin plugin;
  Json config = GoogleConfig();
  config["token_uri"] = "http://127.0.0.1.nip.io/token";
  config["api_base"] = "http://127.attacker.example/calendar/v3";
  auto errors = plugin.host.Validate(config);
  CHECK(Codes(errors, "token_uri") == std::set<std::string>{"insecure_url"});
  CHECK(Codes(errors, "api_base") == std::set<std::string>{"insecure_url"});
}

TEST_CASE("google_calendar reports every problem at once") {
  GooglePlugin plugin;
  Json config = {{"client_id", kGoogleClientId},
                 {"client_secret", kGoogleClientId},
                 {"refresh_token", kGoogleAccessToken},
                 {"scopes", Json::array({"calendar.events"})},
                 {"token_uri", "http://example.com/token"}};
  auto errors = plugin.host.Validate(config);
  CHECK(errors.size() == 5);
  for (const auto& e : errors) {
    INFO(e.field << " " << e.code);
    CHECK_FALSE(e.message.empty());
    CHECK(e.message.find(kGoogleAccessToken) == std::string::npos);
  }
}

}  // namespace
}  // namespace switchboard::testing
