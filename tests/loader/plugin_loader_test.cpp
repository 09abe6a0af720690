// LoadPlugin against one fixture at a time: each broken library is refused with exactly
// its reason, and a message that names the file and what is wrong.
#include "plugins/plugin_loader.hpp"

#include <catch2/catch.hpp>

#include "fixture_paths.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using testing::BrokenPlugin;

// Loads a broken fixture, requires a refusal and returns its Status.
Status RefusalOf(const std::string& fixture) {
  const auto file = BrokenPlugin(fixture);
  REQUIRE(std::filesystem::exists(file));
  auto loaded = LoadPlugin(file);
  REQUIRE_FALSE(loaded.ok());
  // Every message starts with the file, so a log line says which library it was.
  CHECK_THAT(loaded.status().message(), Contains(file.string()));
  return loaded.status();
}

TEST_CASE("a missing file cannot be opened") {
  auto loaded = LoadPlugin(BrokenPlugin("does_not_exist"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().Is(Code::kOpenFailed));
  CHECK_THAT(loaded.status().message(), Contains("does_not_exist.so"));
}

TEST_CASE("a text file named .so is open_failed") {
  Status status = RefusalOf("garbage");
  CHECK(status.Is(Code::kOpenFailed));
  CHECK_THAT(status.message(), Contains("cannot open as a shared library"));
  CHECK_THAT(status.message(), Contains("ELF"));  // the loader's own reason, not an errno
}

TEST_CASE("a library without the entry point is not_a_plugin") {
  Status status = RefusalOf("no_entry");
  CHECK(status.Is(Code::kNotAPlugin));
  CHECK_THAT(status.message(), Contains(SB_PROVIDER_ENTRY_SYMBOL));
}

TEST_CASE("a table of ABI 2.0 is abi_incompatible and both versions are named") {
  Status status = RefusalOf("abi_2_0");
  CHECK(status.Is(Code::kAbiIncompatible));
  CHECK_THAT(status.message(), Contains("plugin ABI 2.0"));
  CHECK_THAT(status.message(), Contains("host ABI " + std::to_string(SB_ABI_VERSION_MAJOR) + "." +
                                        std::to_string(SB_ABI_VERSION_MINOR)));
}

TEST_CASE("a table of a newer minor ABI 1.99 is abi_incompatible") {
  Status status = RefusalOf("abi_1_99");
  CHECK(status.Is(Code::kAbiIncompatible));
  CHECK_THAT(status.message(), Contains("plugin ABI 1.99"));
  CHECK_THAT(status.message(), Contains("host ABI " + std::to_string(SB_ABI_VERSION_MAJOR) + "." +
                                        std::to_string(SB_ABI_VERSION_MINOR)));
}

TEST_CASE("an entry point returning NULL is registration_failed with its reason") {
  Status status = RefusalOf("entry_returns_null");
  CHECK(status.Is(Code::kRegistrationFailed));
  CHECK_THAT(status.message(), Contains("fixture refuses: the license file is missing"));
}

TEST_CASE("an entry point that throws is registration_failed with the exception text") {
  Status status = RefusalOf("entry_throws");
  CHECK(status.Is(Code::kRegistrationFailed));
  CHECK_THAT(status.message(), Contains("fixture entry point threw on purpose"));
}

TEST_CASE("a provider constructor that throws is registration_failed with its text") {
  Status status = RefusalOf("constructor_throws");
  CHECK(status.Is(Code::kRegistrationFailed));
  CHECK_THAT(status.message(), Contains("fixture constructor cannot find its settings"));
}

TEST_CASE("a table smaller than ABI 1.0 requires is registration_failed") {
  Status status = RefusalOf("table_too_small");
  CHECK(status.Is(Code::kRegistrationFailed));
  CHECK_THAT(status.message(), Contains("provider table is 16 bytes"));
}

TEST_CASE("a table with a null function is registration_failed") {
  Status status = RefusalOf("null_function");
  CHECK(status.Is(Code::kRegistrationFailed));
  CHECK_THAT(status.message(), Contains("null function"));
}

TEST_CASE("a Describe that throws is invalid_manifest with the exception text") {
  Status status = RefusalOf("describe_throws");
  CHECK(status.Is(Code::kInvalidManifest));
  CHECK_THAT(status.message(), Contains("fixture describe lost its manifest"));
}

TEST_CASE("bad manifests are invalid_manifest, naming the bad part") {
  struct Case {
    const char* fixture;
    const char* expected;
  };
  const Case cases[] = {
      {"bad_id", "id 'Fixture_Upper'"},
      {"bad_version", "version 'version-one' is not a semantic version"},
      {"no_icon", "icon_svg is not an <svg> element"},
  };
  for (const auto& c : cases) {
    INFO(c.fixture);
    Status status = RefusalOf(c.fixture);
    CHECK(status.Is(Code::kInvalidManifest));
    CHECK_THAT(status.message(), Contains(c.expected));
  }
}

TEST_CASE("bad field schemas are schema_invalid, naming the path at fault") {
  struct Case {
    const char* fixture;
    const char* expected;
  };
  const Case cases[] = {
      {"secret_without_password", "/properties/token: Missing required property 'format'"},
      {"order_missing_field", "/x-order: field 'region' is missing"},
      {"required_unknown_field", "/required: names unknown field 'tenant'"},
      {"default_violates_pattern",
       "/properties/region/default: does not satisfy the field's own schema"},
      {"unknown_keyword",
       "/properties/region: Object contains a property that could not be "
       "validated using 'properties' or 'additionalProperties' constraints: 'x-colour'"},
      {"open_object", "/additionalProperties: Failed to match expected value set by 'const'"},
  };
  for (const auto& c : cases) {
    INFO(c.fixture);
    Status status = RefusalOf(c.fixture);
    CHECK(status.Is(Code::kSchemaInvalid));
    CHECK_THAT(status.message(), Contains(c.expected));
  }
}

TEST_CASE("the fixture source without a defect loads, so each defect alone is refused") {
  auto loaded = LoadPlugin(testing::GoodFixture());
  REQUIRE(loaded.ok());
  CHECK((*loaded)->id() == "fixture_ok");
  CHECK((*loaded)->secret_fields() == std::vector<std::string>{"token"});
}

TEST_CASE("a plugin reusing the id openai loads alone: the clash is the registry's call") {
  auto loaded = LoadPlugin(BrokenPlugin("openai_duplicate"));
  REQUIRE(loaded.ok());
  CHECK((*loaded)->id() == "openai");
}

}  // namespace
}  // namespace switchboard
