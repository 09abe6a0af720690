// A plugin in a sandboxed runner process of its own (switchboard-plugin-runner), reached
// over a socketpair (runner/channel_frames.hpp), supervised:
//   - every call has a deadline; one that passes fails that call with plugin_timeout and
//     restarts the runner (a plugin stuck in a loop holds a runner thread for good);
//   - a runner that ends (a crash, exit, the sandbox's kill) fails the calls in flight
//     with plugin_crashed, saying how it ended;
//   - the next call starts a new runner: at once after one failure, then after a
//     backoff doubling from 100 ms to 30 s while failures follow each other; from the
//     fifth in a row the provider reads as unavailable until a call succeeds again.
// What the runner writes to stdout and stderr goes to the host log, line by line; its
// sandbox's refusals ("sandbox: denied ...") are counted as well.
// THREADS: safe for concurrent use; each runner has one thread of its own, on which
// the calls' `done` run.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "plugins/plugin_host_options.hpp"
#include "plugins/provider_channel.hpp"

namespace switchboard {

class SubprocessChannel final : public ProviderChannel, public std::enable_shared_from_this<SubprocessChannel> {
 public:
  // Starts the first runner and waits for its hello. Fails with the loader's reason when
  // the runner refuses the library (plugin_library.hpp), "plugin_crashed" when it ends
  // while loading it, "plugin_timeout" when it does not answer in time, and
  // "runner_unavailable" when no runner can be started.
  static Result<std::shared_ptr<SubprocessChannel>> Open(const std::filesystem::path& plugin,
                                                          const PluginHostOptions& options);
  ~SubprocessChannel() override;

  void Start(PluginMethod method, std::string input, CallOptions options, Done done) override;
  uint32_t abi_version() const override { return abi_version_; }
  PluginMethods methods() const override;
  PluginAvailability availability() const override;
  bool in_process() const override { return false; }
  void Shutdown() override;

  // The process id of the runner serving calls now, or -1 (tests kill it).
  int runner_pid() const;
  // What the runner's sandbox reported at start ({} without a runner).
  std::string sandbox_report() const;

  class Runner;  // one runner process and its thread

  SubprocessChannel(std::filesystem::path plugin, PluginHostOptions options);

 private:
  // A runner to send to, started when there is none and the backoff allows.
  Result<std::shared_ptr<Runner>> CurrentRunner();
  // Starts a runner and waits for its hello; under start_mutex_.
  Result<std::shared_ptr<Runner>> Launch();
  static std::chrono::milliseconds BackoffAfter(int failures);
  void RecordFailure(const std::string& reason);  // under mutex_
  void OnRunnerLost(const Runner* runner, const std::string& reason);
  void OnCallSucceeded();

  const std::filesystem::path plugin_;
  const PluginHostOptions options_;
  std::atomic<uint32_t> abi_version_{0};

  std::mutex start_mutex_;   // held while a runner starts
  mutable std::mutex mutex_;  // guards what follows
  std::shared_ptr<Runner> current_;
  int consecutive_failures_ = 0;
  std::chrono::steady_clock::time_point next_start_{};
  std::string last_failure_;
  uint64_t restarts_ = 0;
  std::shared_ptr<std::atomic<uint64_t>> sandbox_denials_;
  bool shut_down_ = false;
  PluginMethods methods_ = PluginMethods::Required();  // from the last runner's hello
};

}  // namespace switchboard
