// The Trello plugin's own checks, called through its C table: each code alone, all at
// once, and none for a valid config.
#include <set>

#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

#include "sample_config.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("trello validation") {
  PluginLibrary lib("trello");
  FakeHost host(lib.entry());

  SECTION("valid configs give no errors") {
    CHECK(host.Validate(FullTrelloConfig()).empty());
    CHECK(host.Validate(Json{{"api_key", kTrelloKey}, {"token", kLegacyTrelloToken}}).empty());
    for (const char* local : {"http://127.0.0.1:8089/1", "http://localhost:8089/1",
                              "http://[::1]:8089/1", "https://trello.example.com/1"}) {
      INFO(local);
      Json config = TrelloConfig();
      config["base_url"] = local;
      CHECK(host.Validate(config).empty());
    }
  }
  SECTION("a token in the key field") {
    for (const std::string& token : {kTrelloToken, kLegacyTrelloToken}) {
      auto errors = host.Validate(Json{{"api_key", token}, {"token", kTrelloToken}});
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].field == "api_key");
      CHECK(errors[0].code == "token_in_key_field");
    }
  }
  SECTION("the key in the token field") {
    auto errors = host.Validate(Json{{"api_key", kTrelloKey}, {"token", kTrelloKey}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "token");
    CHECK(errors[0].code == "key_in_token_field");
  }
  SECTION("plain http to another machine") {
    for (const char* remote : {"http://api.trello.com/1", "HTTP://127.example.com/1",
                               "http://user@trello.example.com:80/1"}) {
      INFO(remote);
      Json config = TrelloConfig();
      config["base_url"] = remote;
      auto errors = host.Validate(config);
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].field == "base_url");
      CHECK(errors[0].code == "insecure_url");
    }
  }
  SECTION("every problem at once, none repeating a secret") {
    Json config = {{"api_key", kTrelloToken}, {"token", kTrelloKey},
                   {"base_url", "http://trello.example.com/1"}};
    auto errors = host.Validate(config);
    std::set<std::string> codes;
    for (const auto& e : errors) {
      codes.insert(e.field + ":" + e.code);
      CHECK_FALSE(e.message.empty());
      CHECK_THAT(e.message, !Contains(kTrelloToken) && !Contains(kTrelloKey));
    }
    CHECK(codes == std::set<std::string>{"api_key:token_in_key_field", "token:key_in_token_field",
                                         "base_url:insecure_url"});
  }
}

}  // namespace
}  // namespace switchboard::testing
