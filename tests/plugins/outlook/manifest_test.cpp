// The Microsoft Outlook manifest as a form renders it, and the host's real loader and
// schema-level validation applied to the built plugin.
#include <set>

#include <catch2/catch.hpp>

#include "plugins/plugin_loader.hpp"
#include "sample_config.hpp"
#include "plugins/config_validation.hpp"

namespace switchboard::testing {
namespace {

TEST_CASE("outlook manifest names the provider and marks the secrets") {
  OutlookPlugin plugin;
  Json manifest = plugin.host.Manifest();

  CHECK(manifest["id"] == "outlook");
  CHECK(manifest["name"] == "Microsoft Outlook");
  CHECK(manifest["version"] == "1.0.0");
  CHECK_FALSE(manifest["description"].get<std::string>().empty());
  CHECK(manifest["icon_svg"].get<std::string>().rfind("<svg", 0) == 0);

  const Json& schema = manifest["schema"];
  CHECK(schema["required"] == Json::array({"tenant", "client_id", "refresh_token"}));
  CHECK(schema["x-order"] == Json::array({"tenant", "client_id", "client_secret", "refresh_token",
                                          "scopes", "authority_host", "graph_base"}));
  CHECK(schema["properties"]["tenant"]["default"] == "common");
  CHECK(schema["properties"]["scopes"]["default"] ==
        Json::array({"offline_access", "User.Read", "Calendars.Read", "Mail.Read"}));
  CHECK(schema["properties"]["authority_host"]["default"] == "https://login.microsoftonline.com");
  CHECK(schema["properties"]["graph_base"]["default"] == "https://graph.microsoft.com/v1.0");
  CHECK(schema["properties"]["authority_host"]["x-group"] == "advanced");
  CHECK(schema["properties"]["graph_base"]["x-group"] == "advanced");
  bool advanced_collapsed = false;
  for (const auto& group : schema["x-groups"]) {
    if (group["id"] == "advanced") advanced_collapsed = group.value("collapsed", false);
  }
  CHECK(advanced_collapsed);
}

TEST_CASE("outlook schema-level validation through the host") {
  auto loaded = LoadPlugin(OutlookPluginPath());
  REQUIRE(loaded.ok());

  SECTION("a complete config passes schema and plugin checks") {
    auto errors = ValidateConfig(**loaded, FullOutlookConfig());
    REQUIRE(errors.ok());
    CHECK(errors->empty());
  }
  SECTION("a public client without a secret is accepted") {
    Json config = OutlookConfig();
    config.erase("client_secret");
    auto errors = ValidateConfig(**loaded, config);
    REQUIRE(errors.ok());
    CHECK(errors->empty());
  }
  SECTION("a missing refresh token and a malformed client id are reported per field") {
    Json config = {{"tenant", "common"}, {"client_id", "my-app"}};
    auto errors = ValidateConfig(**loaded, config);
    REQUIRE(errors.ok());
    CHECK(FieldsWith(*errors, "missing_required") == std::set<std::string>{"refresh_token"});
    CHECK(FieldsWith(*errors, "pattern_mismatch") == std::set<std::string>{"client_id"});
  }
}

}  // namespace
}  // namespace switchboard::testing
