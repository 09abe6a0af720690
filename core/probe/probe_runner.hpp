// Drives a provider plugin's probe state machine: asks the plugin for a step, performs
// the request it wants on the host's HTTP client, hands back the response, until the
// plugin gives its verdict.
//
// Probes run under a global and a per-provider concurrency limit. A request that gets
// no HTTP response ends the probe as `transient` (reason = the client's error code)
// without asking the plugin again, except one the egress policy refused: that ends it as
// `invalid_credentials` with reason destination_not_allowed and the URL field it came
// from (probe_net/destination.hpp); a plugin that fails or loops ends it as `transient`
// with reason "plugin_error" or "too_many_steps", one whose output is malformed or over
// plugin_limits.hpp with "plugin_output_invalid", one that crashes, overruns its deadline
// or is not running with "plugin_crashed", "plugin_timeout" or "plugin_unavailable"
// (provider_channel.hpp), and anything else that goes wrong in a
// step (an exception) with "host_error": a probe never takes the process down.
// Provider replies reach the plugin as valid UTF-8 (invalid bytes become U+FFFD).
// Every verdict leaves through one place that redacts the connection's secrets from it
// (see secret_redactor.hpp).
// THREADS: Run is safe to call from any thread; `done` runs on an io_context thread.
#pragma once

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"
#include "probe/concurrency_limiter.hpp"
#include "probe_net/http_client.hpp"
#include "secrets/secret_redactor.hpp"

namespace switchboard::probe {

struct ProbeLimits {
  size_t global = 256;        // probes in flight across all providers
  size_t per_provider = 256;  // probes in flight of one provider
  int max_steps = 8;          // requests one probe may make
};

class ProbeRunner {
 public:
  ProbeRunner(boost::asio::io_context& io, HttpClient& client, ProbeLimits limits);

  // What a probe needs, produced only once it may start, so queued probes hold no secrets.
  struct Subject {
    std::shared_ptr<const LoadedProvider> provider;
    nlohmann::json config;  // secrets unsealed
  };
  using Prepare = std::function<Result<Subject>()>;

  // Queues a probe of a connection of `provider_id` (the per-provider limit's key).
  // `prepare` runs when the probe starts; when it fails, `done` gets a transient
  // result with the failure's code as reason.
  void Run(const std::string& provider_id, Prepare prepare, std::function<void(ProbeResult)> done);


  // Told of every verdict (for metrics); set before the first Run.
  using Observer = std::function<void(const std::string& provider_id, const ProbeResult& result)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }

 private:
  struct Probe;
  void Step(std::shared_ptr<Probe> probe, const HttpResponse* response);
  void TakeStep(std::shared_ptr<Probe> probe, const HttpResponse* response);
  void OnStep(std::shared_ptr<Probe> probe, Result<ProbeStep> step);
  void ContinueAfter(std::shared_ptr<Probe> probe, Result<ProbeStep> step);
  void EndOnThrow(const std::shared_ptr<Probe>& probe, const std::function<void()>& step);

  boost::asio::io_context& io_;
  HttpClient& client_;
  ProbeLimits limits_;
  ConcurrencyLimiter limiter_;
  Observer observer_;
};

// A verdict for a probe that could not reach the provider or could not be judged.
ProbeResult TransientResult(const std::string& reason, const std::string& message);

// A provider's reply as a plugin may see it: valid UTF-8 throughout (a Latin-1 error page
// becomes U+FFFD where it is not UTF-8), so it can always cross the ABI as JSON.
nlohmann::json ResponseForPlugin(const HttpResponse& response);

}  // namespace switchboard::probe
