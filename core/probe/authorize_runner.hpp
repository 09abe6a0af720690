// Drives a provider plugin's authorize steps (ABI 1.1) the way ProbeRunner drives a
// probe: asks the plugin for a step, performs the request it wants (an OAuth2 refresh)
// on the host's HTTP client, hands back the response, until the plugin grants an
// authorization or refuses.
//
// The outcome is exactly one of: a grant (what to add to requests, and where they may
// go); a refusal, a probe result the caller applies to the connection (invalid_grant ->
// inactive); or a failure of the plugin or the host (provider_cannot_authorize for a
// plugin that cannot say, plugin_* codes, host errors). A request that gets no HTTP
// response is a transient refusal named after the client's error code. Refusals are
// redacted of every secret the steps have seen; a grant carries secrets by nature and
// must only reach the proxy, the cache and the credentials endpoint.
// THREADS: Run is safe to call from any thread; `done` runs on an io_context thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>
#include <switchboard/authorize.hpp>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"
#include "probe_net/http_client.hpp"

namespace switchboard::probe {

struct AuthorizeOutcome {
  std::optional<Authorization> grant;
  std::optional<ProbeResult> refusal;
  Status failure;  // ok when there is a grant or a refusal
};

class AuthorizeRunner {
 public:
  static constexpr int kMaxSteps = 4;

  AuthorizeRunner(boost::asio::io_context& io, HttpClient& client) : io_(io), client_(client) {}

  // Authorizes requests of a connection of `provider` whose config (secrets unsealed) is
  // `config`.
  void Run(std::shared_ptr<const LoadedProvider> provider, nlohmann::json config,
           std::function<void(AuthorizeOutcome)> done);

 private:
  struct InFlight;
  void Step(std::shared_ptr<InFlight> run, const HttpResponse* response);
  void OnStep(std::shared_ptr<InFlight> run, Result<AuthorizeStep> step);

  boost::asio::io_context& io_;
  HttpClient& client_;
};

}  // namespace switchboard::probe
