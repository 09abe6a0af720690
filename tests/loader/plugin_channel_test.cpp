// The provider channel: the runner's frames, and a plugin in a runner process answering
// exactly as it does in the host's process, under deadlines, restarted when it ends.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <fstream>
#include <algorithm>

#include <catch2/catch.hpp>

#include "fixture_paths.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/runner/channel_frames.hpp"
#include "plugins/subprocess_channel.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using runner::EncodeFrame;
using runner::FrameReader;
using runner::FrameType;
using testing::BrokenPlugin;
using testing::BuiltPlugin;

PluginHostOptions InProcess() {
  PluginHostOptions options;
  options.isolation = PluginIsolation::kInProcess;
  return options;
}

PluginHostOptions Isolated() { return PluginHostOptions{}; }

SubprocessChannel& RunnerOf(const LoadedProvider& provider) {
  auto* channel = dynamic_cast<SubprocessChannel*>(&provider.channel());
  REQUIRE(channel != nullptr);
  return *channel;
}

TEST_CASE("frames: what is encoded is read back, whole, in order, from any split") {
  const std::string stream = EncodeFrame(7, FrameType::kValidate, R"({"token":"t"})") +
                             EncodeFrame(0, FrameType::kHello, "") + EncodeFrame(9, FrameType::kOk, "[]");
  for (size_t split = 0; split <= stream.size(); ++split) {
    FrameReader reader;
    reader.Append(stream.data(), split);
    std::vector<runner::Frame> frames;
    auto drain = [&] {
      for (;;) {
        auto next = reader.Next();
        REQUIRE(next.ok());
        if (!next->has_value()) return;
        frames.push_back(std::move(**next));
      }
    };
    drain();
    reader.Append(stream.data() + split, stream.size() - split);
    drain();
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].id == 7);
    CHECK(frames[0].type == FrameType::kValidate);
    CHECK(frames[0].payload == R"({"token":"t"})");
    CHECK(frames[1].type == FrameType::kHello);
    CHECK(frames[1].payload.empty());
    CHECK(frames[2].id == 9);
    CHECK(frames[2].payload == "[]");
    CHECK(reader.buffered() == 0);
  }
}

TEST_CASE("frames: a length over the limit or an unknown type breaks the stream") {
  FrameReader small(16);
  std::string big = EncodeFrame(1, FrameType::kOk, std::string(17, 'x'));
  small.Append(big.data(), 9);  // the header alone is enough to refuse it
  auto refused = small.Next();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().Is(Code::kBadFrame));

  FrameReader reader;
  std::string unknown = EncodeFrame(1, FrameType::kOk, "x");
  unknown[8] = 0x42;
  reader.Append(unknown.data(), unknown.size());
  auto next = reader.Next();
  REQUIRE_FALSE(next.ok());
  CHECK(next.status().Is(Code::kBadFrame));

  FrameReader short_length;
  const char runt[9] = {0, 0, 0, 2, 0, 0, 0, 1, char(0x80)};  // shorter than its own header
  short_length.Append(runt, sizeof runt);
  CHECK_FALSE(short_length.Next().ok());
}

TEST_CASE("every broken library is refused with the same reason in a runner as in the host's process") {
  for (const char* fixture : {"does_not_exist", "garbage", "no_entry", "abi_2_0", "abi_1_99", "entry_returns_null",
                              "table_too_small", "null_function", "entry_throws", "constructor_throws",
                              "describe_throws", "bad_id", "no_icon", "unknown_keyword", "huge_manifest"}) {
    INFO(fixture);
    auto in_process = LoadPlugin(BrokenPlugin(fixture), InProcess());
    auto isolated = LoadPlugin(BrokenPlugin(fixture), Isolated());
    REQUIRE_FALSE(in_process.ok());
    REQUIRE_FALSE(isolated.ok());
    CHECK(isolated.status().code() == in_process.status().code());
    CHECK_THAT(isolated.status().message(), Contains(BrokenPlugin(fixture).string()));
  }
}

TEST_CASE("openai in a runner: the same manifest and the same verdicts as in the host's process") {
  auto in_process = LoadPlugin(BuiltPlugin("openai"), InProcess());
  auto isolated = LoadPlugin(BuiltPlugin("openai"), Isolated());
  REQUIRE(in_process.ok());
  REQUIRE(isolated.ok());
  CHECK_FALSE((*in_process)->isolated());
  CHECK((*isolated)->isolated());
  CHECK((*isolated)->manifest() == (*in_process)->manifest());
  CHECK((*isolated)->abi_version() == (*in_process)->abi_version());
  for (const char* config : {R"({"api_key":"sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"})",
                             R"({"api_key":"not-a-key"})", R"({"api_key":"sk-x","base_url":"ftp://x"})"}) {
    INFO(config);
    auto want = (*in_process)->ValidateWithPlugin(nlohmann::json::parse(config));
    auto got = (*isolated)->ValidateWithPlugin(nlohmann::json::parse(config));
    REQUIRE(want.ok());
    REQUIRE(got.ok());
    REQUIRE(got->size() == want->size());
    for (size_t i = 0; i < got->size(); ++i) {
      CHECK((*got)[i].field == (*want)[i].field);
      CHECK((*got)[i].code == (*want)[i].code);
    }
  }
  // The first probe step asks for the same request.
  nlohmann::json input = {{"config", {{"api_key", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"},
                                      {"base_url", "http://127.0.0.1:9/v1"}}},
                          {"state", nullptr},
                          {"response", nullptr}};
  auto want = (*in_process)->ProbeStepWithPlugin(input);
  auto got = (*isolated)->ProbeStepWithPlugin(input);
  REQUIRE(want.ok());
  REQUIRE(got.ok());
  REQUIRE(got->request());
  CHECK(got->request()->url == want->request()->url);
  CHECK(got->request()->headers == want->request()->headers);
}

TEST_CASE("a runner that is killed is replaced at the next call, which is answered") {
  auto provider = LoadPlugin(BuiltPlugin("openai"), Isolated());
  REQUIRE(provider.ok());
  SubprocessChannel& channel = RunnerOf(**provider);
  const int first = channel.runner_pid();
  REQUIRE(first > 0);
  REQUIRE(::kill(first, SIGKILL) == 0);
  // The channel notices the end on its own thread.
  for (int i = 0; i < 100 && channel.runner_pid() == first; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(channel.runner_pid() == -1);
  CHECK(channel.availability().state == PluginAvailability::State::kRestarting);
  CHECK_THAT(channel.availability().reason, Contains("SIGKILL"));

  auto errors = (*provider)->ValidateWithPlugin(nlohmann::json{{"api_key", "not-a-key"}});
  REQUIRE(errors.ok());
  CHECK_FALSE(errors->empty());
  CHECK(channel.runner_pid() > 0);
  CHECK(channel.runner_pid() != first);
  CHECK(channel.availability().state == PluginAvailability::State::kAvailable);
  CHECK(channel.availability().restarts == 1);
}

TEST_CASE("a call past its deadline fails plugin_timeout, and the stuck runner is replaced") {
  ::setenv("SB_FIXTURE_VALIDATE_MS", "5000", 1);
  PluginHostOptions options;
  options.validate_timeout = std::chrono::milliseconds(300);
  auto provider = LoadPlugin(std::filesystem::path(SWITCHBOARD_SLOW_FIXTURE_DIR) / "slow_fixture.so", options);
  REQUIRE(provider.ok());
  SubprocessChannel& channel = RunnerOf(**provider);
  const int stuck = channel.runner_pid();

  CallOptions call;
  call.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  const auto started = std::chrono::steady_clock::now();
  auto raw = channel.Call(PluginMethod::kValidate, R"({"token":"t"})", call);
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(raw.ok());
  CHECK(raw.status().Is(Code::kPluginTimeout));
  CHECK(waited < std::chrono::seconds(3));  // not the plugin's 5 s
  for (int i = 0; i < 200 && ::kill(stuck, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(::kill(stuck, 0) != 0);  // killed and reaped

  // Through the provider, a validate that cannot be answered is plugin_unavailable.
  auto validated = (*provider)->ValidateWithPlugin(nlohmann::json{{"token", "t"}});
  REQUIRE_FALSE(validated.ok());
  CHECK(validated.status().Is(Code::kPluginUnavailable));

  // A plugin that answers in time again is served by a new runner.
  ::setenv("SB_FIXTURE_VALIDATE_MS", "0", 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past the backoff
  Result<std::vector<FieldError>> answered = Status::Error(Code::kInternal, "");
  for (int i = 0; i < 20 && !answered.ok(); ++i) {
    answered = (*provider)->ValidateWithPlugin(nlohmann::json{{"token", "bad"}});
    if (!answered.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  REQUIRE(answered.ok());
  REQUIRE(answered->size() == 1);
  CHECK((*answered)[0].code == "fixture_bad_token");
  CHECK(channel.runner_pid() != stuck);
  ::unsetenv("SB_FIXTURE_VALIDATE_MS");
}

TEST_CASE("a provider's runner lives as long as the provider, and stops with it") {
  auto provider = LoadPlugin(BuiltPlugin("openai"), Isolated());
  REQUIRE(provider.ok());
  const int pid = RunnerOf(**provider).runner_pid();
  REQUIRE(::kill(pid, 0) == 0);
  provider = Status::Error(Code::kPluginUnavailable, "");  // the last reference
  CHECK(::kill(pid, 0) != 0);  // stopped and reaped before the channel went
}

TEST_CASE("the runner serves from inside its sandbox: seccomp filter, no_new_privs, no core dumps") {
  auto provider = LoadPlugin(BuiltPlugin("openai"), Isolated());
  REQUIRE(provider.ok());
  // A call first, so the runner is past its hello and serving.
  REQUIRE((*provider)->ValidateWithPlugin(nlohmann::json{{"api_key", "not-a-key"}}).ok());
  const int pid = RunnerOf(**provider).runner_pid();
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string text((std::istreambuf_iterator<char>(status)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Contains("NoNewPrivs:\t1"));
  CHECK_THAT(text, Contains("Seccomp:\t2"));  // filter mode
  const auto report = nlohmann::json::parse(RunnerOf(**provider).sandbox_report());
  CHECK(report["enabled"] == true);
  CHECK(report["seccomp"] == true);
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  std::string lines((std::istreambuf_iterator<char>(limits)), std::istreambuf_iterator<char>());
  CHECK_THAT(lines, Contains("Max address space         268435456"));
  CHECK_THAT(lines, Contains("Max core file size        0"));
}

TEST_CASE("the runner gets none of the host's SWITCHBOARD_ variables, which may hold the master key") {
  // The runner's environment is read from /proc while it runs.
  ::setenv("SWITCHBOARD_MASTER_KEY", "a-secret-the-plugin-must-not-see", 1);
  ::setenv("SB_FIXTURE_VISIBLE", "yes", 1);
  auto provider = LoadPlugin(BuiltPlugin("openai"), Isolated());
  ::unsetenv("SWITCHBOARD_MASTER_KEY");
  REQUIRE(provider.ok());
  const int pid = RunnerOf(**provider).runner_pid();
  std::ifstream environ("/proc/" + std::to_string(pid) + "/environ");
  std::string text((std::istreambuf_iterator<char>(environ)), std::istreambuf_iterator<char>());
  CHECK(text.find("SB_FIXTURE_VISIBLE=yes") != std::string::npos);
  CHECK(text.find("SWITCHBOARD_") == std::string::npos);
  ::unsetenv("SB_FIXTURE_VISIBLE");
}

TEST_CASE("the runner holds no descriptor of the host's but its channel and output") {
  const int held = ::dup(0);  // a descriptor of the host's that must not leak
  auto provider = LoadPlugin(BuiltPlugin("openai"), Isolated());
  REQUIRE(provider.ok());
  const int pid = RunnerOf(**provider).runner_pid();
  std::vector<int> fds;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    fds.push_back(std::stoi(entry.path().filename().string()));
  }
  std::sort(fds.begin(), fds.end());
  // stdin, stdout, stderr, the channel.
  CHECK(fds == std::vector<int>{0, 1, 2, 3});
  ::close(held);
}

}  // namespace
}  // namespace switchboard
