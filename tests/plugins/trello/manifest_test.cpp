// The Trello manifest as a form renders it, and the host's real loader and schema-level
// validation applied to the built plugin.
#include <set>

#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

#include "plugins/plugin_loader.hpp"
#include "sample_config.hpp"
#include "plugins/config_validation.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("trello manifest names the provider and marks key and token secret") {
  PluginLibrary lib("trello");
  FakeHost host(lib.entry());
  Json manifest = host.Manifest();

  CHECK(manifest["id"] == "trello");
  CHECK(manifest["name"] == "Trello");
  CHECK(manifest["version"] == "1.0.0");
  CHECK_FALSE(manifest["description"].get<std::string>().empty());
  const std::string icon = manifest["icon_svg"];
  CHECK(icon.rfind("<svg", 0) == 0);
  CHECK_THAT(icon, Contains("#0079bf"));

  const Json& schema = manifest["schema"];
  CHECK(schema["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(schema["additionalProperties"] == false);
  CHECK(schema["required"] == Json::array({"api_key", "token"}));
  CHECK(schema["x-order"] == Json::array({"api_key", "token", "base_url"}));
  for (const char* secret : {"api_key", "token"}) {
    INFO(secret);
    const Json& field = schema["properties"][secret];
    CHECK(field["x-group"] == "credentials");
    CHECK_FALSE(field["description"].get<std::string>().empty());
    CHECK_FALSE(field["x-placeholder"].get<std::string>().empty());
  }
  const Json& base_url = schema["properties"]["base_url"];
  CHECK(base_url["default"] == "https://api.trello.com/1");
  CHECK(base_url["x-group"] == "advanced");

  bool advanced_collapsed = false;
  std::set<std::string> groups;
  for (const Json& group : schema["x-groups"]) {
    groups.insert(group["id"].get<std::string>());
    if (group["id"] == "advanced") advanced_collapsed = group.value("collapsed", false);
  }
  CHECK(groups == std::set<std::string>{"credentials", "advanced"});
  CHECK(advanced_collapsed);
}

TEST_CASE("trello schema-level validation codes through the host") {
  auto loaded = LoadPlugin(TrelloPluginPath());
  REQUIRE(loaded.ok());
  const LoadedProvider& provider = **loaded;
  auto validate = [&](const Json& config) {
    auto errors = ValidateConfig(provider, config);
    REQUIRE(errors.ok());
    return *errors;
  };

  SECTION("both token shapes and the default base URL pass") {
    CHECK(validate(FullTrelloConfig()).empty());
    CHECK(validate(TrelloConfig()).empty());
    CHECK(validate(Json{{"api_key", kTrelloKey}, {"token", kLegacyTrelloToken}}).empty());
    // Tokens have grown before; a longer one must not be refused by shape.
    CHECK(validate(Json{{"api_key", kTrelloKey}, {"token", kTrelloToken + "0a1b2c3d"}}).empty());
  }
  SECTION("missing key and token") {
    CHECK(FieldsWith(validate(Json::object()), "missing_required") ==
          std::set<std::string>{"api_key", "token"});
  }
  SECTION("key and token in the wrong shape") {
    Json config = {{"api_key", kTrelloKey.substr(0, 31) + "g"}, {"token", kTrelloToken.substr(0, 40)}};
    CHECK(FieldsWith(validate(config), "pattern_mismatch") ==
          std::set<std::string>{"api_key", "token"});
  }
  SECTION("a token pasted into the key field is a shape error of the key") {
    auto errors = validate(Json{{"api_key", kTrelloToken}, {"token", kTrelloToken}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "api_key");
    CHECK(errors[0].code == "pattern_mismatch");
  }
  SECTION("a base URL with a query string") {
    Json config = TrelloConfig();
    config["base_url"] = "https://api.trello.com/1?key=x";
    CHECK(FieldsWith(validate(config), "pattern_mismatch") == std::set<std::string>{"base_url"});
  }
  SECTION("a field the provider does not declare") {
    Json config = TrelloConfig();
    config["secret"] = "oauth-secret";
    CHECK(FieldsWith(validate(config), "unknown_field") == std::set<std::string>{"secret"});
  }
  SECTION("a number where a string belongs") {
    auto errors = validate(Json{{"api_key", kTrelloKey}, {"token", 12345}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "token");
    CHECK(errors[0].code == "wrong_type");
  }
  SECTION("the plugin's own code comes through after the schema") {
    Json config = TrelloConfig();
    config["base_url"] = "http://trello.example.com/1";
    auto errors = validate(config);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "base_url");
    CHECK(errors[0].code == "insecure_url");
  }
  SECTION("messages never repeat a secret") {
    Json config = {{"api_key", kTrelloToken}, {"token", kTrelloKey}};
    for (const auto& e : validate(config)) {
      CHECK_THAT(e.message, !Contains(kTrelloToken));
      CHECK_THAT(e.message, !Contains(kTrelloKey));
    }
  }
}

}  // namespace
}  // namespace switchboard::testing
