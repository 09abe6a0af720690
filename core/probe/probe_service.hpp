// Credential probes of stored connections and of reconnect candidates, and what their
// verdicts do to a connection (see docs/probes.md).
//
// One connection is never probed twice at once: a probe asked for while one runs joins
// it and gets the same verdict, and a reconnect's probe waits for a running probe (and
// the other way round), so an OAuth2 refresh token is never spent by two refreshes.
// THREADS: safe for concurrent use; callbacks run on io_context threads.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>

#include "probe/probe_runner.hpp"
#include "service/connection_service.hpp"
#include "model/records.hpp"

namespace switchboard {
class Store;
}  // namespace switchboard

namespace switchboard::probe {

struct ProbeReport {
  ProbeResult result;
  std::string checked_at;
  ConnectionRow row;  // the connection after the verdict was applied
};

struct ReconnectReport {
  ProbeResult result;
  std::string checked_at;
  std::optional<ConnectionRow> row;  // set when the new credentials were stored
};

struct CreateReport {
  std::optional<ProbeResult> result;  // unset when created without a probe
  std::string checked_at;
  std::optional<ConnectionRow> row;   // set when stored; unset when the provider refused
};

// Receives every status change probes and reconnects make (for webhooks).
using StatusEventSink = std::function<void(const StatusEvent&)>;

class ProbeService {
 public:
  ProbeService(Store& store, ConnectionService& connections, ProbeRunner& runner, StatusEventSink sink = {});

  using ProbeDone = std::function<void(Result<ProbeReport>)>;

  // Probes a stored connection and applies the verdict. Fails with not_found.
  // `provider_id`, when the caller has just read the row (a bulk job lists them), spares
  // reading it again only to learn which provider's limit the probe queues under.
  void ProbeStored(const std::string& project, const std::string& id, ProbeDone done,
                   const std::string& provider_id = "");
  Result<ProbeReport> ProbeStoredAndWait(const std::string& project, const std::string& id);

  // Applies `change` (ConnectionService::Update). A changed config is stored unverified
  // and probed now, in the background (docs/probes.md); the row returned is as stored.
  Result<ConnectionRow> Update(const std::string& project, const std::string& id, const ConnectionChange& change);

  // Probes `config` as a reconnect of the connection; stores it (Active) only when valid.
  // Fails like ConnectionService::Update when the config is not valid (with the field
  // errors inside the Status). `done` runs on the calling thread when the config is refused before any
  // probe, otherwise on an io_context thread; the caller's thread is never parked.
  using ReconnectDone = std::function<void(Result<ReconnectReport>)>;
  void Reconnect(const std::string& project, const std::string& id, const nlohmann::json& config,
                 ReconnectDone done);
  Result<ReconnectReport> ReconnectAndWait(const std::string& project, const std::string& id,
                                           const nlohmann::json& config);

  // Creates a connection, probing it first unless `probe` is false: a refusing verdict
  // (invalid_credentials, missing_permission) stores nothing and `done` gets the report
  // without a row; valid stores it active; transient, or no probe, stores it unverified.
  // Validation failures, name_taken and plugin failures come as a failed Result with the
  // field errors inside the Status. `done` runs once, on the caller's thread when nothing was probed and
  // on an io_context thread otherwise.
  using CreateDone = std::function<void(Result<CreateReport>)>;
  void Create(const std::string& project, const ConnectionInput& input, bool probe, CreateDone done);
  Result<CreateReport> CreateAndWait(const std::string& project, const ConnectionInput& input, bool probe);

  // Probes `config` for `provider_id` without storing anything ("Test" in the Add form).
  // Fails like a create's validation (field errors inside the Status).
  using TestDone = std::function<void(Result<ProbeResult>)>;
  void Test(const std::string& provider_id, const nlohmann::json& config, TestDone done);
  Result<ProbeResult> TestAndWait(const std::string& provider_id, const nlohmann::json& config);

  // Runs `work` when nothing else spends the connection's credentials (no probe, no
  // reconnect, no other authorization): an OAuth2 refresh token is never spent twice at
  // once. `work` calls the function it is given exactly once, when it is done.
  void WithCredentials(const std::string& project, const std::string& id,
                       std::function<void(std::function<void()> release)> work);

  // Applies a verdict reached outside a probe (an authorization the provider refused) as
  // a probe's: status, reason, history, event, webhook.
  Result<ConnectionRow> ApplyVerdict(const ConnectionRecord& judged, const ProbeResult& result);

  // Probes queued or running.
  size_t in_flight() const;

 private:
  struct Slot {
    bool busy = false;
    bool stored_probe = false;         // the running probe is of the stored credentials
    std::vector<ProbeDone> joiners;    // waiting for that stored probe's verdict
    std::deque<std::function<void()>> next;  // work waiting for the slot
  };

  // Runs `work` when no other probe of `key` runs; `work` must call Release(key) at its end.
  void WhenIdle(const std::string& key, std::function<void()> work);
  void Release(const std::string& key);
  void StartStoredProbe(const std::string& project, const std::string& id, const std::string& provider_id);
  void Emit(const std::optional<StatusEvent>& event);

  Store& store_;
  ConnectionService& connections_;
  ProbeRunner& runner_;
  StatusEventSink sink_;
  mutable std::mutex mutex_;
  std::map<std::string, Slot> slots_;
};

}  // namespace switchboard::probe
