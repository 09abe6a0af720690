// Bounds on what a plugin hands the host (core/plugins/plugin_limits.hpp): an oversized
// manifest and a pattern RE2 cannot run are refused at load; oversized, deep or
// non-UTF-8 validate and probe-step output, and probe requests over the header and body
// limits, are "plugin_output_invalid" — never a crash, an exception or a 100 MiB answer.
#include <catch2/catch.hpp>

#include "fixture_paths.hpp"
#include "plugins/plugin_limits.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/config_validation.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using testing::BrokenPlugin;

std::shared_ptr<const LoadedProvider> Load(const std::string& fixture) {
  auto loaded = LoadPlugin(BrokenPlugin(fixture));
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return *loaded;
}

const nlohmann::json kFirstStep = {{"config", {{"token", "t"}}}, {"state", nullptr}, {"response", nullptr}};

TEST_CASE("a 2 MiB manifest is refused at load as invalid_manifest, naming the limit") {
  auto loaded = LoadPlugin(BrokenPlugin("huge_manifest"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().Is(Code::kInvalidManifest));
  CHECK_THAT(loaded.status().message(), Contains("more than the 1048576 a manifest may have"));
  CHECK_THAT(loaded.status().message(), Contains(BrokenPlugin("huge_manifest").string()));
}

TEST_CASE("a pattern RE2 cannot compile (lookahead) is schema_invalid at load") {
  auto loaded = LoadPlugin(BrokenPlugin("lookahead"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().Is(Code::kSchemaInvalid));
  CHECK_THAT(loaded.status().message(), Contains("/properties/url/pattern: is not a valid regular expression"));
}

TEST_CASE("the misbehaving fixture without a defect loads and answers normally") {
  auto provider = Load("reply_echo");
  auto errors = ValidateConfig(*provider, {{"token", "t"}});
  REQUIRE(errors.ok());
  CHECK(errors->empty());
}

TEST_CASE("validate output that is too large, too deep or not UTF-8 is plugin_output_invalid") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"huge_output", "[too_large]"}, {"deep_output", "[too_deep]"}, {"not_utf8_output", "[not_utf8]"}};
  for (const auto& [fixture, code] : cases) {
    INFO(fixture);
    auto provider = Load(fixture);
    auto errors = ValidateConfig(*provider, {{"token", "t"}});
    REQUIRE_FALSE(errors.ok());
    CHECK(errors.status().Is(Code::kPluginOutputInvalid));
    CHECK_THAT(errors.status().message(), Contains("validate returned output the host refuses"));
    CHECK_THAT(errors.status().message(), Contains(code));
  }
}

TEST_CASE("probe-step output that is too large, too deep or not UTF-8 is plugin_output_invalid") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"huge_output", "[too_large]"}, {"deep_output", "[too_deep]"}, {"not_utf8_output", "[not_utf8]"}};
  for (const auto& [fixture, code] : cases) {
    INFO(fixture);
    auto provider = Load(fixture);
    auto step = provider->ProbeStepWithPlugin(kFirstStep);
    REQUIRE_FALSE(step.ok());
    CHECK(step.status().Is(Code::kPluginOutputInvalid));
    CHECK_THAT(step.status().message(), Contains(code));
  }
}

TEST_CASE("a probe request over the header or body limits is plugin_output_invalid") {
  auto headers = Load("header_bomb")->ProbeStepWithPlugin(kFirstStep);
  REQUIRE_FALSE(headers.ok());
  CHECK(headers.status().Is(Code::kPluginOutputInvalid));
  CHECK_THAT(headers.status().message(), Contains("more than " + std::to_string(kMaxProbeRequestHeaders) + " headers"));

  auto body = Load("big_request_body")->ProbeStepWithPlugin(kFirstStep);
  REQUIRE_FALSE(body.ok());
  CHECK(body.status().Is(Code::kPluginOutputInvalid));
  CHECK_THAT(body.status().message(), Contains("request body is larger than"));
}

}  // namespace
}  // namespace switchboard
