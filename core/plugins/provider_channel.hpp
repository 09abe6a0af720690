// The one way the host talks to a provider plugin: a call of one of its functions with a
// JSON input, answered once, by a deadline. Two implementations: the plugin's library
// loaded in the host's own process (InProcessChannel, for debugging and benchmarks), and
// the plugin in a sandboxed runner process of its own (SubprocessChannel, the default),
// where a crash, hang or hostile plugin cannot touch the host.
// THREADS: every method may be called from any thread, concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace switchboard {

// The provider functions of the C ABI (sb_provider_v1) a call can reach. describe,
// validate and probe_step every plugin has; authorize_step and classify_response (ABI
// 1.1) only a plugin whose table has them (ProviderChannel::Has).
enum class PluginMethod : uint8_t {
  kDescribe = 1,
  kValidate = 2,
  kProbeStep = 3,
  kAuthorizeStep = 4,
  kClassifyResponse = 5
};
const char* PluginMethodName(PluginMethod method);
// The method named `name` (PluginMethodName's), if any.
std::optional<PluginMethod> PluginMethodNamed(std::string_view name);

// A set of methods: which functions a plugin's table has.
class PluginMethods {
 public:
  PluginMethods() = default;
  // describe, validate and probe_step: what every loaded plugin has.
  static PluginMethods Required();
  void Add(PluginMethod method) { bits_ |= Bit(method); }
  bool Has(PluginMethod method) const { return (bits_ & Bit(method)) != 0; }

 private:
  static uint32_t Bit(PluginMethod method) { return 1u << static_cast<uint8_t>(method); }
  uint32_t bits_ = 0;
};

// What the plugin wrote, verbatim: the host parses it under plugin_limits.hpp.
struct PluginOutput {
  bool plugin_error = false;  // the function returned SB_ERROR
  std::string text;
};

struct CallOptions {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Applied to every line the plugin logs during this call, before it is written (the
  // probe's secrets come out of it). Empty: lines are written as they are.
  std::function<std::string(std::string_view)> redact_log;
};

// Where a provider's plugin stands, for plugins list, /v1/providers, /healthz, /metrics.
struct PluginAvailability {
  enum class State { kAvailable, kRestarting, kUnavailable };
  State state = State::kAvailable;
  std::string reason;  // why it is not available: the last failure, in a sentence
  uint64_t restarts = 0;
  uint64_t sandbox_denials = 0;  // system calls the sandbox refused
};
const char* AvailabilityStateName(PluginAvailability::State state);

class ProviderChannel {
 public:
  using Done = std::function<void(Result<PluginOutput>)>;
  virtual ~ProviderChannel() = default;

  // Calls `method` with `input` (JSON text; empty for describe). `done` runs exactly
  // once: with the plugin's output, or with a failure coded
  //   plugin_crashed      the plugin's process ended during the call
  //   plugin_timeout      the deadline passed first (the process is restarted)
  //   plugin_unavailable  the plugin is not running (restarting, or given up on)
  //   too_large           the output was over the largest a plugin may return (the
  //                       message is its size: "<n> bytes")
  // It runs on the calling thread (in-process) or the channel's own thread, and must not
  // block.
  virtual void Start(PluginMethod method, std::string input, CallOptions options, Done done) = 0;

  // Start, waiting for the answer.
  Result<PluginOutput> Call(PluginMethod method, std::string input, CallOptions options);

  // The ABI version the plugin was built against.
  virtual uint32_t abi_version() const = 0;
  // The functions the plugin's table has: a method it lacks is never called (Start
  // answers it with a plugin error, coded "function_absent", or for authorize_step
  // "provider_cannot_authorize", without reaching the plugin).
  virtual PluginMethods methods() const = 0;
  bool Has(PluginMethod method) const { return methods().Has(method); }
  virtual PluginAvailability availability() const = 0;
  // True when calls reach the plugin in the host's own process.
  virtual bool in_process() const = 0;
  // The host is stopping: calls in flight fail now (their runner is stopped) and later
  // ones fail plugin_unavailable. In-process, calls cannot be cut short: nothing happens.
  virtual void Shutdown() {}
};

}  // namespace switchboard
