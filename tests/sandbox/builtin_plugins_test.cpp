// The built-in providers run unchanged in the sandbox: loaded and registered before it (as
// the runner does), then describe, validate and a probe inside it, with no denied call.
#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

#include <unistd.h>

#include <string>

#include "sandboxed_child.hpp"
#include "support/plugin_library.hpp"

namespace {

using switchboard::Json;
using switchboard::testing::FakeHost;
using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::testing::PluginLibrary;

struct Plugin {
  std::string name;
  Json config;
};

void Say(const std::string& text) { [[maybe_unused]] ssize_t written = write(STDOUT_FILENO, text.data(), text.size()); }

int DriveInSandbox(void* context) {
  const auto& plugin = *static_cast<const Plugin*>(context);
  PluginLibrary library(plugin.name);
  FakeHost host(library.entry());
  CHILD_CHECK(switchboard::runner::ApplySandbox({}).ok());
  const Json manifest = host.Manifest();
  CHILD_CHECK(manifest.contains("schema"));
  CHILD_CHECK(host.Validate(plugin.config).empty());
  const auto run = host.Probe(plugin.config, [](const HttpRequest&) {
    return HttpResponse{401, {{"content-type", "application/json"}}, R"({"error":"invalid_token"})"};
  });
  CHILD_CHECK(!run.requests.empty());
  Say("probe outcome: " + std::string(switchboard::OutcomeName(run.result.outcome)) + "\n");
  return 0;
}

}  // namespace

TEST_CASE("the built-in providers describe, validate and probe in the sandbox", "[sandbox][plugins]") {
  const Plugin plugins[] = {
      {"openai", Json{{"api_key", "sk-proj-Xq3T9vLmZ2kP8rW4yB6nH1sJ5dF7gC0aE2iU9oR3tY6wQ8zK4xV1bN7mL5pA0cSfG2hJ4kL6"}}},
      {"trello", Json{{"api_key", "a1b2c3d4e5f60718293a4b5c6d7e8f90"},
                      {"token", "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4"}}},
      {"google_calendar",
       Json{{"client_id", "123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com"},
            {"client_secret", "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"},
            {"refresh_token", "1//0gXyZ-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWxYz"}}},
      {"outlook", Json{{"tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
                       {"client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"},
                       {"client_secret", "Xy8Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456.-_"},
                       {"refresh_token", "1.AXkAv4j5cvGGr0GRqy180BHbR3beMWemFK5Jl7xuumkUOR55AAA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P9"}}},
  };
  for (const Plugin& plugin : plugins) {
    INFO(plugin.name);
    auto result = sandbox_test::RunInChild(DriveInSandbox, const_cast<Plugin*>(&plugin));
    INFO(result.Describe());
    CHECK(result.ExitedWith(0));
    CHECK(result.out == "probe outcome: invalid_credentials\n");  // a 401 says so, for each
    CHECK(result.err.empty());
  }
}
