// switchboard plugins list | show | check, against the built plugins and the fixtures.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixture_paths.hpp"
#include "run_process.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;

const std::string kOpenAiFile = BuiltPlugin("openai").string();

json ParseJson(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  INFO(text);
  REQUIRE(parsed.is_object());
  return parsed;
}

const json* FindProvider(const json& list, const std::string& id) {
  for (const auto& p : list["providers"]) {
    if (p.value("id", "") == id) return &p;
  }
  return nullptr;
}

TEST_CASE("plugins list shows openai with its version and file") {
  auto run = RunSwitchboard({"plugins", "list"});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Contains("ID"));
  std::istringstream lines(run.out);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.rfind("openai ", 0) != 0) continue;
    found = true;
    CHECK_THAT(line, Contains("OpenAI"));
    CHECK_THAT(line, Contains("1.0.0"));
    CHECK_THAT(line, Contains(kOpenAiFile));
  }
  CHECK(found);
}

TEST_CASE("plugins list --json lists providers and refusals") {
  auto run = RunSwitchboard({"plugins", "list", "--json"});
  REQUIRE(run.exit_code == 0);
  json list = ParseJson(run.out);
  REQUIRE(list["refused"].is_array());
  const json* openai = FindProvider(list, "openai");
  REQUIRE(openai != nullptr);
  CHECK((*openai)["name"] == "OpenAI");
  CHECK((*openai)["version"] == "1.0.0");
  CHECK((*openai)["abi"] == "1.1");  // built with today's SDK: ABI 1.1
  CHECK((*openai)["file"] == kOpenAiFile);
}

TEST_CASE("plugins show openai prints the manifest with api_key writeOnly") {
  auto run = RunSwitchboard({"plugins", "show", "openai"});
  REQUIRE(run.exit_code == 0);
  json manifest = ParseJson(run.out);
  CHECK(manifest["id"] == "openai");
  CHECK(manifest["file"] == kOpenAiFile);
  const json& api_key = manifest["schema"]["properties"]["api_key"];
  CHECK(api_key["writeOnly"] == true);
  CHECK(api_key["format"] == "password");
  CHECK_THAT(manifest["icon_svg"].get<std::string>(), Contains("<svg"));
}

TEST_CASE("plugins show of an unknown id exits 1 and lists what is loaded") {
  auto run = RunSwitchboard({"plugins", "show", "nope"});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("unknown provider 'nope'"));
  CHECK_THAT(run.err, Contains("openai"));
  CHECK(run.out.empty());
}

TEST_CASE("plugins check of a good plugin exits 0 and prints its id and fields") {
  auto run = RunSwitchboard({"plugins", "check", kOpenAiFile});
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Contains("ok: " + kOpenAiFile));
  CHECK_THAT(run.out, Contains("id:      openai"));
  CHECK_THAT(run.out, Contains("api_key (string, secret, required, group credentials): API key"));
  CHECK_THAT(run.out, Contains("base_url (string, group advanced): Base URL"));
  CHECK_THAT(run.out, !Contains("warning"));
}

TEST_CASE("plugins check --json of a good plugin carries its schema") {
  auto run = RunSwitchboard({"plugins", "check", "--json", kOpenAiFile});
  REQUIRE(run.exit_code == 0);
  json out = ParseJson(run.out);
  CHECK(out["ok"] == true);
  CHECK(out["id"] == "openai");
  CHECK(out["schema"]["properties"]["api_key"]["writeOnly"] == true);
}

TEST_CASE("plugins check calls the plugin in a runner: validate twice and a probe step, each ok") {
  auto run = RunSwitchboard({"plugins", "check", "--json", kOpenAiFile});
  REQUIRE(run.exit_code == 0);
  json out = ParseJson(run.out);
  REQUIRE(out["calls"].size() == 4);
  for (const auto& call : out["calls"]) {
    INFO(call.dump());
    CHECK(call["ok"] == true);
  }
  CHECK(out["calls"][0]["call"] == "validate {}");
  CHECK(out["calls"][1]["call"] == "validate sample");
  CHECK_THAT(out["calls"][2]["detail"].get<std::string>(), Contains("asks for GET https://api.openai.com/v1/models"));
  // The canned reply (200, "{}") is judged without any request being made.
  CHECK_THAT(out["calls"][3]["detail"].get<std::string>(), Contains("verdict"));
}

TEST_CASE("plugins check of a plugin that overruns its validate deadline exits 1 and says so") {
  const std::string slow = std::string(SWITCHBOARD_SLOW_FIXTURE_DIR) + "/slow_fixture.so";
  auto run = RunSwitchboard({"plugins", "check", slow, "--plugin-timeout-validate", "200"});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Contains("refused [plugin_misbehaves] " + slow));
  CHECK_THAT(run.out, Contains("FAILED validate {}"));
  CHECK_THAT(run.out, Contains("[plugin_unavailable]"));
}

TEST_CASE("plugins check warns when the id is already installed from another file") {
  auto run = RunSwitchboard({"plugins", "check", BrokenPlugin("openai_duplicate").string()});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Contains("warning: provider id 'openai' is also loaded from " + kOpenAiFile));
}

TEST_CASE("plugins check of each broken fixture exits 1 with its reason code") {
  const std::pair<const char*, const char*> cases[] = {
      {"garbage", "open_failed"},
      {"no_entry", "not_a_plugin"},
      {"abi_2_0", "abi_incompatible"},
      {"abi_1_99", "abi_incompatible"},
      {"entry_returns_null", "registration_failed"},
      {"entry_throws", "registration_failed"},
      {"constructor_throws", "registration_failed"},
      {"table_too_small", "registration_failed"},
      {"null_function", "registration_failed"},
      {"describe_throws", "invalid_manifest"},
      {"bad_id", "invalid_manifest"},
      {"bad_version", "invalid_manifest"},
      {"no_icon", "invalid_manifest"},
      {"secret_without_password", "schema_invalid"},
      {"order_missing_field", "schema_invalid"},
      {"required_unknown_field", "schema_invalid"},
      {"default_violates_pattern", "schema_invalid"},
      {"unknown_keyword", "schema_invalid"},
      {"open_object", "schema_invalid"},
  };
  for (const auto& [fixture, reason] : cases) {
    INFO(fixture);
    const std::string file = BrokenPlugin(fixture).string();
    auto run = RunSwitchboard({"plugins", "check", file});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Contains(std::string("refused [") + reason + "] " + file + ": "));
    CHECK(run.out.empty());
  }
}

TEST_CASE("plugins check --json of a refused plugin reports reason and message") {
  const std::string file = BrokenPlugin("abi_2_0").string();
  auto run = RunSwitchboard({"plugins", "check", "--json", file});
  CHECK(run.exit_code == 1);
  json out = ParseJson(run.out);
  CHECK(out["ok"] == false);
  CHECK(out["file"] == file);
  CHECK(out["reason"] == "abi_incompatible");
  CHECK_THAT(out["message"].get<std::string>(), Contains("plugin ABI 2.0"));
  CHECK_THAT(out["message"].get<std::string>(), Contains("host ABI 1.1"));
}

TEST_CASE("plugins list with --plugins DIR --no-default-plugins loads only that directory") {
  TempDirectory dir;
  dir.Add(GoodFixture());
  dir.Add(BrokenPlugin("abi_2_0"));

  auto only = RunSwitchboard(
      {"plugins", "list", "--json", "--plugins", dir.path().string(), "--no-default-plugins"});
  REQUIRE(only.exit_code == 0);
  json list = ParseJson(only.out);
  REQUIRE(list["providers"].size() == 1);
  CHECK(list["providers"][0]["id"] == "fixture_ok");
  REQUIRE(list["refused"].size() == 1);
  CHECK(list["refused"][0]["reason"] == "abi_incompatible");
  CHECK(list["refused"][0]["file"] == (dir.path() / "abi_2_0.so").string());

  auto both = RunSwitchboard({"plugins", "list", "--json", "--plugins", dir.path().string()});
  REQUIRE(both.exit_code == 0);
  json all = ParseJson(both.out);
  CHECK(FindProvider(all, "fixture_ok") != nullptr);
  CHECK(FindProvider(all, "openai") != nullptr);
}

TEST_CASE("SWITCHBOARD_PLUGINS adds directories to the defaults") {
  TempDirectory dir;
  dir.Add(GoodFixture());
  auto run = RunSwitchboard({"plugins", "list", "--json"},
                            {{"SWITCHBOARD_PLUGINS", "/nonexistent:" + dir.path().string()}});
  REQUIRE(run.exit_code == 0);
  json list = ParseJson(run.out);
  CHECK(FindProvider(list, "fixture_ok") != nullptr);
  CHECK(FindProvider(list, "openai") != nullptr);

  auto without = RunSwitchboard({"plugins", "list", "--json"});
  CHECK(FindProvider(ParseJson(without.out), "fixture_ok") == nullptr);
}

}  // namespace
}  // namespace switchboard::testing
