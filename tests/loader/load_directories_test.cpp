// LoadPluginDirectories over scratch directories mixing good and broken libraries: the
// good load, each bad one is refused once with its reason, and loading goes on.
#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <map>

#include "fixture_paths.hpp"
#include "plugins/plugin_loader.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using testing::BrokenPlugin;
using testing::BuiltPlugin;
using testing::TempDirectory;

// How many refusals name each file, and the reason of the last one.
std::map<std::string, std::pair<int, std::string>> RefusalsByFile(const LoadReport& report) {
  std::map<std::string, std::pair<int, std::string>> out;
  for (const auto& r : report.refused) {
    auto& entry = out[r.file.filename().string()];
    ++entry.first;
    entry.second = std::string(switchboard::CodeName(r.reason));
  }
  return out;
}

TEST_CASE("a directory of good and broken plugins: good load, each bad one refused once") {
  TempDirectory dir;
  const std::map<std::string, std::string> broken = {
      {"abi_1_99", "abi_incompatible"},
      {"abi_2_0", "abi_incompatible"},
      {"constructor_throws", "registration_failed"},
      {"entry_throws", "registration_failed"},
      {"garbage", "open_failed"},
      {"no_entry", "not_a_plugin"},
      {"no_icon", "invalid_manifest"},
      {"open_object", "schema_invalid"},
      {"table_too_small", "registration_failed"},
  };
  for (const auto& [name, reason] : broken) dir.Add(BrokenPlugin(name));
  dir.Add(BuiltPlugin("openai"));
  dir.Add(testing::GoodFixture());
  // Not a .so: the loader must not even look at it.
  dir.Add(BrokenPlugin("garbage"), "notes.txt");

  ProviderRegistry registry;
  LoadReport report = LoadPluginDirectories({dir.path(), dir.path() / "missing"}, registry);

  REQUIRE(report.loaded.size() == 2);
  CHECK(registry.size() == 2);
  CHECK(registry.Find("openai") != nullptr);
  CHECK(registry.Find("fixture_ok") != nullptr);

  auto refusals = RefusalsByFile(report);
  CHECK(report.refused.size() == broken.size());
  for (const auto& [name, reason] : broken) {
    INFO(name);
    auto it = refusals.find(name + ".so");
    REQUIRE(it != refusals.end());
    CHECK(it->second.first == 1);
    CHECK(it->second.second == reason);
  }
  CHECK(refusals.count("notes.txt") == 0);
  for (const auto& r : report.refused) CHECK_THAT(r.message, Contains(r.file.string()));
}

TEST_CASE("a second library with a loaded provider id is refused as duplicate_id") {
  TempDirectory dir;
  const auto original = dir.Add(BuiltPlugin("openai"));
  const auto duplicate = dir.Add(BrokenPlugin("openai_duplicate"));

  ProviderRegistry registry;
  LoadReport report = LoadPluginDirectories({dir.path()}, registry);

  REQUIRE(report.loaded.size() == 1);
  CHECK(report.loaded.front()->file() == original);
  CHECK(registry.Find("openai")->file() == original);
  REQUIRE(report.refused.size() == 1);
  CHECK(report.refused.front().file == duplicate);
  CHECK(report.refused.front().reason == switchboard::Code::kDuplicateId);
  CHECK_THAT(report.refused.front().message, Contains(duplicate.string()));
  CHECK_THAT(report.refused.front().message, Contains(original.string()));
}

TEST_CASE("the same id in a later directory is refused, the first directory wins") {
  TempDirectory first;
  TempDirectory second;
  const auto winner = first.Add(BuiltPlugin("openai"));
  const auto loser = second.Add(BuiltPlugin("openai"));

  ProviderRegistry registry;
  LoadReport report = LoadPluginDirectories({first.path(), second.path()}, registry);

  REQUIRE(registry.size() == 1);
  CHECK(registry.Find("openai")->file() == winner);
  REQUIRE(report.refused.size() == 1);
  CHECK(report.refused.front().file == loser);
  CHECK(report.refused.front().reason == switchboard::Code::kDuplicateId);
}

TEST_CASE("directories that do not exist are skipped without a refusal") {
  TempDirectory dir;
  ProviderRegistry registry;
  LoadReport report = LoadPluginDirectories({dir.path() / "nothing-here", dir.path()}, registry);
  CHECK(report.loaded.empty());
  CHECK(report.refused.empty());
  CHECK(registry.size() == 0);
}

bool IsMapped(const std::filesystem::path& file) {
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  dlclose(handle);
  return true;
}

TEST_CASE("a provider's library stays loaded while its LoadedProvider lives (in the host's process)") {
  TempDirectory dir;
  // A private copy, so no other part of this test binary holds the same library open.
  const auto file = dir.Add(BuiltPlugin("openai"), "openai.so");
  REQUIRE_FALSE(IsMapped(file));

  std::shared_ptr<const LoadedProvider> provider;
  {
    ProviderRegistry registry;
    PluginHostOptions in_process;
    in_process.isolation = PluginIsolation::kInProcess;
    LoadReport report = LoadPluginDirectories({dir.path()}, registry, in_process);
    REQUIRE(report.loaded.size() == 1);
    provider = registry.Find("openai");
  }
  REQUIRE(provider != nullptr);
  REQUIRE(provider.use_count() == 1);
  CHECK(IsMapped(file));

  // Calls into the plugin's code after the registry and the report are gone.
  auto errors = provider->ValidateWithPlugin({{"api_key", "not-a-key"}});
  REQUIRE(errors.ok());
  REQUIRE(errors->size() == 1);
  CHECK(errors->front().code == "bad_prefix");

  auto step = provider->ProbeStepWithPlugin(
      {{"config", {{"api_key", "sk-proj-abc"}}}, {"state", nullptr}, {"response", nullptr}});
  REQUIRE(step.ok());
  REQUIRE(step->request().has_value());
  CHECK(step->request()->url == "https://api.openai.com/v1/models");
  CHECK(step->request()->headers.at("authorization") == "Bearer sk-proj-abc");
  CHECK(provider->manifest()["schema"]["properties"]["api_key"]["writeOnly"] == true);
}

}  // namespace
}  // namespace switchboard
