// Flows using their connections: the proxy (a request to the provider with the
// connection's authorization applied) and the credentials endpoint (the authorization
// itself, for a runtime with its own client).
//
// Every use reads the connection first: an inactive one is refused (connection_inactive,
// its status reason in the message) until a reconnect makes it active again. The
// authorization comes from the plugin (authorize_step) through CredentialCache, so an
// OAuth2 refresh happens once for any number of concurrent uses, and inside the
// connection's ProbeService slot, so a probe, a reconnect and a refresh never spend one
// refresh token twice. A refresh the provider refuses (invalid_grant) is applied as a
// probe verdict: the connection turns inactive with the provider's reason and an event.
//
// A proxied answer with an error status is read by the plugin (classify_response); one
// that says the credentials are invalid or lack permission drops the cached
// authorization and runs a probe of the connection, at most one per connection per
// kTrafficProbeInterval, whose verdict decides the status. Rate limits and outages
// change nothing.
//
// Uses are counted (UsageCounter) per connection and per user ("flow/daily", "admin").
// THREADS: safe for concurrent use; `done` runs on an io_context thread (or the caller's
// when the use is refused before any I/O).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include <switchboard/authorize.hpp>
#include <switchboard/probe.hpp>

#include "common/status.hpp"
#include "probe/authorize_runner.hpp"
#include "probe/concurrency_limiter.hpp"
#include "probe/credential_cache.hpp"
#include "probe/probe_service.hpp"
#include "probe/proxy_rules.hpp"
#include "probe/usage_counter.hpp"
#include "probe_net/http_client.hpp"
#include "service/connection_service.hpp"

namespace switchboard::probe {

struct ProxyLimits {
  // Each request in flight holds its body and the answer (up to --max-body and
  // --proxy-max-response): these bound the memory the proxy can take; more wait.
  size_t global = 512;        // proxied requests in flight
  size_t per_provider = 256;  // ... to one provider
  size_t classify_body_bytes = 65536;  // of an error answer, what the plugin reads
};

// One network thread's io_context and the proxy's client that runs on it.
struct ProxyLane {
  boost::asio::io_context* io;
  HttpClient* client;  // must not follow redirects
};

// What the credentials endpoint hands out.
struct IssuedCredentials {
  std::shared_ptr<const UsableAuthorization> authorization;
};

class ConnectionUse {
 public:
  static constexpr std::chrono::seconds kTrafficProbeInterval{60};
  // An answer body up to this size is redacted on the network thread that read it (well
  // under a millisecond); a larger one on a pool of its own.
  static constexpr size_t kRedactedInline = 16 * 1024;

  // `network`: the HTTP server's I/O threads' io_contexts (one or more), each with a
  // proxy client of its own: a call is proxied on the thread its caller's request came
  // in on (the first lane's when it comes from elsewhere), and nothing there waits. What
  // may wait — a plugin call (authorize_step, classify_response; in-process plugins run
  // on the calling thread), a store write — runs on `probes`, the io_context of
  // `refresh_client`, the probes' client.
  ConnectionUse(boost::asio::io_context& probes, std::vector<ProxyLane> network, ConnectionService& connections,
                ProbeService& probe_service, HttpClient& refresh_client, UsageCounter& usage, ProxyLimits limits = {});

  // Forwards `call` to the provider of connection `id` on behalf of `user`. The answer is
  // the provider's (any status), with ReturnedHeaders and every secret taken out. Fails
  // with not_found, connection_inactive, path_refused, provider_cannot_authorize,
  // authorization_failed (the provider could not authorize now), provider_unreachable,
  // provider_timeout, provider_response_too_large, plugin_* codes.
  using ProxyDone = std::function<void(Result<HttpResponse>)>;
  void Proxy(const std::string& project, const std::string& id, const std::string& user, ProxyCall call,
             ProxyDone done);

  // The authorization of connection `id`, for `user`'s runtime. Fails like Proxy.
  using CredentialsDone = std::function<void(Result<IssuedCredentials>)>;
  void Credentials(const std::string& project, const std::string& id, const std::string& user, CredentialsDone done);

  // Traffic-triggered probes started so far, authorization fetches: for metrics and tests.
  uint64_t traffic_probes() const;
  uint64_t authorization_fetches() const { return cache_.fetches(); }

 private:
  struct InUse {
    std::shared_ptr<const ConnectionInUse> connection;
    std::shared_ptr<const UsableAuthorization> authorization;
  };
  using Authorized = std::function<void(Result<InUse>)>;
  // Reads the connection, refuses an inactive one, and gets its authorization.
  void Authorize(const std::string& project, const std::string& id, Authorized done);
  // The fetch CredentialCache runs on a miss: one authorization inside the connection's slot.
  void FetchAuthorization(const std::string& project, const std::string& id, CredentialCache::FetchDone done);
  // On `probes`: asks the plugin what the error answer `excerpt` (its body cut to
  // classify_body_bytes) to `sent` (method and URL without its query) says.
  void Classify(const ConnectionRecord& record, const HttpRequest& sent, const HttpResponse& excerpt);
  void ProbeFromTraffic(const std::string& project, const std::string& id);
  // The lane of the thread calling, or the first.
  const ProxyLane& LaneHere() const;

  boost::asio::io_context& probes_io_;
  ConnectionService& connections_;
  ProbeService& probes_;
  std::vector<ProxyLane> network_;
  AuthorizeRunner runner_;
  UsageCounter& usage_;
  ProxyLimits limits_;
  ConcurrencyLimiter limiter_;
  CredentialCache cache_;
  mutable std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_traffic_probe_;
  uint64_t traffic_probes_ = 0;
  // Last: joined before anything its tasks might use is destroyed.
  boost::asio::thread_pool large_answers_{2};
};

// connection_inactive for `record`, its status reason in the message.
Status InactiveConnection(const ConnectionRecord& record);

}  // namespace switchboard::probe
