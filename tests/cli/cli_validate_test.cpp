// switchboard validate PROVIDER FILE against the real openai plugin.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixture_paths.hpp"
#include "run_process.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;

std::string WriteFile(TempDirectory& dir, const std::string& name, const std::string& text) {
  auto path = dir.path() / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST_CASE("validate of a good config exits 0 and says valid") {
  TempDirectory dir;
  auto file =
      WriteFile(dir, "good.json", R"({"api_key": "sk-proj-abc123", "organization": "org-42"})");
  auto run = RunSwitchboard({"validate", "openai", file});
  CHECK(run.exit_code == 0);
  CHECK(run.out == "valid\n");
}

TEST_CASE("validate of a bad config exits 1 and lists every problem as field and code") {
  TempDirectory dir;
  auto file =
      WriteFile(dir, "bad.json",
                R"({"api_key": "", "organization": "acme", "base_url": 7, "colour": "blue"})");
  auto run = RunSwitchboard({"validate", "openai", file});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Contains("api_key  too_short  API key"));
  CHECK_THAT(run.out, Contains("organization  pattern_mismatch  Organization ID"));
  CHECK_THAT(run.out, Contains("base_url  wrong_type  Base URL"));
  CHECK_THAT(run.out, Contains("colour  unknown_field  "));
  CHECK_THAT(run.out, !Contains("valid\n"));
}

TEST_CASE("validate reports the plugin's own checks too") {
  TempDirectory dir;
  auto file = WriteFile(dir, "wrong_prefix.json", R"({"api_key": "pk-live-123"})");
  auto run = RunSwitchboard({"validate", "openai", file});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Contains("api_key  bad_prefix  "));
}

TEST_CASE("validate --json gives the errors as objects") {
  TempDirectory dir;
  auto file = WriteFile(dir, "missing.json", R"({"organization": "org-1"})");
  auto run = RunSwitchboard({"validate", "openai", file, "--json"});
  CHECK(run.exit_code == 1);
  auto out = nlohmann::json::parse(run.out);
  CHECK(out["valid"] == false);
  REQUIRE(out["errors"].size() == 1);
  CHECK(out["errors"][0]["field"] == "api_key");
  CHECK(out["errors"][0]["code"] == "missing_required");
}

TEST_CASE("validate of a config that is not an object reports it on the whole config") {
  TempDirectory dir;
  auto file = WriteFile(dir, "array.json", R"(["sk-abc"])");
  auto run = RunSwitchboard({"validate", "openai", file});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Contains("(config)  not_an_object  "));
}

TEST_CASE("validate of malformed JSON exits 1 naming the file") {
  TempDirectory dir;
  auto file = WriteFile(dir, "broken.json", R"({"api_key": "sk-abc",)");
  auto run = RunSwitchboard({"validate", "openai", file});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains(file + " is not valid JSON"));
  CHECK(run.out.empty());
}

TEST_CASE("validate of a missing file or an unknown provider exits 1") {
  TempDirectory dir;
  auto missing = RunSwitchboard({"validate", "openai", (dir.path() / "none.json").string()});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Contains("cannot read"));

  auto file = WriteFile(dir, "good.json", R"({"api_key": "sk-abc"})");
  auto unknown = RunSwitchboard({"validate", "nope", file});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Contains("unknown provider 'nope'"));
}

TEST_CASE("validate uses only --plugins when defaults are off") {
  TempDirectory plugins;
  plugins.Add(GoodFixture());
  TempDirectory dir;
  auto file = WriteFile(dir, "fixture.json", R"({"token": "bad"})");

  auto run = RunSwitchboard({"validate", "fixture_ok", file, "--plugins", plugins.path().string(),
                             "--no-default-plugins"});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Contains("token  fixture_bad_token  token is bad"));

  auto no_openai = RunSwitchboard(
      {"validate", "openai", file, "--plugins", plugins.path().string(), "--no-default-plugins"});
  CHECK(no_openai.exit_code == 1);
  CHECK_THAT(no_openai.err, Contains("unknown provider 'openai'"));
}

}  // namespace
}  // namespace switchboard::testing
