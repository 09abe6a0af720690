#include "probe/connection_use.hpp"

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "probe/probe_runner.hpp"

namespace switchboard::probe {

using nlohmann::json;

namespace {

std::string Key(const std::string& project, const std::string& id) { return project + '\0' + id; }

// What a fetch that got no answer means for the caller.
Status NoAnswer(const FetchError& error) {
  if (error.code == "timeout") return Status::Error(Code::kProviderTimeout, "the provider did not answer in time: " + error.message);
  if (error.code == "response_too_large") {
    return Status::Error(Code::kProviderResponseTooLarge, "the provider's answer is larger than the proxy passes on");
  }
  if (error.RefusedByEgressPolicy()) {
    return Status::Error(Code::kProviderUnreachable, "the egress policy refuses the provider's address: " + error.message);
  }
  return Status::Error(Code::kProviderUnreachable, "the provider could not be reached (" + error.code + "): " + error.message);
}

// The secrets a grant carries, added to the connection's: header values and query values.
void AddGrantSecrets(const Authorization& grant, SecretRedactor& redactor) {
  HttpRequest as_sent;
  as_sent.headers = grant.headers;
  for (const auto& [name, value] : grant.headers) redactor.Add(value);
  for (const auto& [name, value] : grant.query) redactor.Add(value);
  redactor.AddFromRequest(as_sent);
}

}  // namespace

Status InactiveConnection(const ConnectionRecord& record) {
  const std::string reason = record.status_reason.empty() ? "its credentials stopped working" : record.status_reason;
  return Status::Error(Code::kConnectionInactive, "connection '" + record.name + "' is inactive: " + reason +
                                                      " Reconnect it to use it again.");
}

ConnectionUse::ConnectionUse(boost::asio::io_context& probes, std::vector<ProxyLane> network,
                             ConnectionService& connections, ProbeService& probe_service, HttpClient& refresh_client,
                             UsageCounter& usage, ProxyLimits limits)
    : probes_io_(probes),
      connections_(connections),
      probes_(probe_service),
      network_(std::move(network)),
      runner_(probes, refresh_client),
      usage_(usage),
      limits_(limits),
      limiter_(*network_.at(0).io, limits.global, limits.per_provider) {}

const ProxyLane& ConnectionUse::LaneHere() const {
  for (const ProxyLane& lane : network_) {
    if (lane.io->get_executor().running_in_this_thread()) return lane;
  }
  return network_.front();
}

void ConnectionUse::Authorize(const std::string& project, const std::string& id, Authorized done) {
  auto connection = connections_.GetForUse(project, id);
  if (!connection.ok()) return done(connection.status());
  std::shared_ptr<const ConnectionInUse> in_use = std::move(connection).value();
  if (in_use->record.status == kStatusInactive) return done(InactiveConnection(in_use->record));
  // A fetch reads and writes the store and calls the plugin: not on the caller's thread.
  auto fetch = [this, project, id](CredentialCache::FetchDone fetched) {
    boost::asio::post(probes_io_, [this, project, id, fetched = std::move(fetched)]() mutable {
      FetchAuthorization(project, id, std::move(fetched));
    });
  };
  const std::string& digest = in_use->credentials_digest;
  cache_.Get(Key(project, id), digest, fetch,
             [in_use, done = std::move(done)](Result<std::shared_ptr<const UsableAuthorization>> usable) {
               if (!usable.ok()) return done(usable.status());
               done(InUse{in_use, *usable});
             });
}

void ConnectionUse::FetchAuthorization(const std::string& project, const std::string& id,
                                       CredentialCache::FetchDone done) {
  probes_.WithCredentials(project, id, [this, project, id, done = std::move(done)](std::function<void()> release) {
    auto finish = [release, done](Result<CredentialCache::Fetched> fetched) {
      done(std::move(fetched));
      release();
    };
    // The credentials as they are now: a probe that ran before may have rotated them.
    auto row = connections_.Get(project, id);
    if (!row.ok()) return finish(row.status());
    if (row->record.status == kStatusInactive) return finish(InactiveConnection(row->record));
    auto provider = connections_.providers().Find(row->record.provider);
    if (!provider) {
      return finish(Status::Error(Code::kUnknownProvider, "provider '" + row->record.provider + "' is not loaded"));
    }
    auto config = connections_.UnsealedConfig(row->record);
    if (!config.ok()) return finish(config.status());
    auto secrets = std::make_shared<SecretRedactor>();
    secrets->AddFields(*config, provider->secret_fields());
    runner_.Run(provider, std::move(config).value(),
                [this, record = row->record, provider, secrets, finish](AuthorizeOutcome outcome) {
                  if (outcome.grant) {
                    auto stored = connections_.RecordAuthorization(record, outcome.grant->config_update,
                                                                   outcome.grant->expires_at);
                    if (!stored.ok()) return finish(stored.status());
                    auto usable = std::make_shared<UsableAuthorization>();
                    usable->redactor = *secrets;
                    AddGrantSecrets(*outcome.grant, usable->redactor);
                    usable->redactor.AddFields(outcome.grant->config_update, provider->secret_fields());
                    usable->grant = std::move(*outcome.grant);
                    usable->grant.config_update = json::object();  // stored; never handed out
                    return finish(CredentialCache::Fetched{usable, ConnectionService::CredentialsDigest(stored->record)});
                  }
                  if (outcome.refusal) {
                    const ProbeResult& refusal = *outcome.refusal;
                    if (StatusAfter(refusal.outcome)) {
                      auto judged = probes_.ApplyVerdict(record, refusal);
                      if (judged.ok() && judged->record.status == kStatusInactive) {
                        return finish(InactiveConnection(judged->record));
                      }
                    }
                    const std::string said = refusal.message.empty() ? refusal.reason : refusal.message;
                    return finish(Status::Error(Code::kAuthorizationFailed,
                                                "the provider could not authorize requests now (" + refusal.reason +
                                                    "): " + said));
                  }
                  finish(outcome.failure);
                });
  });
}

void ConnectionUse::Proxy(const std::string& project, const std::string& id, const std::string& user, ProxyCall call,
                          ProxyDone done) {
  if (Status s = CheckProxyPath(call.path); !s.ok()) return done(s);
  if (Status s = CheckProxyQuery(call.query); !s.ok()) return done(s);
  auto shared_call = std::make_shared<ProxyCall>(std::move(call));
  Authorize(project, id, [this, project, id, user, shared_call, done = std::move(done)](auto authorized) mutable {
    if (!authorized.ok()) return done(authorized.status());
    auto [connection, usable] = std::move(authorized).value();
    const Authorization& grant = usable->grant;
    if (grant.origins.empty()) {
      return done(Status::Error(Code::kOriginRefused, "the provider plugin granted no origin to send requests to"));
    }
    HttpRequest request;
    request.method = shared_call->method;
    request.url = ProxyUrl(grant.origins.front(), *shared_call, grant.query);
    request.headers = ForwardedHeaders(shared_call->headers, grant.headers);
    request.body = std::move(shared_call->body);
    usage_.Count(project, id, user, NowRfc3339());
    const ProxyLane& lane = LaneHere();
    limiter_.Submit(connection->record.provider, [this, client = lane.client, connection, usable,
                                                  request = std::move(request),
                                                  done = std::move(done)](ConcurrencyLimiter::Release release) mutable {
      // What classification may see of the request: no body, no headers, no query (it can
      // carry the grant's parameters). Kept apart so the request itself is moved, not copied.
      HttpRequest sent{request.method, WithoutQuery(request.url), {}, {}};
      client->Fetch(std::move(request), [this, connection, usable, sent = std::move(sent), release,
                                         done = std::move(done)](FetchResult fetched) mutable {
        release();
        if (auto* error = std::get_if<FetchError>(&fetched)) return done(NoAnswer(*error));
        HttpResponse answer = std::move(std::get<HttpResponse>(fetched));
        if (answer.status >= 400) {
          HttpResponse excerpt{answer.status, answer.headers, answer.body.substr(0, limits_.classify_body_bytes)};
          boost::asio::post(probes_io_, [this, connection, sent = std::move(sent), excerpt = std::move(excerpt)] {
            try {
              Classify(connection->record, sent, excerpt);
            } catch (const std::exception& e) {
              log::Error(std::string("classifying a proxied answer failed: ") + e.what());
            }
          });
        }
        // Redaction reads the whole answer: a large one is redacted off the network threads.
        auto redacted = [usable, done = std::move(done)](HttpResponse answer) {
          RedactAnswer(usable->redactor, answer);
          done(std::move(answer));
        };
        if (answer.body.size() <= kRedactedInline) return redacted(std::move(answer));
        boost::asio::post(large_answers_, [redacted = std::move(redacted), answer = std::move(answer)]() mutable {
          redacted(std::move(answer));
        });
      });
    }, lane.io);
  });
}

void ConnectionUse::Credentials(const std::string& project, const std::string& id, const std::string& user,
                                CredentialsDone done) {
  Authorize(project, id, [this, project, id, user, done = std::move(done)](auto authorized) {
    if (!authorized.ok()) return done(authorized.status());
    usage_.Count(project, id, user, NowRfc3339());
    done(IssuedCredentials{authorized->authorization});
  });
}

void ConnectionUse::Classify(const ConnectionRecord& record, const HttpRequest& sent, const HttpResponse& excerpt) {
  auto provider = connections_.providers().Find(record.provider);
  if (!provider) return;
  auto config = connections_.UnsealedConfig(record);
  if (!config.ok()) return;
  // The plugin sees the request as the caller sent it: without the credentials added.
  json request = {{"method", sent.method}, {"url", sent.url}, {"headers", json::object()}, {"body", ""}};
  json input = {{"config", *config}, {"request", request}, {"response", ResponseForPlugin(excerpt)}};
  const std::string project = record.project, id = record.id;
  provider->StartClassifyResponse(input, [this, project, id, status = excerpt.status](Result<Classification> read) {
    const Classification verdict = read.ok() ? *read : ClassifyByStatus(status);
    if (verdict.kind != ResponseClass::kInvalidCredentials && verdict.kind != ResponseClass::kMissingPermission) return;
    ProbeFromTraffic(project, id);
  });
}

void ConnectionUse::ProbeFromTraffic(const std::string& project, const std::string& id) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto [it, first] = last_traffic_probe_.emplace(Key(project, id), now);
    if (!first && now - it->second < kTrafficProbeInterval) return;
    it->second = now;
    ++traffic_probes_;
  }
  // A revoked access token is fetched again; no more than once a minute either, or
  // answers that only say "not this mailbox" would spend a refresh each.
  cache_.Forget(Key(project, id));
  probes_.ProbeStored(project, id, [](Result<ProbeReport>) {});
}

uint64_t ConnectionUse::traffic_probes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return traffic_probes_;
}

}  // namespace switchboard::probe
