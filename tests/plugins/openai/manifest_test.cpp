// The OpenAI manifest as a form renders it, and the host's real loader and schema-level
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

TEST_CASE("openai manifest names the provider and marks only the key secret") {
  PluginLibrary lib("openai");
  FakeHost host(lib.entry());
  Json manifest = host.Manifest();

  CHECK(manifest["id"] == "openai");
  CHECK(manifest["name"] == "OpenAI");
  CHECK(manifest["version"] == "1.0.0");
  CHECK_FALSE(manifest["description"].get<std::string>().empty());
  CHECK(manifest["icon_svg"].get<std::string>().rfind("<svg", 0) == 0);

  const Json& schema = manifest["schema"];
  CHECK(schema["required"] == Json::array({"api_key"}));
  CHECK(schema["x-order"] == Json::array({"api_key", "organization", "project", "base_url"}));
  CHECK(schema["properties"]["base_url"]["default"] == "https://api.openai.com/v1");
}

TEST_CASE("openai schema-level validation codes through the host") {
  auto loaded = LoadPlugin(OpenAiPluginPath());
  REQUIRE(loaded.ok());
  const LoadedProvider& provider = **loaded;

  SECTION("a complete valid config has no problems") {
    auto errors = ValidateConfig(provider, FullOpenAiConfig());
    REQUIRE(errors.ok());
    CHECK(errors->empty());
  }
  SECTION("missing key") {
    auto errors = ValidateConfig(provider, Json::object());
    REQUIRE(errors.ok());
    CHECK(FieldsWith(*errors, "missing_required") == std::set<std::string>{"api_key"});
  }
  SECTION("organization id in the wrong shape") {
    Json config = OpenAiConfig();
    config["organization"] = "acme corp";
    auto errors = ValidateConfig(provider, config);
    REQUIRE(errors.ok());
    CHECK(FieldsWith(*errors, "pattern_mismatch") == std::set<std::string>{"organization"});
  }
  SECTION("a field the provider does not declare") {
    Json config = OpenAiConfig();
    config["temperature"] = "0.2";
    auto errors = ValidateConfig(provider, config);
    REQUIRE(errors.ok());
    CHECK(FieldsWith(*errors, "unknown_field") == std::set<std::string>{"temperature"});
  }
  SECTION("a number where a string belongs") {
    auto errors = ValidateConfig(provider, Json{{"api_key", 42}});
    REQUIRE(errors.ok());
    REQUIRE(errors->size() == 1);
    CHECK((*errors)[0].field == "api_key");
    CHECK((*errors)[0].code == "wrong_type");
  }
  SECTION("the plugin's own code comes through after the schema") {
    auto errors = ValidateConfig(provider, Json{{"api_key", "not-an-openai-key"}});
    REQUIRE(errors.ok());
    REQUIRE(errors->size() == 1);
    CHECK((*errors)[0].field == "api_key");
    CHECK((*errors)[0].code == "bad_prefix");
  }
}

}  // namespace
}  // namespace switchboard::testing
