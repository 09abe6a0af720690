// Provider replies the host cannot trust, against a local server: a Latin-1 403 page, a
// body of random bytes, a Latin-1 header. The host turns them into valid UTF-8 before a
// plugin sees them (they used to abort the process with type_error.316 while serializing
// the plugin's input), and a plugin whose answer is over the limits ends its probe as a
// transient verdict, not a crash.
#include <random>

#include <catch2/catch.hpp>

#include "common/utf8.hpp"
#include "fixture_paths.hpp"
#include "probe_net/local_servers.hpp"
#include "plugins/plugin_loader.hpp"
#include "probe_engine/plugin_probe_driver.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;

std::string RandomBytes(size_t size) {
  std::mt19937 random(42);
  std::string bytes(size, '\0');
  for (auto& b : bytes) b = static_cast<char>(random() & 0xff);
  return bytes;
}

class HostileProvider {
 public:
  HostileProvider() {
    server_.routes().Get(R"(/latin1.*)", [](const httplib::Request&, httplib::Response& res) {
      res.status = 403;
      res.set_header("X-Note", "r\xe9sum\xe9");
      res.set_content("<html><body>Acc\xe8s refus\xe9 \xab interdit \xbb</body></html>", "text/html; charset=iso-8859-1");
    });
    server_.routes().Get(R"(/random.*)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(RandomBytes(8192), "application/octet-stream");
    });
    server_.routes().Get(R"(/deep.*)", [](const httplib::Request&, httplib::Response& res) {
      res.status = 401;
      res.set_content(std::string(500000, '[') + std::string(500000, ']'), "application/json");
    });
    server_.routes().Get(R"(/huge-retry.*)", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "1e300");
      res.set_content(R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})",
                      "application/json");
    });
    server_.Start();
  }
  std::string Url(const std::string& path) const { return server_.Url(path); }

 private:
  probe_net_test::LocalServer server_;
};

std::shared_ptr<const LoadedProvider> Load(const std::filesystem::path& file) {
  auto loaded = LoadPlugin(file);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return *loaded;
}

TEST_CASE("a Latin-1 403 page reaches the plugin as UTF-8 with U+FFFD, and the host lives") {
  HostileProvider provider;
  testing::PluginProbeDriver engine;
  auto echo = Load(testing::BrokenPlugin("reply_echo"));
  ProbeResult result = engine.Probe(echo, {{"token", "t"}, {"url", provider.Url("/latin1")}});
  INFO(result.reason << ": " << result.message);
  CHECK(result.outcome == Outcome::kValid);  // the echo plugin got the reply and answered
  CHECK(IsValidUtf8(result.message));
  CHECK_THAT(result.message, Contains("Acc\xef\xbf\xbds refus\xef\xbf\xbd"));
}

TEST_CASE("random bytes from a provider reach the plugin as valid UTF-8") {
  HostileProvider provider;
  testing::PluginProbeDriver engine;
  auto echo = Load(testing::BrokenPlugin("reply_echo"));
  ProbeResult result = engine.Probe(echo, {{"token", "t"}, {"url", provider.Url("/random")}});
  INFO(result.reason);
  CHECK(result.outcome == Outcome::kValid);
  CHECK(IsValidUtf8(result.message));
  CHECK(result.message.size() >= 8192);
}

TEST_CASE("the real OpenAI plugin judges a Latin-1 page, random bytes and 500,000-deep JSON") {
  HostileProvider provider;
  testing::PluginProbeDriver engine;
  auto openai = Load(testing::BuiltPlugin("openai"));
  for (const std::string path : {"/latin1", "/random", "/deep"}) {
    INFO(path);
    ProbeResult result = engine.Probe(openai, {{"api_key", "sk-proj-abc"}, {"base_url", provider.Url(path)}});
    INFO(result.reason << ": " << result.message);
    CHECK(IsValidUtf8(result.message));
    CHECK_FALSE(result.reason.empty());
  }
}

TEST_CASE("a provider's Retry-After of 1e300 is held to a day, so no later integer conversion overflows") {
  HostileProvider provider;
  testing::PluginProbeDriver engine;
  auto openai = Load(testing::BuiltPlugin("openai"));
  ProbeResult result = engine.Probe(openai, {{"api_key", "sk-proj-abc"}, {"base_url", provider.Url("/huge-retry")}});
  INFO(result.reason << ": " << result.message);
  CHECK(result.outcome == Outcome::kTransient);
  REQUIRE(result.retry_after_seconds);
  CHECK(*result.retry_after_seconds <= 86400);
  CHECK(*result.retry_after_seconds >= 0);
}

TEST_CASE("a plugin whose probe answer is over the limits ends the probe as transient plugin_output_invalid") {
  testing::PluginProbeDriver engine;
  for (const std::string fixture : {"huge_output", "deep_output", "not_utf8_output", "header_bomb", "big_request_body"}) {
    INFO(fixture);
    ProbeResult result = engine.Probe(Load(testing::BrokenPlugin(fixture)), {{"token", "t"}});
    CHECK(result.outcome == Outcome::kTransient);
    CHECK(result.reason == "plugin_output_invalid");
  }
}

}  // namespace
}  // namespace switchboard
