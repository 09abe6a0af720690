// The Google Calendar manifest as a form renders it, and the host's real loader and
// schema-level validation applied to the built plugin.
#include <set>

#include <catch2/catch.hpp>

#include "plugins/plugin_loader.hpp"
#include "sample_config.hpp"
#include "plugins/config_validation.hpp"

namespace switchboard::testing {
namespace {

TEST_CASE("google_calendar manifest names the provider and marks the secrets") {
  GooglePlugin plugin;
  Json manifest = plugin.host.Manifest();

  CHECK(manifest["id"] == "google_calendar");
  CHECK(manifest["name"] == "Google Calendar");
  CHECK(manifest["version"] == "1.0.0");
  CHECK_FALSE(manifest["description"].get<std::string>().empty());
  CHECK(manifest["icon_svg"].get<std::string>().rfind("<svg", 0) == 0);

  const Json& schema = manifest["schema"];
  CHECK(schema["required"] == Json::array({"client_id", "client_secret", "refresh_token"}));
  CHECK(schema["x-order"] == Json::array({"client_id", "client_secret", "refresh_token", "scopes",
                                          "token_uri", "api_base"}));
  CHECK(schema["properties"]["scopes"]["type"] == "array");
  CHECK(schema["properties"]["scopes"]["default"] == Json::array({kCalendarReadonly}));
  CHECK(schema["properties"]["token_uri"]["default"] == "https://oauth2.googleapis.com/token");
  CHECK(schema["properties"]["api_base"]["default"] == "https://www.googleapis.com/calendar/v3");
  CHECK(schema["properties"]["token_uri"]["x-group"] == "advanced");
  CHECK(schema["properties"]["api_base"]["x-group"] == "advanced");
  CHECK(schema["properties"]["client_id"]["x-group"] == "credentials");

  bool advanced_collapsed = false;
  for (const auto& group : schema["x-groups"]) {
    if (group["id"] == "advanced") advanced_collapsed = group.value("collapsed", false);
  }
  CHECK(advanced_collapsed);
}

TEST_CASE("google_calendar schema-level validation through the host") {
  auto loaded = LoadPlugin(GooglePluginPath());
  REQUIRE(loaded.ok());

  SECTION("a complete config passes schema and plugin checks") {
    auto errors = ValidateConfig(**loaded, FullGoogleConfig());
    REQUIRE(errors.ok());
    CHECK(errors->empty());
  }
  SECTION("a legacy secret without the GOCSPX- prefix is accepted") {
    Json config = GoogleConfig();
    config["client_secret"] = "aBcDeFgHiJkLmNoPqRsTuVwX";
    auto errors = ValidateConfig(**loaded, config);
    REQUIRE(errors.ok());
    CHECK(errors->empty());
  }
  SECTION("missing secrets and a malformed client id are reported per field") {
    Json config = {{"client_id", "my-client"}};
    auto errors = ValidateConfig(**loaded, config);
    REQUIRE(errors.ok());
    CHECK(FieldsWith(*errors, "missing_required") ==
          std::set<std::string>{"client_secret", "refresh_token"});
    CHECK(FieldsWith(*errors, "pattern_mismatch") == std::set<std::string>{"client_id"});
  }
  SECTION("unknown fields are refused") {
    Json config = GoogleConfig();
    config["access_token"] = kGoogleAccessToken;
    auto errors = ValidateConfig(**loaded, config);
    REQUIRE(errors.ok());
    CHECK(FieldsWith(*errors, "unknown_field") == std::set<std::string>{"access_token"});
  }
}

}  // namespace
}  // namespace switchboard::testing
