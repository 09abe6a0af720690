// A plugin binary built once against ABI 1.0 and committed (tests/fixtures/abi_v1_0) still
// loads in today's host, keeps its manifest, is validated by its schema and its own
// check, and probes a local stand-in for its provider to each verdict; asked to authorize
// requests (ABI 1.1) it is refused, naming its ABI, without a call. Its source, built with
// today's SDK (the twin, which reports ABI 1.1), must behave the same.
#include <openssl/evp.h>

#include <fstream>
#include <future>
#include <utility>
#include <iterator>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "fixture_paths.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/config_validation.hpp"
#include "probe_engine/plugin_probe_driver.hpp"
#include "probe_net/local_servers.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// How the host runs the plugin. Every mode must give the same answers: in the host's
// process, and in a sandboxed switchboard-plugin-runner (the default).
enum class Isolation { kInProcess, kProcess };
constexpr Isolation kModes[] = {Isolation::kInProcess, Isolation::kProcess};

const char* NameOf(Isolation mode) {
  switch (mode) {
    case Isolation::kInProcess: return "in-process";
    case Isolation::kProcess: return "process";
  }
  return "?";
}

std::shared_ptr<const LoadedProvider> Load(Isolation mode, const std::filesystem::path& file) {
  REQUIRE(std::filesystem::exists(file));
  switch (mode) {
    case Isolation::kInProcess:
    case Isolation::kProcess: {
      PluginHostOptions options;
      options.isolation = mode == Isolation::kInProcess ? PluginIsolation::kInProcess : PluginIsolation::kProcess;
      auto loaded = LoadPlugin(file, options);
      INFO(loaded.status().ToString());
      REQUIRE(loaded.ok());
      REQUIRE(loaded.value()->isolated() == (mode == Isolation::kProcess));
      return *loaded;
    }
  }
  FAIL("unknown isolation mode");
  return nullptr;
}

// GET /whoami answered by the bearer token it is sent, as the legacy provider would.
class LegacyProviderStandIn {
 public:
  LegacyProviderStandIn() {
    server_.routes().Get("/api/whoami", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      const std::string auth = req.get_header_value("Authorization");
      if (auth == "Bearer lv1_good") {
        res.set_content(R"({"user":"legacy"})", "application/json");
      } else if (auth == "Bearer lv1_readonly") {
        res.status = 403;
      } else if (auth == "Bearer lv1_busy") {
        res.status = 503;
        res.set_header("Retry-After", "7");
      } else if (auth == "Bearer lv1_throttled") {
        res.status = 429;
        res.set_header("Retry-After", "3");
      } else {
        res.status = 401;
      }
    });
    server_.Start();
  }
  std::string BaseUrl() const { return server_.Url("/api"); }
  int requests() const { return requests_; }

 private:
  probe_net_test::LocalServer server_;
  std::atomic<int> requests_{0};
};

std::string Sha256Hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) == 1);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

TEST_CASE("the ABI 1.0 binary in the build is the committed one its README describes") {
  // A rebuild from a newer SDK would change the hash: the README records the one build.
  std::ifstream readme(std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "tests/fixtures/abi_v1_0/README.md");
  const std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
  const auto at = text.find("| sha256 | `");
  REQUIRE(at != std::string::npos);
  CHECK(text.substr(at + 12, 64) == Sha256Hex(testing::AbiV1_0Fixture()));
  CHECK(std::filesystem::file_size(testing::AbiV1_0Fixture()) < 1024 * 1024);  // debug info stripped
}

TEST_CASE("an ABI 1.0 plugin binary loads with its manifest and its own ABI version") {
  for (Isolation mode : kModes) {
    // The committed binary says 1.0; its source built with today's SDK says 1.1.
    for (const auto& [file, minor] : {std::pair{testing::AbiV1_0Fixture(), 0u}, std::pair{testing::AbiV1_0Twin(), 1u}}) {
      INFO(NameOf(mode) << " " << file);
      auto provider = Load(mode, file);
      CHECK(provider->id() == "legacy_v10");
      CHECK(provider->abi_version() == SB_ABI_VERSION_PACK(1, minor));
      const json& manifest = provider->manifest();
      CHECK(manifest["name"] == "Legacy v1.0");
      CHECK(manifest["version"] == "1.0.0");
      CHECK(provider->secret_fields() == std::vector<std::string>{"token"});
      CHECK(provider->destination_fields() == std::vector<std::string>{"base_url"});
      CHECK(provider->field_schema()["properties"]["base_url"]["format"] == "uri");
    }
  }
}

// The fields of each problem ValidateConfig (schema, then the plugin's own check) finds.
std::vector<std::string> ProblemsOf(const LoadedProvider& provider, const json& config) {
  auto errors = ValidateConfig(provider, config);
  INFO(errors.status().ToString());
  REQUIRE(errors.ok());
  std::vector<std::string> problems;
  for (const auto& e : *errors) problems.push_back(e.field + ":" + e.code);
  return problems;
}

TEST_CASE("an ABI 1.0 plugin's schema and its own check judge a config") {
  for (Isolation mode : kModes) {
    INFO(NameOf(mode));
    auto provider = Load(mode, testing::AbiV1_0Fixture());
    const std::string base_url = "https://legacy.example/api";
    CHECK(ProblemsOf(*provider, {{"token", "lv1_good"}, {"base_url", base_url}}).empty());
    // The plugin's own check: only the plugin knows the lv1_ prefix.
    CHECK(ProblemsOf(*provider, {{"token", "sk-wrong"}, {"base_url", base_url}}) ==
          std::vector<std::string>{"token:bad_prefix"});
    // The schema it declared, enforced by the host.
    CHECK(ProblemsOf(*provider, {{"token", "lv1_good"}}) == std::vector<std::string>{"base_url:missing_required"});
    auto bad_url = ProblemsOf(*provider, {{"token", "lv1_good"}, {"base_url", "not a url"}});
    REQUIRE(bad_url.size() == 1);
    CHECK(bad_url[0].rfind("base_url:", 0) == 0);
  }
}

TEST_CASE("an ABI 1.0 plugin probes a local stand-in to each verdict") {
  LegacyProviderStandIn stand_in;
  struct Case {
    const char* token;
    Outcome outcome;
    const char* reason;
    std::optional<double> retry_after;
  };
  const Case cases[] = {
      {"lv1_good", Outcome::kValid, "ok", std::nullopt},
      {"lv1_revoked", Outcome::kInvalidCredentials, "unauthorized", std::nullopt},
      {"lv1_readonly", Outcome::kMissingPermission, "forbidden", std::nullopt},
      {"lv1_busy", Outcome::kTransient, "server_error", 7},
      {"lv1_throttled", Outcome::kTransient, "rate_limited", 3},
  };
  testing::PluginProbeDriver driver;
  for (Isolation mode : kModes) {
    for (const auto& file : {testing::AbiV1_0Fixture(), testing::AbiV1_0Twin()}) {
      auto provider = Load(mode, file);
      for (const Case& c : cases) {
        INFO(NameOf(mode) << " " << file << " " << c.token);
        const int before = stand_in.requests();
        ProbeResult result = driver.Probe(provider, {{"token", c.token}, {"base_url", stand_in.BaseUrl()}});
        INFO(result.reason << ": " << result.message);
        CHECK(stand_in.requests() == before + 1);  // the plugin's request really went out
        CHECK(result.outcome == c.outcome);
        CHECK(result.reason == c.reason);
        CHECK(result.retry_after_seconds == c.retry_after);
        if (c.outcome == Outcome::kInvalidCredentials || c.outcome == Outcome::kMissingPermission) {
          CHECK(result.field == "token");
        }
      }
    }
  }
}

Result<AuthorizeStep> AuthorizeFirst(const LoadedProvider& provider) {
  std::promise<Result<AuthorizeStep>> answer;
  auto future = answer.get_future();
  provider.StartAuthorizeStep(json{{"config", {{"token", "lv1_good"}, {"base_url", "https://legacy.example/api"}}},
                                   {"state", nullptr},
                                   {"response", nullptr}},
                              nullptr, [&answer](Result<AuthorizeStep> step) { answer.set_value(std::move(step)); });
  return future.get();
}

Result<Classification> ClassifyStatus(const LoadedProvider& provider, int status) {
  std::promise<Result<Classification>> answer;
  auto future = answer.get_future();
  provider.StartClassifyResponse(
      json{{"config", {{"token", "lv1_good"}, {"base_url", "https://legacy.example/api"}}},
           {"request", {{"method", "GET"}, {"url", "https://legacy.example/api/x"}, {"headers", json::object()},
                        {"body", ""}}},
           {"response", {{"status", status}, {"headers", json::object()}, {"body", ""}}}},
      [&answer](Result<Classification> c) { answer.set_value(std::move(c)); });
  return future.get();
}

TEST_CASE("an ABI 1.0 plugin asked to authorize is provider_cannot_authorize, naming the ABI it was built for") {
  for (Isolation mode : kModes) {
    INFO(NameOf(mode));
    auto provider = Load(mode, testing::AbiV1_0Fixture());
    CHECK_FALSE(provider->CanAuthorize());
    auto step = AuthorizeFirst(*provider);
    REQUIRE_FALSE(step.ok());
    CHECK(step.status().Is(Code::kProviderCannotAuthorize));
    CHECK(step.status().message() ==
          "provider 'legacy_v10' was built for plugin ABI 1.0, which cannot say how its credentials are applied to "
          "requests; rebuild it with SDK 1.1 or later");
    // Its responses are read by their status alone.
    auto unauthorized = ClassifyStatus(*provider, 401);
    REQUIRE(unauthorized.ok());
    CHECK(unauthorized->kind == ResponseClass::kInvalidCredentials);
    auto missing = ClassifyStatus(*provider, 404);
    REQUIRE(missing.ok());
    CHECK(missing->kind == ResponseClass::kFine);
  }
}

TEST_CASE("the 1.0 source rebuilt with SDK 1.1 has Provider's defaults: it cannot authorize, classifies by status") {
  for (Isolation mode : kModes) {
    INFO(NameOf(mode));
    auto provider = Load(mode, testing::AbiV1_0Twin());
    CHECK(provider->CanAuthorize());  // the table has authorize_step: the SDK's default
    auto step = AuthorizeFirst(*provider);
    REQUIRE_FALSE(step.ok());
    CHECK(step.status().Is(Code::kProviderCannotAuthorize));
    CHECK_THAT(step.status().message(), Catch::Matchers::Contains("plugin ABI 1.1"));
    auto throttled = ClassifyStatus(*provider, 429);
    REQUIRE(throttled.ok());
    CHECK(throttled->kind == ResponseClass::kTransient);
    CHECK(throttled->reason == "rate_limited");
  }
}

}  // namespace
}  // namespace switchboard
