#include "probe/probe_runner.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>

#include "common/utf8.hpp"
#include "common/log.hpp"
#include "probe_net/destination.hpp"

namespace switchboard::probe {

using nlohmann::json;

// A day: the scheduler backs off at most an interval anyway.
constexpr double kMaxRetryAfterSeconds = 86400;

ProbeResult TransientResult(const std::string& reason, const std::string& message) {
  ProbeResult result;
  result.outcome = Outcome::kTransient;
  result.reason = reason;
  result.message = message;
  return result;
}

struct ProbeRunner::Probe {
  std::shared_ptr<const LoadedProvider> provider;
  json config;
  json state = nullptr;
  int steps = 0;
  std::function<void(ProbeResult)> done;
  ConcurrencyLimiter::Release release;
  SecretRedactor redactor;  // every secret this probe has seen so far
  bool finished = false;

  // The one exit of a probe, once only (a step that throws after its verdict must not
  // finish the probe again): whatever the plugin or the transport said is redacted here,
  // before anyone (observer, store, events, webhooks, the API) sees it.
  void Finish(ProbeResult result) {
    if (finished) return;
    finished = true;
    if (provider) {
      redactor.AddFields(result.config_update, provider->secret_fields());
      redactor.AddFromJson(result.config_update);
    }
    redactor.Redact(result);
    // A provider's Retry-After passes through the plugin unbounded (1e300 has been seen
    // from a fuzzed reply); every later use converts it to an integer.
    if (result.retry_after_seconds) {
      double& wait = *result.retry_after_seconds;
      if (!(wait >= 0)) wait = 0;  // NaN too
      wait = std::min(wait, kMaxRetryAfterSeconds);
    }
    release();
    done(std::move(result));
  }
};

json ResponseForPlugin(const HttpResponse& response) {
  json headers = json::object();
  for (const auto& [name, value] : response.headers) headers[ToValidUtf8(name)] = ToValidUtf8(value);
  return {{"status", response.status}, {"headers", headers}, {"body", ToValidUtf8(response.body)}};
}

ProbeRunner::ProbeRunner(boost::asio::io_context& io, HttpClient& client, ProbeLimits limits)
    : io_(io), client_(client), limits_(limits), limiter_(io, limits.global, limits.per_provider) {}

void ProbeRunner::Run(const std::string& provider_id, Prepare prepare, std::function<void(ProbeResult)> done) {
  auto probe = std::make_shared<Probe>();
  if (observer_) {
    probe->done = [observer = observer_, provider_id, done = std::move(done)](ProbeResult result) {
      observer(provider_id, result);
      done(std::move(result));
    };
  } else {
    probe->done = std::move(done);
  }
  limiter_.Submit(provider_id, [this, probe, prepare = std::move(prepare)](ConcurrencyLimiter::Release release) {
    probe->release = std::move(release);
    try {
      auto subject = prepare();
      if (!subject.ok()) return probe->Finish(TransientResult(subject.status().code_name(), subject.status().message()));
      probe->provider = std::move(subject->provider);
      probe->config = std::move(subject->config);
      probe->redactor.AddFields(probe->config, probe->provider->secret_fields());
    } catch (const std::exception& e) {
      log::Error(std::string("probe preparation failed: ") + e.what());
      return probe->Finish(TransientResult("host_error", "The host could not prepare this probe."));
    }
    Step(probe, nullptr);
  });
}

void ProbeRunner::Step(std::shared_ptr<Probe> probe, const HttpResponse* response) {
  EndOnThrow(probe, [&] { TakeStep(probe, response); });
}

void ProbeRunner::TakeStep(std::shared_ptr<Probe> probe, const HttpResponse* response) {
  json input = {{"config", probe->config}, {"state", probe->state}, {"response", nullptr}};
  if (response != nullptr) input["response"] = ResponseForPlugin(*response);
  // What the plugin logs during this call cannot carry this probe's secrets.
  auto redact_logs = [probe](std::string_view line) { return probe->redactor.Redact(line); };
  // The answer may come on the plugin channel's thread: the probe goes on on the io
  // context, like every other step.
  probe->provider->StartProbeStep(input, redact_logs, [this, probe](Result<ProbeStep> step) {
    boost::asio::post(io_, [this, probe, step = std::move(step)]() mutable { OnStep(probe, std::move(step)); });
  });
}

void ProbeRunner::OnStep(std::shared_ptr<Probe> probe, Result<ProbeStep> step) {
  EndOnThrow(probe, [&] { ContinueAfter(probe, std::move(step)); });
}

// Nothing a plugin or a provider sends may end the process: whatever throws in a step
// (they run on io_context threads) ends that probe as transient instead.
void ProbeRunner::EndOnThrow(const std::shared_ptr<Probe>& probe, const std::function<void()>& step) {
  try {
    step();
  } catch (const std::exception& e) {
    log::Error(std::string("probe step failed: ") + e.what());
    probe->Finish(TransientResult("host_error", "The host could not complete this probe step."));
  } catch (...) {
    log::Error("probe step failed with an unknown exception");
    probe->Finish(TransientResult("host_error", "The host could not complete this probe step."));
  }
}

void ProbeRunner::ContinueAfter(std::shared_ptr<Probe> probe, Result<ProbeStep> step) {
  if (!step.ok()) {
    const Code code = step.status().code();
    if (code == Code::kPluginOutputInvalid) {
      return probe->Finish(TransientResult("plugin_output_invalid",
                                           "The provider plugin's answer was refused: " + step.status().message()));
    }
    if (code == Code::kPluginCrashed) {
      return probe->Finish(TransientResult(step.status().code_name(), "The provider plugin crashed: " + step.status().message()));
    }
    if (code == Code::kPluginTimeout) {
      return probe->Finish(TransientResult(step.status().code_name(), "The provider plugin did not answer in time: " + step.status().message()));
    }
    if (code == Code::kPluginUnavailable) {
      return probe->Finish(TransientResult(step.status().code_name(), "The provider plugin is not available: " + step.status().message()));
    }
    return probe->Finish(TransientResult("plugin_error", "The provider plugin failed: " + step.status().message()));
  }
  if (step->finished()) return probe->Finish(*step->result());
  if (++probe->steps > limits_.max_steps) {
    return probe->Finish(TransientResult(
        "too_many_steps", "The provider plugin asked for more than " + std::to_string(limits_.max_steps) + " requests."));
  }
  probe->state = step->state();
  probe->redactor.AddFromRequest(*step->request());
  probe->redactor.AddFromJson(probe->state);
  client_.Fetch(*step->request(), [this, probe, url = step->request()->url](FetchResult fetched) {
    if (auto* error = std::get_if<FetchError>(&fetched)) {
      // A refused destination is the configuration's fault, not the network's.
      if (error->RefusedByEgressPolicy()) {
        return probe->Finish(DestinationRefused(probe->provider->field_schema(), probe->config, url, error->message));
      }
      return probe->Finish(TransientResult(error->code, "The provider could not be reached: " + error->message));
    }
    const auto& response = std::get<HttpResponse>(fetched);
    probe->redactor.AddFromResponse(response);
    Step(probe, &response);
  });
}

}  // namespace switchboard::probe
