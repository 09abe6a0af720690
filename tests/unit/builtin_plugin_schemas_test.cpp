// The providers Switchboard ships load through the real loader and their field schemas
// pass the meta-schema and the semantic rules. A provider that is not built fails here.
#include <catch2/catch.hpp>

#include "plugins/plugin_loader.hpp"
#include "schema/field_schema_check.hpp"

namespace switchboard {
namespace {

TEST_CASE("the built-in providers load and their field schemas conform") {
  auto name = GENERATE(as<std::string>{}, "openai", "google_calendar", "trello", "outlook");
  INFO(name);
  const auto file = std::filesystem::path(SWITCHBOARD_PLUGIN_DIR) / (name + ".so");
  REQUIRE(std::filesystem::exists(file));
  auto loaded = LoadPlugin(file);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  const LoadedProvider& provider = **loaded;
  CHECK(provider.id() == name);

  auto problems = CheckFieldSchema(provider.field_schema());
  for (const auto& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());

  // Every secret is a password field, so forms mask it and the host seals it.
  for (const auto& field : provider.secret_fields()) {
    INFO(field);
    CHECK(provider.field_schema()["properties"][field].value("format", "") == "password");
  }
}

}  // namespace
}  // namespace switchboard
