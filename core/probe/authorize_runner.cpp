#include "probe/authorize_runner.hpp"

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "probe/probe_runner.hpp"
#include "secrets/secret_redactor.hpp"

namespace switchboard::probe {

using nlohmann::json;

struct AuthorizeRunner::InFlight {
  std::shared_ptr<const LoadedProvider> provider;
  json config;
  json state = nullptr;
  int steps = 0;
  std::function<void(AuthorizeOutcome)> done;
  SecretRedactor redactor;  // every secret the steps have seen
  bool finished = false;

  void Finish(AuthorizeOutcome outcome) {
    if (finished) return;
    finished = true;
    if (outcome.refusal) redactor.Redact(*outcome.refusal);
    if (!outcome.failure.ok()) {
      outcome.failure = Status::Error(outcome.failure.code(), redactor.Redact(outcome.failure.message()));
    }
    config = json();  // the secrets go as soon as they are not needed
    done(std::move(outcome));
  }
  void Refuse(ProbeResult refusal) {
    AuthorizeOutcome outcome;
    outcome.refusal = std::move(refusal);
    Finish(std::move(outcome));
  }
  void Fail(Status failure) {
    AuthorizeOutcome outcome;
    outcome.failure = std::move(failure);
    Finish(std::move(outcome));
  }
  // Nothing a plugin or a provider sends may end the process.
  template <typename F>
  void EndOnThrow(F&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      log::Error(std::string("authorize step failed: ") + e.what());
      Fail(Status::Error(Code::kInternal, "the host could not complete an authorize step"));
    } catch (...) {
      log::Error("authorize step failed with an unknown exception");
      Fail(Status::Error(Code::kInternal, "the host could not complete an authorize step"));
    }
  }
};

void AuthorizeRunner::Run(std::shared_ptr<const LoadedProvider> provider, json config,
                          std::function<void(AuthorizeOutcome)> done) {
  auto run = std::make_shared<InFlight>();
  run->provider = std::move(provider);
  run->config = std::move(config);
  run->done = std::move(done);
  run->redactor.AddFields(run->config, run->provider->secret_fields());
  Step(run, nullptr);
}

void AuthorizeRunner::Step(std::shared_ptr<InFlight> run, const HttpResponse* response) {
  run->EndOnThrow([&] {
    json input = {{"config", run->config}, {"state", run->state}, {"response", nullptr}};
    if (response != nullptr) input["response"] = ResponseForPlugin(*response);
    auto redact_logs = [run](std::string_view line) { return run->redactor.Redact(line); };
    run->provider->StartAuthorizeStep(input, redact_logs, [this, run](Result<AuthorizeStep> step) {
      boost::asio::post(io_, [this, run, step = std::move(step)]() mutable {
        run->EndOnThrow([&] { OnStep(run, std::move(step)); });
      });
    });
  });
}

void AuthorizeRunner::OnStep(std::shared_ptr<InFlight> run, Result<AuthorizeStep> step) {
  if (!step.ok()) return run->Fail(step.status());
  if (step->authorization()) {
    AuthorizeOutcome outcome;
    outcome.grant = *step->authorization();
    return run->Finish(std::move(outcome));
  }
  if (step->refusal()) return run->Refuse(*step->refusal());
  if (++run->steps > kMaxSteps) {
    return run->Fail(Status::Error(Code::kPluginOutputInvalid, "the provider plugin asked for more than " +
                                                                    std::to_string(kMaxSteps) +
                                                                    " requests to authorize one connection"));
  }
  run->state = step->state();
  run->redactor.AddFromRequest(*step->request());
  run->redactor.AddFromJson(run->state);
  client_.Fetch(*step->request(), [this, run](FetchResult fetched) {
    if (auto* error = std::get_if<FetchError>(&fetched)) {
      return run->Refuse(TransientResult(error->code, "The provider could not be reached: " + error->message));
    }
    const auto& response = std::get<HttpResponse>(fetched);
    run->redactor.AddFromResponse(response);
    Step(run, &response);
  });
}

}  // namespace switchboard::probe
