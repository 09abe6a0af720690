// The rules of connections, between the API and the store: validate a config against
// its provider, seal its secret fields, keep stored secrets that an update leaves out,
// and never store a placeholder as a secret.
//
// A secret is bound to its destination: an update that changes a field the provider marks
// x-credential-destination (where secrets are sent) fails with "secrets_required" (422),
// one "secret_required" error per secret field not entered again in the same request.
//
// Validation failures return code "invalid_config" (422) with the per-field problems in
// the Status (field_errors()); a field is named "<prefix><field>", the prefix chosen by
// the caller so the names match the request body ("config." for a connection body).
// name_taken carries a "name" field error.
// THREADS: safe for concurrent use.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/provider.hpp>

#include "common/status.hpp"
#include "plugins/provider_registry.hpp"
#include "probe_net/egress_policy.hpp"
#include "secrets/sealer.hpp"
#include "model/change_token.hpp"
#include "model/queries.hpp"
#include "model/records.hpp"
#include "service/store_memo.hpp"

namespace switchboard {

class Store;  // store/store.hpp: the service's .cpp files use it, its clients never do

struct ConnectionInput {
  std::string name;
  std::string provider;
  nlohmann::json config = nlohmann::json::object();
};

// A connection's status. Only a probe (or a reconnect it proved) makes one active;
// a connection stored before any probe could judge it is unverified.
inline constexpr char kStatusActive[] = "active";
inline constexpr char kStatusInactive[] = "inactive";
inline constexpr char kStatusUnverified[] = "unverified";
bool IsConnectionStatus(const std::string& status);

// A connection validated and sealed, not yet stored, with its config in clear for the
// probe that decides whether and how it is stored.
struct NewConnection {
  ConnectionRecord record;  // status unverified
  nlohmann::json config;    // secrets in clear; never send it to a client
};

struct ConnectionChange {
  std::optional<std::string> name;    // rename when set
  std::optional<nlohmann::json> config;  // fields to change: a value replaces, null removes,
                                         // a secret left out or given as {"set": true} is kept
};

// What deleting a connection did: ok, or why not; `in_use_by` filled for in_use.
struct ConnectionDeletion {
  Status status;
  std::vector<Reference> in_use_by;
};

// A connection as a use of it needs it: the record (without reference counts) and the
// digest of its credentials (ConnectionService::CredentialsDigest).
struct ConnectionInUse {
  ConnectionRecord record;
  std::string credentials_digest;
};

class ConnectionService {
 public:
  ConnectionService(Store& store, const ProviderRegistry& providers, const Sealer& sealer)
      : store_(store), providers_(providers), sealer_(sealer) {}

  // The policy a URL field's literal address is checked against (default: refuse every
  // non-public range). Set before the service is used; the probes' HTTP client has the same.
  void set_egress_policy(probe::EgressPolicy policy) { egress_ = std::move(policy); }

  // A validated, sealed record ready to store (not stored), status unverified. Fails with
  // invalid_config (field errors named with `field_prefix`) or unknown_provider.
  // `clear_config`, when given, gets the config with secrets in clear.
  Result<ConnectionRecord> Prepare(const std::string& project, const ConnectionInput& input,
                                   const std::string& field_prefix,
                                   nlohmann::json* clear_config = nullptr) const;

  // `config` for `provider_id` validated as a create would (placeholders refused, nulls
  // dropped, destinations checked), secrets in clear: what a test probe runs against.
  Result<nlohmann::json> PrepareConfig(const std::string& provider_id, const nlohmann::json& config) const;

  // What a create would store, before its probe. Also fails with name_taken when the
  // name is in use, so no probe is spent on a create bound to fail.
  Result<NewConnection> PrepareNew(const std::string& project, const ConnectionInput& input) const;

  // Stores a prepared connection with what its probe found: valid -> active (with the
  // probe's config update, expiry and checked time); transient -> unverified with the
  // probe's message; null `proof` (not probed) -> unverified. Never call it with a
  // refusing verdict. Fails with name_taken.
  Result<ConnectionRow> StoreNew(NewConnection candidate, const ProbeResult* proof);

  // Stores a new connection without a probe: unverified.
  Result<ConnectionRow> Create(const std::string& project, const ConnectionInput& input);

  // Rename and/or edit fields. The result is validated as a whole before it is stored.
  // A config that changed makes the connection unverified until a probe judges it.
  Result<ConnectionRow> Update(const std::string& project, const std::string& id,
                               const ConnectionChange& change);

  // The config a reconnect with `config` would store, validated, secrets in clear: what
  // the reconnect probe runs against. Fails like Update.
  Result<nlohmann::json> ReconnectCandidate(const std::string& project, const std::string& id,
                                            const nlohmann::json& config) const;

  // Stores replacement credentials (and what the probe that proved them returned, such as a
  // rotated refresh token) and marks the connection active again.
  Result<ConnectionRow> Reconnect(const std::string& project, const std::string& id,
                                  const nlohmann::json& config, const ProbeResult* proof,
                                  std::optional<StatusEvent>* event = nullptr);

  // Applies a probe's verdict: status (transient leaves it), reason, checked time, expiry,
  // and any config update (sealed). `probed` is the record the probe ran against; when its
  // credentials have changed since, the verdict is about credentials no longer stored and
  // only the current row is returned.
  Result<ConnectionRow> RecordProbe(const ConnectionRecord& probed, const ProbeResult& result,
                                    std::optional<StatusEvent>* event);

  // Stores what authorizing requests to the provider produced: when (authorized_at), until
  // when it holds, and its config update (a rotated refresh token, sealed) — all in one
  // write, durable when there is an update. `authorized` is the record the plugin ran
  // against: when its credentials changed since (a reconnect), nothing is stored and the
  // current row is returned.
  Result<ConnectionRow> RecordAuthorization(const ConnectionRecord& authorized, const nlohmann::json& config_update,
                                            const std::string& expires_at);

  // Adds uses counted since the last flush (usage_counter.hpp): `count` more, the latest
  // at `last_used_at`, and per component ("flow/daily") its count and latest. A cheap
  // write: a crash may lose it. not_found when the connection is gone.
  struct UsageDelta {
    int64_t count = 0;
    std::string last_used_at;
    std::map<std::string, std::pair<int64_t, std::string>> by_user;  // user -> (count, latest)
  };
  Result<ConnectionRow> RecordUsage(const std::string& project, const std::string& id, const UsageDelta& delta);

  // A digest of the credentials `record` holds (its config and sealed secrets): equal
  // digests, same credentials. What a cached authorization is keyed by.
  static std::string CredentialsDigest(const ConnectionRecord& record);

  // The full config with secrets unsealed, for probes. Never send it to a client.
  Result<nlohmann::json> UnsealedConfig(const ConnectionRecord& record) const;

  Result<ConnectionRow> Get(const std::string& project, const std::string& id) const;
  // Connection `id` for a use (the proxy, the credentials endpoint). Read on every use:
  // kept in memory until the store changes.
  Result<std::shared_ptr<const ConnectionInUse>> GetForUse(const std::string& project, const std::string& id) const;
  // One page of a project's connections, ordered by name.
  Result<ConnectionPage> List(const std::string& project, const ConnectionQuery& query) const;
  // A token that changes whenever anything stored changes: what List returned may be
  // reused while it is unchanged.
  ChangeToken CurrentChangeToken() const;
  // The components referencing connection `id` (not_found when it does not exist).
  Result<std::vector<Reference>> References(const std::string& project, const std::string& id) const;
  // Status changes of connection `id` (not_found when it does not exist) / of the whole
  // project, newest first; `after` is a previous page's next_after.
  Result<EventPage> History(const std::string& project, const std::string& id, size_t limit,
                            const std::string& after) const;
  Result<EventPage> Events(const std::string& project, size_t limit, const std::string& after) const;
  // Connections by status across all projects, every status named, e.g.
  // {"active": 10, "inactive": 2, "unverified": 0}.
  Result<std::map<std::string, int64_t>> CountByStatus() const;

  // Deletes connection `id`. Refused with in_use while components reference it: the
  // status's message names them and `in_use_by` lists them.
  ConnectionDeletion Delete(const std::string& project, const std::string& id);

  // Normalizes `name` (NFC) in place, or says why it is not a name (common/names.hpp:
  // missing_required, name_invalid, name_too_long). Every kind of name goes through it.
  static std::optional<FieldError> CheckName(std::string& name, const std::string& field);

  const ProviderRegistry& providers() const { return providers_; }

 private:
  Result<ConnectionRow> ApplyChange(const std::string& project, const std::string& id,
                                    const ConnectionChange& change, const ProbeResult* reconnect_proof,
                                    std::optional<StatusEvent>* event);
  // Schema and plugin problems of `config`, then URL fields whose literal address the
  // egress policy refuses (bare field names). Fails only when the plugin fails.
  Result<std::vector<FieldError>> Validate(const LoadedProvider& provider, const nlohmann::json& config) const;
  // `input_config` checked for `provider_id`: placeholders refused, nulls dropped, then
  // Validate. Problems are appended ("provider"/"config" bare, fields with
  // `field_prefix`); fails only when the plugin fails.
  Result<nlohmann::json> CheckConfig(const std::string& provider_id, const nlohmann::json& input_config,
                                     const std::string& field_prefix, std::vector<FieldError>& problems) const;
  // `record`'s config with `change` applied, validated; `replaced` gets the fields changed.
  Result<nlohmann::json> Merge(const ConnectionRecord& record, const nlohmann::json& change,
                               std::set<std::string>* replaced) const;
  // Stores `config` (secrets in clear) into `record`, sealing secrets; secrets not in
  // `replaced` keep their sealed bytes.
  void StoreConfig(ConnectionRecord& record, const nlohmann::json& config,
                   const std::set<std::string>& replaced) const;

  Store& store_;
  const ProviderRegistry& providers_;
  const Sealer& sealer_;
  mutable StoreMemo<ConnectionInUse> in_use_;
  probe::EgressPolicy egress_;
};

// The status a probe outcome leaves a connection in; nullopt for "unchanged".
// missing_permission counts as inactive: the connection cannot do what it is for.
std::optional<std::string> StatusAfter(Outcome outcome);

// {outcome, reason, message, field, at} as kept in ConnectionRecord::last_probe.
nlohmann::json ProbeRecordJson(const ProbeResult& result, const std::string& at);

// Credentials whose lapse is this close get a warning on the connection.
constexpr int kExpiryWarningDays = 7;
// Whether `record`'s credentials lapse within kExpiryWarningDays (or already have).
bool ExpiryWarning(const ConnectionRecord& record);

}  // namespace switchboard
