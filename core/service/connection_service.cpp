#include "service/connection_service.hpp"

#include <ctime>
#include <set>

#include "common/json_text.hpp"
#include "common/rfc3339.hpp"
#include "common/names.hpp"
#include "probe_net/destination.hpp"
#include "plugins/config_validation.hpp"
#include "secrets/tokens.hpp"
#include "service/status_events.hpp"
#include "store/store.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// The reason an unverified connection carries until its first probe.
constexpr char kNotCheckedYet[] = "Not checked with the provider yet.";
constexpr char kConfigChanged[] = "The configuration changed; not checked with the provider yet.";

bool IsPlaceholder(const json& value) { return value.is_object() && value.contains("set"); }

std::string SealContext(const std::string& project, const std::string& id, const std::string& field) {
  return project + "/" + id + "/" + field;
}

// Fields a probe handed back (e.g. a rotated refresh token) replace those in `config`.
void ApplyConfigUpdate(const json& update, json& config, std::set<std::string>& replaced) {
  for (auto it = update.begin(); it != update.end(); ++it) {
    config[it.key()] = it.value();
    replaced.insert(it.key());
  }
}

// A destination field's effective value: what the config says, else the schema default.
json EffectiveValue(const LoadedProvider& provider, const json& config, const std::string& field) {
  if (auto it = config.find(field); it != config.end()) return *it;
  const json& properties = provider.field_schema()["properties"];
  if (auto spec = properties.find(field); spec != properties.end() && spec->contains("default")) {
    return (*spec)["default"];
  }
  return nullptr;
}

std::string FieldTitle(const LoadedProvider& provider, const std::string& field) {
  const json& properties = provider.field_schema()["properties"];
  auto spec = properties.find(field);
  return spec != properties.end() && spec->contains("title") && (*spec)["title"].is_string()
             ? (*spec)["title"].get<std::string>()
             : field;
}

// A secret is bound to the destination it was entered for: when `merged` sends the
// secrets somewhere else than `current` did, every secret `merged` keeps must have been
// typed again in `change`. Returns one error per secret that was not.
std::vector<FieldError> SecretsToReenter(const LoadedProvider& provider, const json& current, const json& merged,
                                         const json& change) {
  std::string moved;
  for (const auto& field : provider.destination_fields()) {
    if (EffectiveValue(provider, current, field) != EffectiveValue(provider, merged, field)) {
      moved = field;
      break;
    }
  }
  std::vector<FieldError> errors;
  if (moved.empty()) return errors;
  for (const auto& secret : provider.secret_fields()) {
    if (!merged.contains(secret)) continue;  // removed or never set: sent nowhere
    auto given = change.find(secret);
    if (given != change.end() && given->is_string()) continue;
    errors.push_back({"config." + secret, "secret_required",
                      "Enter the " + FieldTitle(provider, secret) + " again: the " + FieldTitle(provider, moved) +
                          " changed, and a stored secret is only sent where it was entered for."});
  }
  return errors;
}

// name_taken naming the "name" field, as every connection body calls it.
Status NameTaken(const std::string& message) {
  return Status::Invalid(Code::kNameTaken, message, {{"name", "name_taken", message}});
}

Status NotAnObject() {
  return Status::Invalid(Code::kInvalidConfig, "the config is not valid",
                         {{"config", "not_an_object", "The config must be a JSON object of fields."}});
}

void Prefix(std::vector<FieldError>& errors, const std::string& prefix) {
  for (auto& e : errors) e.field = e.field.empty() ? prefix.substr(0, prefix.size() ? prefix.size() - 1 : 0) : prefix + e.field;
}

}  // namespace

std::optional<FieldError> ConnectionService::CheckName(std::string& name, const std::string& field) {
  auto normalized = names::Normalize(name);
  if (!normalized.ok()) return FieldError{field, normalized.status().code_name(), normalized.status().message()};
  name = std::move(normalized).value();
  return std::nullopt;
}

bool IsConnectionStatus(const std::string& status) {
  return status == kStatusActive || status == kStatusInactive || status == kStatusUnverified;
}

Result<std::vector<FieldError>> ConnectionService::Validate(const LoadedProvider& provider, const json& config) const {
  auto validated = ValidateConfig(provider, config);
  if (!validated.ok()) return validated.status();
  std::vector<FieldError> problems = *validated;
  for (auto& refused : probe::RefusedLiteralDestinations(provider.field_schema(), config, egress_)) {
    bool duplicate = false;
    for (const auto& p : problems) duplicate |= p.field == refused.field;
    if (!duplicate) problems.push_back(std::move(refused));
  }
  return problems;
}

Result<json> ConnectionService::CheckConfig(const std::string& provider_id, const json& input_config,
                                            const std::string& field_prefix,
                                            std::vector<FieldError>& problems) const {
  auto provider = providers_.Find(provider_id);
  if (!provider) {
    problems.push_back({"provider", "unknown_provider", "No provider '" + provider_id + "' is loaded."});
    return json::object();
  }
  if (!input_config.is_object()) {
    problems.push_back({"config", "not_an_object", "The config must be a JSON object of fields."});
    return json::object();
  }
  std::vector<FieldError> field_problems;
  json config = json::object();
  for (auto it = input_config.begin(); it != input_config.end(); ++it) {
    const bool secret = provider->IsSecret(it.key());
    if (secret && IsPlaceholder(it.value())) {
      field_problems.push_back({it.key(), "missing_secret", "Enter the secret itself; nothing is stored yet."});
      continue;
    }
    if (it.value().is_null()) continue;
    config[it.key()] = it.value();
  }
  auto validated = Validate(*provider, config);
  if (!validated.ok()) return validated.status();
  for (auto& e : *validated) {
    bool duplicate = false;
    for (const auto& p : field_problems) duplicate |= p.field == e.field;
    if (!duplicate) field_problems.push_back(e);
  }
  Prefix(field_problems, field_prefix);
  problems.insert(problems.end(), field_problems.begin(), field_problems.end());
  return config;
}

Result<ConnectionRecord> ConnectionService::Prepare(const std::string& project, const ConnectionInput& input,
                                                    const std::string& field_prefix, json* clear_config) const {
  std::vector<FieldError> problems;
  std::string name = input.name;
  if (auto bad = CheckName(name, "name")) problems.push_back(*bad);
  auto config = CheckConfig(input.provider, input.config, field_prefix, problems);
  if (!config.ok()) return config.status();
  if (!problems.empty()) return Status::Invalid(Code::kInvalidConfig, "the connection is not valid", std::move(problems));
  auto provider = providers_.Find(input.provider);
  ConnectionRecord record;
  record.id = RandomId("con_");
  record.project = project;
  record.provider = input.provider;
  record.name = name;
  for (auto it = config->begin(); it != config->end(); ++it) {
    const bool secret = provider->IsSecret(it.key());
    if (secret) {
      record.secrets[it.key()] = sealer_.Seal(it.value().get<std::string>(), SealContext(project, record.id, it.key()));
    } else {
      record.config[it.key()] = it.value();
    }
  }
  // Nothing has judged the credentials yet: only a probe makes a connection active.
  record.status = kStatusUnverified;
  record.status_reason = kNotCheckedYet;
  record.created_at = record.updated_at = NowRfc3339();
  if (clear_config) *clear_config = std::move(config).value();
  return record;
}

Result<json> ConnectionService::PrepareConfig(const std::string& provider_id, const json& config) const {
  std::vector<FieldError> problems;
  auto checked = CheckConfig(provider_id, config, "config.", problems);
  if (!checked.ok()) return checked.status();
  if (!problems.empty()) return Status::Invalid(Code::kInvalidConfig, "the config is not valid", std::move(problems));
  return checked;
}

Result<NewConnection> ConnectionService::PrepareNew(const std::string& project, const ConnectionInput& input) const {
  NewConnection candidate;
  auto record = Prepare(project, input, "config.", &candidate.config);
  if (!record.ok()) return record.status();
  auto existing = store_.FindConnectionByName(project, record->name);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    const std::string message = "a connection named '" + (*existing)->name + "' already exists";
    return NameTaken(message);
  }
  candidate.record = std::move(record).value();
  return candidate;
}

Result<ConnectionRow> ConnectionService::StoreNew(NewConnection candidate, const ProbeResult* proof) {
  ConnectionRecord& record = candidate.record;
  if (proof) {
    const std::string now = NowRfc3339();
    record.checked_at = now;
    record.last_probe = ProbeRecordJson(*proof, now);
    if (proof->outcome == Outcome::kValid) {
      record.status = kStatusActive;
      record.status_reason.clear();
      record.connected_at = now;
      record.expires_at = proof->expires_at;
      if (!proof->config_update.empty()) {  // e.g. a refresh token the probe rotated
        std::set<std::string> replaced;
        ApplyConfigUpdate(proof->config_update, candidate.config, replaced);
        StoreConfig(record, candidate.config, replaced);
      }
    } else {
      record.status = kStatusUnverified;
      record.status_reason = proof->message.empty() ? proof->reason : proof->message;
    }
  }
  candidate.config = json();  // the secrets in clear are not needed any more
  if (Status s = store_.CreateConnection(record); !s.ok()) return s.Is(Code::kNameTaken) ? NameTaken(s.message()) : s;
  return ConnectionRow{record, {}};
}

Result<ConnectionRow> ConnectionService::Create(const std::string& project, const ConnectionInput& input) {
  auto candidate = PrepareNew(project, input);
  if (!candidate.ok()) return candidate.status();
  return StoreNew(std::move(candidate).value(), nullptr);
}

Result<ConnectionRow> ConnectionService::Get(const std::string& project, const std::string& id) const {
  return store_.GetConnection(project, id);
}

Result<std::shared_ptr<const ConnectionInUse>> ConnectionService::GetForUse(const std::string& project,
                                                                            const std::string& id) const {
  return in_use_.Get(project + '\0' + id, store_.CurrentChangeToken(), [&]() -> Result<ConnectionInUse> {
    auto row = store_.GetConnection(project, id);
    if (!row.ok()) return row.status();
    const std::string digest = CredentialsDigest(row->record);
    return ConnectionInUse{std::move(row->record), digest};
  });
}

Result<ConnectionPage> ConnectionService::List(const std::string& project, const ConnectionQuery& query) const {
  return store_.ListConnections(project, query);
}

ChangeToken ConnectionService::CurrentChangeToken() const { return store_.CurrentChangeToken(); }

Result<std::vector<Reference>> ConnectionService::References(const std::string& project, const std::string& id) const {
  if (auto row = store_.GetConnection(project, id); !row.ok()) return row.status();
  return store_.ListReferences(project, id);
}

Result<EventPage> ConnectionService::History(const std::string& project, const std::string& id, size_t limit,
                                             const std::string& after) const {
  if (auto row = store_.GetConnection(project, id); !row.ok()) return row.status();
  return store_.ListHistory(project, id, limit, after);
}

Result<EventPage> ConnectionService::Events(const std::string& project, size_t limit, const std::string& after) const {
  return store_.ListEvents(project, limit, after);
}

Result<std::map<std::string, int64_t>> ConnectionService::CountByStatus() const {
  auto stored = store_.CountConnectionsByStatus();
  if (!stored.ok()) return stored.status();
  // Every status is named, a 0 for those no connection has.
  std::map<std::string, int64_t> counts = {{kStatusActive, 0}, {kStatusInactive, 0}, {kStatusUnverified, 0}};
  for (const auto& [status, count] : *stored) counts[status] = count;
  return counts;
}

ConnectionDeletion ConnectionService::Delete(const std::string& project, const std::string& id) {
  ConnectionDeletion deletion;
  deletion.status = store_.DeleteConnection(project, id, &deletion.in_use_by);
  if (deletion.status.Is(Code::kInUse)) {
    std::string names;
    for (const auto& r : deletion.in_use_by) {
      names += (names.empty() ? "" : ", ") + r.kind + " '" + (r.name.empty() ? r.id : r.name) + "'";
    }
    deletion.status = Status::Error(Code::kInUse, "This connection is used by " + names +
                                                      ". Remove it from them before deleting it.");
  } else {
    deletion.in_use_by.clear();
  }
  return deletion;
}

Result<json> ConnectionService::UnsealedConfig(const ConnectionRecord& record) const {
  json config = record.config;
  for (auto it = record.secrets.begin(); it != record.secrets.end(); ++it) {
    auto opened = sealer_.Open(it.value().get<std::string>(), SealContext(record.project, record.id, it.key()));
    if (!opened.ok()) return Status::Error(Code::kCorruption, "secret '" + it.key() + "' cannot be unsealed: " + opened.status().message());
    config[it.key()] = *opened;
  }
  return config;
}

Result<json> ConnectionService::Merge(const ConnectionRecord& record, const json& change,
                                      std::set<std::string>* replaced) const {
  auto provider = providers_.Find(record.provider);
  if (!provider) return Status::Error(Code::kUnknownProvider, "provider '" + record.provider + "' is not loaded");
  auto current = UnsealedConfig(record);
  if (!current.ok()) return current.status();
  json merged = *current;
  for (auto it = change.begin(); it != change.end(); ++it) {
    if (provider->IsSecret(it.key()) && IsPlaceholder(it.value())) continue;  // keep the stored secret
    if (it.value().is_null()) {
      merged.erase(it.key());
    } else {
      merged[it.key()] = it.value();
    }
    if (replaced) replaced->insert(it.key());
  }
  auto validated = Validate(*provider, merged);
  if (!validated.ok()) return validated.status();
  if (!validated->empty()) {
    std::vector<FieldError> problems = *validated;
    Prefix(problems, "config.");
    return Status::Invalid(Code::kInvalidConfig, "the changed config is not valid", std::move(problems));
  }
  if (auto missing = SecretsToReenter(*provider, *current, merged, change); !missing.empty()) {
    return Status::Invalid(Code::kSecretsRequired,
                           "a field that decides where the secrets are sent changed: enter the secrets again",
                           std::move(missing));
  }
  return merged;
}

void ConnectionService::StoreConfig(ConnectionRecord& record, const json& config,
                                    const std::set<std::string>& replaced) const {
  auto provider = providers_.Find(record.provider);
  auto is_secret = [&](const std::string& f) { return provider && provider->IsSecret(f); };
  json clear = json::object();
  json secrets = json::object();
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (!is_secret(it.key())) {
      clear[it.key()] = it.value();
    } else if (!replaced.count(it.key()) && record.secrets.contains(it.key())) {
      secrets[it.key()] = record.secrets[it.key()];  // unchanged: keep the sealed bytes
    } else if (it.value().is_string()) {
      secrets[it.key()] = sealer_.Seal(it.value().get<std::string>(), SealContext(record.project, record.id, it.key()));
    }
  }
  record.config = clear;
  record.secrets = secrets;
}

Result<ConnectionRow> ConnectionService::ApplyChange(const std::string& project, const std::string& id,
                                                     const ConnectionChange& change, const ProbeResult* reconnect_proof,
                                                     std::optional<StatusEvent>* event) {
  std::optional<std::string> new_name = change.name;
  if (new_name) {
    if (auto bad = CheckName(*new_name, "name")) {
      return Status::Invalid(Code::kInvalidConfig, "the new name is not valid", {*bad});
    }
  }
  if (change.config && !change.config->is_object()) return NotAnObject();
  UpdateOptions options;
  options.event_for = StatusChangeEvent;
  options.event = event;
  auto result = store_.UpdateConnection(project, id, [&](ConnectionRecord& record) -> Status {
    if (new_name) record.name = *new_name;
    if (change.config) {
      std::set<std::string> replaced;
      auto merged = Merge(record, *change.config, &replaced);
      if (!merged.ok()) return merged.status();
      json config = *merged;
      // The proof may carry a rotated refresh token: it supersedes the one just sent.
      if (reconnect_proof) ApplyConfigUpdate(reconnect_proof->config_update, config, replaced);
      const json config_before = record.config, secrets_before = record.secrets;
      StoreConfig(record, config, replaced);
      // Changed credentials or settings are not the ones the last verdict was about.
      if (!reconnect_proof && (record.config != config_before || record.secrets != secrets_before)) {
        record.status = kStatusUnverified;
        record.status_reason = kConfigChanged;
      }
    }
    record.updated_at = NowRfc3339();
    if (reconnect_proof) {
      record.status = kStatusActive;
      record.status_reason.clear();
      record.connected_at = record.checked_at = record.updated_at;
      record.last_probe = ProbeRecordJson(*reconnect_proof, record.updated_at);
      record.expires_at = reconnect_proof->expires_at;
    }
    return Status::Ok();
  }, options);
  if (!result.ok() && result.status().Is(Code::kNameTaken)) return NameTaken(result.status().message());
  return result;
}

Result<ConnectionRow> ConnectionService::Update(const std::string& project, const std::string& id,
                                                const ConnectionChange& change) {
  return ApplyChange(project, id, change, nullptr, nullptr);
}

Result<json> ConnectionService::ReconnectCandidate(const std::string& project, const std::string& id,
                                                   const json& config) const {
  if (!config.is_object()) return NotAnObject();
  auto row = store_.GetConnection(project, id);
  if (!row.ok()) return row.status();
  return Merge(row->record, config, nullptr);
}

Result<ConnectionRow> ConnectionService::Reconnect(const std::string& project, const std::string& id,
                                                   const json& config, const ProbeResult* proof,
                                                   std::optional<StatusEvent>* event) {
  static const ProbeResult kUnprobed{Outcome::kValid, "", "", "", std::nullopt, json::object(), ""};
  ConnectionChange change;
  change.config = config;
  return ApplyChange(project, id, change, proof ? proof : &kUnprobed, event);
}

Result<ConnectionRow> ConnectionService::RecordProbe(const ConnectionRecord& probed, const ProbeResult& result,
                                                     std::optional<StatusEvent>* event) {
  const std::optional<std::string> status = StatusAfter(result.outcome);
  UpdateOptions options;
  options.event_for = StatusChangeEvent;
  options.event = event;
  // Losing a checked time in a crash costs nothing; a status change is always durable.
  if (result.config_update.empty()) options.durability = Durability::kMayLoseOnCrash;
  bool stale = false;
  auto row = store_.UpdateConnection(probed.project, probed.id, [&](ConnectionRecord& record) -> Status {
    if (record.config != probed.config || record.secrets != probed.secrets) {
      stale = true;
      return Status::Error(Code::kStaleProbe, "the credentials changed while they were probed");
    }
    const std::string now = NowRfc3339();
    record.checked_at = now;
    record.last_probe = ProbeRecordJson(result, now);
    const std::string said = result.message.empty() ? result.reason : result.message;
    if (status) {
      record.status = *status;
      record.status_reason = *status == kStatusActive ? "" : said;
    } else if (record.status == kStatusUnverified) {
      record.status_reason = said;  // still unverified: say why the provider could not tell
    }
    if (!result.expires_at.empty()) record.expires_at = result.expires_at;
    if (!result.config_update.empty()) {
      auto config = UnsealedConfig(record);
      if (!config.ok()) return config.status();
      std::set<std::string> replaced;
      ApplyConfigUpdate(result.config_update, *config, replaced);
      StoreConfig(record, *config, replaced);
    }
    return Status::Ok();
  }, options);
  if (!row.ok() && stale) return store_.GetConnection(probed.project, probed.id);
  return row;
}

Result<ConnectionRow> ConnectionService::RecordAuthorization(const ConnectionRecord& authorized,
                                                             const json& config_update, const std::string& expires_at) {
  UpdateOptions options;
  // A rotated refresh token must survive a crash: the provider has already spent the old one.
  if (config_update.empty()) options.durability = Durability::kMayLoseOnCrash;
  bool stale = false;
  auto row = store_.UpdateConnection(authorized.project, authorized.id, [&](ConnectionRecord& record) -> Status {
    if (record.config != authorized.config || record.secrets != authorized.secrets) {
      stale = true;
      return Status::Error(Code::kStaleProbe, "the credentials changed while they were authorized");
    }
    record.authorized_at = NowRfc3339();
    record.authorization_expires_at = expires_at;
    if (!config_update.empty()) {
      auto config = UnsealedConfig(record);
      if (!config.ok()) return config.status();
      std::set<std::string> replaced;
      ApplyConfigUpdate(config_update, *config, replaced);
      StoreConfig(record, *config, replaced);
    }
    return Status::Ok();
  }, options);
  if (!row.ok() && stale) return store_.GetConnection(authorized.project, authorized.id);
  return row;
}

Result<ConnectionRow> ConnectionService::RecordUsage(const std::string& project, const std::string& id,
                                                     const UsageDelta& delta) {
  UpdateOptions options;
  options.durability = Durability::kMayLoseOnCrash;
  return store_.UpdateConnection(project, id, [&](ConnectionRecord& record) -> Status {
    record.use_count += delta.count;
    if (delta.last_used_at > record.last_used_at) record.last_used_at = delta.last_used_at;
    if (!record.usage.is_object()) record.usage = json::object();
    for (const auto& [user, counted] : delta.by_user) {
      json& entry = record.usage[user];
      if (!entry.is_object()) entry = {{"count", 0}, {"last_used_at", ""}};
      entry["count"] = entry.value("count", int64_t{0}) + counted.first;
      if (counted.second > entry.value("last_used_at", "")) entry["last_used_at"] = counted.second;
    }
    return Status::Ok();
  }, options);
}

std::string ConnectionService::CredentialsDigest(const ConnectionRecord& record) {
  // Sealed secrets carry a fresh nonce whenever they change, so a changed secret always
  // changes the digest.
  return std::to_string(std::hash<std::string>{}(record.provider + '\0' + record.config.dump() + '\0' +
                                                 record.secrets.dump()));
}

std::optional<std::string> StatusAfter(Outcome outcome) {
  switch (outcome) {
    case Outcome::kValid: return kStatusActive;
    case Outcome::kInvalidCredentials:
    case Outcome::kMissingPermission: return kStatusInactive;
    case Outcome::kTransient: return std::nullopt;
  }
  return std::nullopt;
}

json ProbeRecordJson(const ProbeResult& result, const std::string& at) {
  return {{"outcome", OutcomeName(result.outcome)},
          {"reason", result.reason},
          {"message", result.message},
          {"field", NullIfEmpty(result.field)},
          {"at", at}};
}

namespace {

// Whether an RFC 3339 UTC time is within `days` from now (or already past).
bool LapsesWithin(const std::string& rfc3339, int days) {
  const auto at = ParseRfc3339(rfc3339);
  return at && *at - std::chrono::system_clock::now() < std::chrono::hours(24) * days;
}

}  // namespace

bool ExpiryWarning(const ConnectionRecord& record) {
  return !record.expires_at.empty() && LapsesWithin(record.expires_at, kExpiryWarningDays);
}

}  // namespace switchboard
