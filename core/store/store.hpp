// The connection store: projects, tokens, connections, components (of any kind) and the
// references between them. It keeps no domain rule: what a status event is, which
// component kinds exist and what counts as "flows using a connection" are the
// services' (service/). An interface: a backend implements it (RocksDB today,
// store/rocksdb/; PostgreSQL next) and store/open_store.hpp opens one from a URL. Every
// backend passes the conformance suite (tests/store_conformance), which is this
// contract in code.
//
// The contract every backend keeps:
// - Every change is atomic: a method that returns an error stored nothing, and every
//   derived row (name index, status index, references, counters, history) changes in
//   the same commit as the row it derives from.
// - Acknowledged means on disk, unless the caller asked for Durability::kMayLoseOnCrash.
// - A delete and an attach that race either make the delete fail (in_use) or fail
//   themselves (unknown_connection), never neither.
// - Names are unique per project, case-insensitively and across look-alikes
//   (common/names.hpp UniquenessKey).
// - No message carries the engine's own text (paths, files, offsets): that goes to the
//   log (see store/storage_health.hpp).
//
// Codes any method may return besides those it names: busy (retry), corruption (a row
// failed its integrity check), storage_full (the volume is full; nothing was stored),
// storage_unavailable (another I/O error; nothing was stored). Writes refused for a full
// volume are accepted again by themselves once space returns.
//
// THREADS: a Store is safe for concurrent use from any number of threads.
// OWNERSHIP: arguments are copied; nothing returned points into the store.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "model/queries.hpp"
#include "model/records.hpp"
#include "model/change_token.hpp"
#include "model/storage_report.hpp"

namespace switchboard {

// When a change may be acknowledged.
enum class Durability {
  kOnDisk,          // after it is on disk: a crash never loses it (the default)
  kMayLoseOnCrash,  // possibly before: a crash right after may lose it, never corrupt it
};

// Says what a change of a connection is worth recording: a status event (the service's
// rule, service/status_events.hpp), or nullopt for a change that records nothing.
// Called with the stored record and the changed one, inside the update's transaction
// (possibly more than once, when the transaction is retried); it must not call the store.
using EventForChange =
    std::function<std::optional<StatusEvent>(const ConnectionRecord& before, const ConnectionRecord& after)>;

struct UpdateOptions {
  // kMayLoseOnCrash for changes that are cheap to lose (a probe that only moved
  // checked_at). A change that records a status event is always kOnDisk.
  Durability durability = Durability::kOnDisk;
  // Decides the event the change records; none when not set.
  EventForChange event_for;
  // Filled with the event recorded (exactly as event_for gave it), nullopt when none was.
  std::optional<StatusEvent>* event = nullptr;
};

class Store {
 public:
  virtual ~Store() = default;

  // The state as of now. Read it before reading data: what was read may be reused for
  // as long as CurrentChangeToken() returns an equal token. Moves on every commit, by
  // this process or any other sharing the backend, never on a change that failed; each
  // backend keeps that across processes (RocksDB: one process holds the database, so a
  // commit counter under an origin drawn at open does; PostgreSQL: a sequence the
  // commits advance).
  virtual ChangeToken CurrentChangeToken() const = 0;

  // Whether writes currently fail and whether stored data failed a checksum.
  virtual StorageReport Health() const = 0;

  // Small settings (the admin token's hash...). GetMeta: nullopt when never put.
  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status PutMeta(const std::string& key, const std::string& value) = 0;

  // conflict when a project with that id exists.
  virtual Status CreateProject(const Project& project) = 0;
  // not_found when there is none.
  virtual Result<Project> GetProject(const std::string& id) = 0;
  // Every project, in id order.
  virtual Result<std::vector<Project>> ListProjects() = 0;

  // Stores the token, replacing one with the same id.
  virtual Status PutToken(const TokenRecord& token) = 0;
  // not_found when there is none.
  virtual Result<TokenRecord> GetToken(const std::string& id) = 0;
  // The project's tokens, in id order.
  virtual Result<std::vector<TokenRecord>> ListTokens(const std::string& project) = 0;
  // not_found when the project has no token with that id.
  virtual Status DeleteToken(const std::string& project, const std::string& id) = 0;

  // name_taken when another connection of the project has that name (case-insensitive,
  // look-alikes included).
  virtual Status CreateConnection(const ConnectionRecord& connection) = 0;
  // not_found when the project has no such connection. Every ConnectionRow a method
  // returns carries its record's reference counts per component kind.
  virtual Result<ConnectionRow> GetConnection(const std::string& project, const std::string& id) = 0;
  // nullopt when no connection of the project has that name (or a look-alike of it).
  virtual Result<std::optional<ConnectionRecord>> FindConnectionByName(const std::string& project,
                                                                       const std::string& name) = 0;
  // Applies `change` to the stored record under its lock and stores the result (id and
  // project stay), moving the index rows when the name or status changed. not_found
  // when there is no such connection; name_taken when the new name is another's; an
  // error from `change` aborts and is returned. The event options.event_for returns for
  // (stored, changed) is recorded as given, in the same commit, in the connection's
  // history and the project's event feed, under a sequence the store assigns (and
  // returned through options.event); an update it returns nullopt for records nothing.
  virtual Result<ConnectionRow> UpdateConnection(const std::string& project, const std::string& id,
                                                 const std::function<Status(ConnectionRecord&)>& change,
                                                 const UpdateOptions& options = {}) = 0;
  // not_found when there is none; in_use (and `references` filled, when not null) when
  // any component references it. Its history goes with it; the project's events stay.
  virtual Status DeleteConnection(const std::string& project, const std::string& id,
                                  std::vector<Reference>* references) = 0;
  // A page of the project's connections in name order (case-insensitive), resuming
  // after query.after. partial (not an error) when unreadable rows were left out.
  virtual Result<ConnectionPage> ListConnections(const std::string& project, const ConnectionQuery& query) = 0;
  // Every connection of a project matching the filters ("" for any), from the index rows
  // alone: for work that needs ids, not records (bulk and scheduled probes).
  virtual Result<std::vector<ConnectionKey>> ListConnectionKeys(const std::string& project,
                                                                const std::string& status = "",
                                                                const std::string& provider = "") = 0;
  // Recorded events of one connection / of a whole project, newest first (in the order
  // recorded). `after` is a previous page's next_after; pages never repeat or skip an
  // event.
  virtual Result<EventPage> ListHistory(const std::string& project, const std::string& connection_id,
                                        size_t limit, const std::string& after) = 0;
  virtual Result<EventPage> ListEvents(const std::string& project, size_t limit, const std::string& after) = 0;

  // The components referencing a connection; `kind` "" for every kind. Empty (not an
  // error) for an unknown connection.
  virtual Result<std::vector<Reference>> ListReferences(const std::string& project,
                                                        const std::string& connection_id,
                                                        const std::string& kind = "") = 0;

  // Creates `new_connections` (made by integrations configured inside the component;
  // name_taken as CreateConnection), then stores `component`, whose connections must all
  // exist in its project (unknown_connection naming the first that does not), replacing
  // the references of its previous version and keeping its created_at. Returns the
  // stored component; `created`, when given, is set to whether no component of that id
  // existed (decided inside the same transaction).
  virtual Result<ComponentRecord> PutComponent(ComponentRecord component,
                                               const std::vector<ConnectionRecord>& new_connections,
                                               bool* created = nullptr) = 0;
  // not_found when there is none.
  virtual Result<ComponentRecord> GetComponent(const std::string& project, const std::string& kind,
                                               const std::string& id) = 0;
  // The project's components of `kind`, in id order.
  virtual Result<std::vector<ComponentRecord>> ListComponents(const std::string& project,
                                                              const std::string& kind) = 0;
  // not_found when there is none; its references go with it.
  virtual Status DeleteComponent(const std::string& project, const std::string& kind,
                                 const std::string& id) = 0;

  // Connections by status across all projects, e.g. {"active": 10, "inactive": 2}: only
  // the statuses some connection has (never a 0).
  virtual Result<std::map<std::string, int64_t>> CountConnectionsByStatus() = 0;

 protected:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
};

}  // namespace switchboard
