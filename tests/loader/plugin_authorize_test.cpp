// ABI 1.1 through the host: authorize_step and classify_response carried to a plugin in
// the host's process and in a runner alike, their output held to the host's rules, the
// config's secrets kept out of everything that comes back, and a plugin without them
// (built for 1.0, or with null or uncovered members) never called.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "fixture_paths.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/runner/channel_frames.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;
using testing::AuthorizePlugin;

constexpr const char* kToken = "tok_SECRET_4711_do_not_leak";

PluginHostOptions Options(PluginIsolation isolation) {
  PluginHostOptions options;
  options.isolation = isolation;
  options.probe_timeout = std::chrono::milliseconds(1500);
  options.validate_timeout = std::chrono::milliseconds(1500);
  return options;
}

const char* NameOf(PluginIsolation isolation) {
  return isolation == PluginIsolation::kInProcess ? "in-process" : "isolated";
}

std::shared_ptr<const LoadedProvider> Load(const std::string& name, PluginIsolation isolation) {
  auto loaded = LoadPlugin(AuthorizePlugin(name), Options(isolation));
  INFO(name << ": " << (loaded.ok() ? "" : loaded.status().ToString()));
  REQUIRE(loaded.ok());
  return *loaded;
}

json Config(const std::string& mode) { return json{{"token", kToken}, {"mode", mode}}; }

Result<AuthorizeStep> Authorize(const LoadedProvider& provider, const json& input) {
  std::promise<Result<AuthorizeStep>> answer;
  auto future = answer.get_future();
  provider.StartAuthorizeStep(input, nullptr, [&answer](Result<AuthorizeStep> step) { answer.set_value(std::move(step)); });
  return future.get();
}

Result<AuthorizeStep> AuthorizeFirst(const LoadedProvider& provider, const std::string& mode) {
  return Authorize(provider, json{{"config", Config(mode)}, {"state", nullptr}, {"response", nullptr}});
}

json ClassifyInput(const json& config, int status, const std::string& body) {
  return json{{"config", config},
              {"request", {{"method", "GET"}, {"url", "https://api.fixture.test/v1/x"}, {"headers", json::object()},
                           {"body", ""}}},
              {"response", {{"status", status}, {"headers", json::object()}, {"body", body}}}};
}

Result<Classification> Classify(const LoadedProvider& provider, const json& input) {
  std::promise<Result<Classification>> answer;
  auto future = answer.get_future();
  provider.StartClassifyResponse(input, [&answer](Result<Classification> c) { answer.set_value(std::move(c)); });
  return future.get();
}

void CheckNoSecret(const Status& status) { CHECK_THAT(status.message(), !Contains(kToken)); }

// What this process writes to stderr (the host log) while `run` runs.
template <typename Run>
std::string CapturedLog(Run&& run) {
  testing::TempDirectory dir;
  const auto file = dir.path() / "log";
  std::fflush(stderr);
  const int saved = ::dup(2);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(fd, 2);
  ::close(fd);
  run();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const PluginIsolation kBoth[] = {PluginIsolation::kInProcess, PluginIsolation::kProcess};

TEST_CASE("frames: the ABI 1.1 calls cross the runner channel; the type after them is still unknown") {
  using runner::FrameType;
  const std::string stream = runner::EncodeFrame(3, FrameType::kAuthorizeStep, R"({"config":{}})") +
                             runner::EncodeFrame(4, FrameType::kClassifyResponse, R"({"response":{}})");
  runner::FrameReader reader;
  reader.Append(stream.data(), stream.size());
  auto first = reader.Next();
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK((*first)->type == FrameType::kAuthorizeStep);
  auto second = reader.Next();
  REQUIRE(second.ok());
  REQUIRE(second->has_value());
  CHECK((*second)->type == FrameType::kClassifyResponse);
  CHECK((*second)->payload == R"({"response":{})");

  std::string six = runner::EncodeFrame(5, FrameType::kOk, "x");
  six[8] = 6;
  runner::FrameReader refusing;
  refusing.Append(six.data(), six.size());
  CHECK_FALSE(refusing.Next().ok());
}

TEST_CASE("methods: a channel says which optional functions the plugin's table has") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto full = Load("authorize_fixture", isolation);
    CHECK(full->channel().Has(PluginMethod::kProbeStep));
    CHECK(full->channel().Has(PluginMethod::kAuthorizeStep));
    CHECK(full->channel().Has(PluginMethod::kClassifyResponse));
    for (const char* name : {"authorize_absent", "authorize_claims_v10", "authorize_short_table"}) {
      INFO(name);
      auto lacking = Load(name, isolation);
      CHECK(lacking->channel().Has(PluginMethod::kProbeStep));
      CHECK_FALSE(lacking->channel().Has(PluginMethod::kAuthorizeStep));
      CHECK_FALSE(lacking->channel().Has(PluginMethod::kClassifyResponse));
    }
  }
}

TEST_CASE("authorize: a valid grant comes back as the plugin made it, in-process and isolated") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    CHECK(provider->abi_version() == SB_ABI_VERSION_PACK(1, 1));
    CHECK(provider->CanAuthorize());
    auto step = AuthorizeFirst(*provider, "grant");
    REQUIRE(step.ok());
    REQUIRE(step->authorization());
    CHECK(step->authorization()->headers.at("authorization") == std::string("Bearer ") + kToken);
    REQUIRE(step->authorization()->origins.size() == 2);
    CHECK(step->authorization()->origins[0].origin == "https://api.fixture.test");
    CHECK(step->authorization()->origins[0].base_path == "/v1");
    CHECK(step->authorization()->origins[1].origin == "http://127.0.0.1:8080");
  }
}

TEST_CASE("authorize: a refresh request first, then the grant it leads to") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    auto first = AuthorizeFirst(*provider, "send");
    REQUIRE(first.ok());
    REQUIRE(first->request());
    CHECK(first->request()->method == "POST");
    CHECK(first->request()->url == "https://auth.fixture.test/token");
    CHECK(first->state() == json{{"step", 1}});
    auto second = Authorize(*provider, json{{"config", Config("send")}, {"state", first->state()},
                                            {"response", {{"status", 200}, {"headers", json::object()},
                                                          {"body", "fresh_access"}}}});
    REQUIRE(second.ok());
    REQUIRE(second->authorization());
    CHECK(second->authorization()->headers.at("authorization") == "Bearer fresh_access");
    CHECK(second->authorization()->expires_at == "2030-01-01T00:00:00Z");
    CHECK(second->authorization()->config_update == json{{"token", "rotated"}});
  }
}

TEST_CASE("authorize: a refusal keeps its verdict and loses the config's secrets") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    for (const char* mode : {"refuse", "send"}) {
      INFO(mode);
      json input{{"config", Config(mode)}, {"state", nullptr}, {"response", nullptr}};
      if (std::string(mode) == "send") {
        input["state"] = json{{"step", 1}};
        input["response"] = json{{"status", 400}, {"headers", json::object()}, {"body", "{\"error\":\"invalid_grant\"}"}};
      }
      auto step = Authorize(*provider, input);
      REQUIRE(step.ok());
      REQUIRE(step->refusal());
      CHECK(step->refusal()->outcome == Outcome::kInvalidCredentials);
      CHECK(step->refusal()->reason == "invalid_grant");
      CHECK_THAT(step->refusal()->message, Contains("the provider refused the token"));
      CHECK_THAT(step->refusal()->message, !Contains(kToken));
    }
  }
}

TEST_CASE("authorize: a plugin that says it cannot is provider_cannot_authorize, naming its ABI") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    auto step = AuthorizeFirst(*provider, "cannot");
    REQUIRE_FALSE(step.ok());
    CHECK(step.status().Is(Code::kProviderCannotAuthorize));
    CHECK_THAT(step.status().message(), Contains("authorize_fixture") && Contains("plugin ABI 1.1"));
  }
}

TEST_CASE("authorize: the plugin's errors are plugin_error, without the config's secrets") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    auto error = AuthorizeFirst(*provider, "error");
    REQUIRE_FALSE(error.ok());
    CHECK(error.status().Is(Code::kPluginError));
    CHECK_THAT(error.status().message(), Contains("the refresh of"));
    CheckNoSecret(error.status());
    auto thrown = AuthorizeFirst(*provider, "throw");
    REQUIRE_FALSE(thrown.ok());
    CHECK(thrown.status().Is(Code::kPluginError));
    CHECK_THAT(thrown.status().message(), Contains("fixture authorize threw"));
  }
}

TEST_CASE("authorize: every malformed grant or step is plugin_output_invalid and quotes no secret") {
  const char* defects[] = {"bad:no_origins", "bad:too_many_origins", "bad:origin_path", "bad:origin_userinfo",
                           "bad:origin_upper", "bad:origin_default_port", "bad:origin_http_remote",
                           "bad:origin_percent", "bad:base_path_dotdot", "bad:base_path_trailing",
                           "bad:base_path_relative", "bad:header_host", "bad:header_proxy", "bad:header_upper",
                           "bad:header_crlf", "bad:too_many_headers", "bad:headers_too_big",
                           "bad:query_empty_name", "bad:too_many_query", "bad:bad_expires",
                           "bad:config_update_not_string", "bad:config_update_too_many", "big_request",
                           "raw:not_json", "raw:two_kinds", "raw:valid_refusal", "raw:origins_not_array"};
  for (auto isolation : kBoth) {
    auto provider = Load("authorize_fixture", isolation);
    for (const char* defect : defects) {
      INFO(NameOf(isolation) << " " << defect);
      auto step = AuthorizeFirst(*provider, defect);
      REQUIRE_FALSE(step.ok());
      CHECK(step.status().Is(Code::kPluginOutputInvalid));
      CHECK_THAT(step.status().message(), Contains("authorize_fixture"));
      CheckNoSecret(step.status());
    }
    // The same provider still grants: a bad answer is that call's failure only.
    CHECK(AuthorizeFirst(*provider, "grant").ok());
  }
}

TEST_CASE("authorize: what the plugin logs while authorizing has the config's secrets redacted") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    std::string log = CapturedLog([&] { REQUIRE(AuthorizeFirst(*provider, "log").ok()); });
    CHECK_THAT(log, Contains("authorize_fixture logs its token"));
    CHECK_THAT(log, !Contains(kToken));
  }
}

TEST_CASE("authorize: a crash or a hang in a runner is plugin_crashed or plugin_timeout, then it answers again") {
  auto provider = Load("authorize_fixture", PluginIsolation::kProcess);
  auto crashed = AuthorizeFirst(*provider, "crash");
  REQUIRE_FALSE(crashed.ok());
  CHECK(crashed.status().Is(Code::kPluginCrashed));
  CHECK(AuthorizeFirst(*provider, "grant").ok());
  const auto started = std::chrono::steady_clock::now();
  auto hung = AuthorizeFirst(*provider, "hang");
  REQUIRE_FALSE(hung.ok());
  CHECK(hung.status().Is(Code::kPluginTimeout));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  CHECK(AuthorizeFirst(*provider, "grant").ok());
}

TEST_CASE("classify: the plugin reads the answer, and its words lose the config's secrets") {
  for (auto isolation : kBoth) {
    INFO(NameOf(isolation));
    auto provider = Load("authorize_fixture", isolation);
    // A 401 that ClassifyByStatus would call invalid_credentials: the plugin was asked.
    auto fine = Classify(*provider, ClassifyInput(Config("grant"), 401, "{}"));
    REQUIRE(fine.ok());
    CHECK(fine->kind == ResponseClass::kFine);
    CHECK(fine->reason == "plugin_fine");
    auto expired = Classify(*provider, ClassifyInput(Config("grant"), 400, "{\"error\":\"token_expired\"}"));
    REQUIRE(expired.ok());
    CHECK(expired->kind == ResponseClass::kInvalidCredentials);
    CHECK(expired->reason == "token_expired");
    CHECK_THAT(expired->message, Contains("the token") && !Contains(kToken));
  }
}

TEST_CASE("classify: a plugin failure or bad answer is returned as a failure for the caller to fall back on") {
  for (auto isolation : kBoth) {
    auto provider = Load("authorize_fixture", isolation);
    struct Case {
      const char* mode;
      Code code;
    };
    for (const Case& c : {Case{"classify_throw", Code::kPluginError}, Case{"classify_bad_class", Code::kPluginOutputInvalid},
                          Case{"classify_long_reason", Code::kPluginOutputInvalid},
                          Case{"classify_huge", Code::kPluginOutputInvalid}}) {
      INFO(NameOf(isolation) << " " << c.mode);
      auto classified = Classify(*provider, ClassifyInput(Config(c.mode), 500, ""));
      REQUIRE_FALSE(classified.ok());
      CHECK(classified.status().Is(c.code));
    }
  }
  auto isolated = Load("authorize_fixture", PluginIsolation::kProcess);
  auto crashed = Classify(*isolated, ClassifyInput(Config("classify_crash"), 500, ""));
  REQUIRE_FALSE(crashed.ok());
  CHECK(crashed.status().Is(Code::kPluginCrashed));
  // One good call between failures, so the restart after the next needs no backoff.
  CHECK(Classify(*isolated, ClassifyInput(Config("grant"), 401, "")).ok());
  auto hung = Classify(*isolated, ClassifyInput(Config("classify_hang"), 500, ""));
  REQUIRE_FALSE(hung.ok());
  CHECK(hung.status().Is(Code::kPluginTimeout));
  CHECK(Classify(*isolated, ClassifyInput(Config("grant"), 401, "")).ok());
}

TEST_CASE("absent functions: a 1.1 table with null ones, or one claiming 1.0 or too short to cover them, is never called") {
  struct Case {
    const char* name;
    const char* abi;
  };
  for (auto isolation : kBoth) {
    for (const Case& c : {Case{"authorize_absent", "1.1"}, Case{"authorize_claims_v10", "1.0"},
                          Case{"authorize_short_table", "1.1"}}) {
      INFO(NameOf(isolation) << " " << c.name);
      auto provider = Load(c.name, isolation);
      CHECK_FALSE(provider->CanAuthorize());
      auto step = AuthorizeFirst(*provider, "grant");
      REQUIRE_FALSE(step.ok());
      CHECK(step.status().Is(Code::kProviderCannotAuthorize));
      CHECK_THAT(step.status().message(), Contains(std::string("plugin ABI ") + c.abi));
      // Answered by the status alone: had the plugin been asked it would say plugin_fine
      // (or, past its table's end, abort).
      auto classified = Classify(*provider, ClassifyInput(Config("grant"), 401, ""));
      REQUIRE(classified.ok());
      CHECK(classified->kind == ResponseClass::kInvalidCredentials);
      CHECK(classified->reason == "http_401");
      auto transient = Classify(*provider, ClassifyInput(Config("grant"), 503, ""));
      REQUIRE(transient.ok());
      CHECK(transient->kind == ResponseClass::kTransient);
      // Still alive, and the rest of its table works.
      auto validated = provider->ValidateWithPlugin(Config("grant"));
      REQUIRE(validated.ok());
      CHECK(validated->empty());
    }
  }
}

}  // namespace
}  // namespace switchboard
