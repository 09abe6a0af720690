#include "probe/probe_runner.hpp"

#include <utility>

#include "common/log.hpp"

namespace switchboard::probe {

using nlohmann::json;

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

  // The one exit of a probe: whatever the plugin or the transport said is redacted here,
  // before anyone (observer, store, events, webhooks, the API) sees it.
  void Finish(ProbeResult result) {
    if (provider) {
      redactor.AddFields(result.config_update, provider->secret_fields());
      redactor.AddFromJson(result.config_update);
    }
    redactor.Redact(result);
    release();
    done(std::move(result));
  }
};

ProbeRunner::ProbeRunner(boost::asio::io_context& io, HttpClient& client, ProbeLimits limits)
    : client_(client), limits_(limits), limiter_(io, limits.global, limits.per_provider) {}

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
    auto subject = prepare();
    if (!subject.ok()) return probe->Finish(TransientResult(subject.status().code(), subject.status().message()));
    probe->provider = std::move(subject->provider);
    probe->config = std::move(subject->config);
    probe->redactor.AddFields(probe->config, probe->provider->secret_fields());
    Step(probe, nullptr);
  });
}

void ProbeRunner::Step(std::shared_ptr<Probe> probe, const HttpResponse* response) {
  json input = {{"config", probe->config}, {"state", probe->state}, {"response", nullptr}};
  if (response != nullptr) input["response"] = *response;
  Result<ProbeStep> step = Status::Error("plugin_error", "not called");
  {
    // What the plugin logs during this call cannot carry this probe's secrets.
    log::ScopedLineFilter redact_logs([&](std::string_view line) { return probe->redactor.Redact(line); });
    step = probe->provider->ProbeStepWithPlugin(input);
  }
  if (!step.ok()) {
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
  client_.Fetch(*step->request(), [this, probe](FetchResult fetched) {
    if (auto* error = std::get_if<FetchError>(&fetched)) {
      return probe->Finish(TransientResult(error->code, "The provider could not be reached: " + error->message));
    }
    const auto& response = std::get<HttpResponse>(fetched);
    probe->redactor.AddFromResponse(response);
    Step(probe, &response);
  });
}

}  // namespace switchboard::probe
