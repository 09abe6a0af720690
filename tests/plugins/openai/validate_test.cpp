// The OpenAI plugin's own checks, called through its C table.
#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

#include "sample_config.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

TEST_CASE("openai validation") {
  PluginLibrary lib("openai");
  FakeHost host(lib.entry());

  SECTION("a complete valid config gives no errors") {
    CHECK(host.Validate(FullOpenAiConfig()).empty());
    CHECK(host.Validate(OpenAiConfig()).empty());
  }
  SECTION("a key without sk- for api.openai.com is bad_prefix") {
    auto errors = host.Validate(Json{{"api_key", "AIzaSyA-not-openai"}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "api_key");
    CHECK(errors[0].code == "bad_prefix");
    CHECK_FALSE(errors[0].message.empty());
  }
  SECTION("a compatible server may issue keys of any shape") {
    CHECK(host.Validate(Json{{"api_key", "local-key-123"}, {"base_url", "http://127.0.0.1:8000/v1"}})
              .empty());
  }
  SECTION("an Administration API key is admin_key") {
    auto errors = host.Validate(Json{{"api_key", "sk-admin-AbC123dEf456GhI789"}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "api_key");
    CHECK(errors[0].code == "admin_key");
  }
}

}  // namespace
}  // namespace switchboard::testing
