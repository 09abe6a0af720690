#include "probe/probe_runner.hpp"

#include <utility>

#include "probe/destination.hpp"

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

  void Finish(ProbeResult result) {
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
    Step(probe, nullptr);
  });
}

void ProbeRunner::Step(std::shared_ptr<Probe> probe, const HttpResponse* response) {
  json input = {{"config", probe->config}, {"state", probe->state}, {"response", nullptr}};
  if (response != nullptr) input["response"] = *response;
  auto step = probe->provider->ProbeStepWithPlugin(input);
  if (!step.ok()) {
    return probe->Finish(TransientResult("plugin_error", "The provider plugin failed: " + step.status().message()));
  }
  if (step->finished()) return probe->Finish(*step->result());
  if (++probe->steps > limits_.max_steps) {
    return probe->Finish(TransientResult(
        "too_many_steps", "The provider plugin asked for more than " + std::to_string(limits_.max_steps) + " requests."));
  }
  probe->state = step->state();
  client_.Fetch(*step->request(), [this, probe, url = step->request()->url](FetchResult fetched) {
    if (auto* error = std::get_if<FetchError>(&fetched)) {
      // A refused destination is the configuration's fault, not the network's.
      if (error->code == "egress_refused") {
        return probe->Finish(DestinationRefused(probe->provider->field_schema(), probe->config, url, error->message));
      }
      return probe->Finish(TransientResult(error->code, "The provider could not be reached: " + error->message));
    }
    Step(probe, &std::get<HttpResponse>(fetched));
  });
}

}  // namespace switchboard::probe
