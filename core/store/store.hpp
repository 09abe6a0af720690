// The connection store: projects, tokens, connections, components (flows, deployments...)
// and the references between them, in an embedded RocksDB TransactionDB.
//
// Every change is one pessimistic transaction written with sync (acknowledged means on
// disk), and every derived row — name index, status index, reference rows and counters —
// is written in the same transaction as the row it derives from. A connection row's
// lock serializes everything that must agree on its existence: deleting it, and
// components starting to reference it. So a delete and an attach that race either make
// the delete fail (in use) or fail themselves (unknown connection), never neither.
//
// THREADS: a Store is safe for concurrent use from any number of threads.
// Errors carry these codes: not_found, conflict, name_taken, in_use, unknown_connection,
// busy, corruption (a row failed its checksum), storage_full (the volume is full; nothing
// was stored), storage_unavailable (another I/O error; nothing was stored), and from Open
// data_dir_locked, wal_corrupt, store_corrupt. No message carries RocksDB's text: that
// goes to the log (see StorageHealth). Writes refused for a full volume are accepted
// again by themselves once space returns.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "store/records.hpp"
#include "store/storage_health.hpp"

namespace rocksdb {
class Env;
}

namespace switchboard {

struct StoreOptions {
  // fsync the write-ahead log before acknowledging a change. Default: true.
  bool sync_writes = true;
  // Verify every SST's checksums in a background thread after opening (10 to 130 ms for
  // 100k connections; docs/BENCHMARKS.md). Default: true.
  bool verify_in_background = true;
  // Not owned; nullptr for the default. Tests inject failing file systems through it.
  rocksdb::Env* env = nullptr;
};

struct ConnectionRow {
  ConnectionRecord record;
  int64_t flows = 0;  // flows referencing it
};

struct ConnectionQuery {
  std::string status;    // "" for any
  std::string provider;  // "" for any
  std::string q;         // case-insensitive substring of the name, "" for any
  size_t limit = 50;
  std::string after;     // position from the previous page's next_after, "" for the start
};

// What the index rows tell of a connection without reading it.
struct ConnectionKey {
  std::string id;
  std::string provider;
};

struct ConnectionPage {
  std::vector<ConnectionRow> items;  // ordered by name, case-insensitively
  std::string next_after;            // "" when this is the last page
  // Rows were left out because stored data failed its checksum (items holds what was
  // readable; past an unreadable stretch of the index the page ends).
  bool partial = false;
};

struct UpdateOptions {
  // false: acknowledge before the change is fsynced. For changes that are cheap to lose
  // in a crash (a probe that only moved checked_at); a status change is always durable.
  bool durable = true;
  // Filled when the change moved the status or its reason (and so was recorded).
  std::optional<StatusEvent>* event = nullptr;
};

struct EventPage {
  std::vector<StatusEvent> items;  // newest first
  std::string next_after;          // "" when this is the last page
  std::string last_sequence;
};

class Store {
 public:
  // Opens (creating if needed) the database in `dir`. Fails with data_dir_locked when
  // another process has it open, with wal_corrupt when a write-ahead log is damaged
  // anywhere but in an unfinished last record (see store/store_check.hpp to recover).
  static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& dir,
                                             const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A number that grows after every committed change. A reader that notes it before
  // reading may reuse what it read for as long as the number is unchanged.
  uint64_t Generation() const;

  // Whether writes currently fail and whether stored data failed a checksum.
  StorageReport Health() const;
  // Verifies every SST's checksums now (what the background verification does).
  Status VerifyChecksums();

  Result<std::optional<std::string>> GetMeta(const std::string& key);
  Status PutMeta(const std::string& key, const std::string& value);

  Status CreateProject(const Project& project);  // conflict when the id exists
  Result<Project> GetProject(const std::string& id);
  Result<std::vector<Project>> ListProjects();

  Status PutToken(const TokenRecord& token);
  Result<TokenRecord> GetToken(const std::string& id);
  Result<std::vector<TokenRecord>> ListTokens(const std::string& project);
  Status DeleteToken(const std::string& project, const std::string& id);

  // name_taken when another connection of the project has that name (case-insensitive).
  Status CreateConnection(const ConnectionRecord& connection);
  Result<ConnectionRow> GetConnection(const std::string& project, const std::string& id);
  Result<std::optional<ConnectionRecord>> FindConnectionByName(const std::string& project,
                                                               const std::string& name);
  // Applies `change` to the stored record under its lock and stores the result, moving
  // the index rows when the name or status changed. An error from `change` aborts.
  // A change of status or of its reason is recorded, in the same transaction, in the
  // connection's history and the project's event feed.
  Result<ConnectionRow> UpdateConnection(const std::string& project, const std::string& id,
                                         const std::function<Status(ConnectionRecord&)>& change,
                                         const UpdateOptions& options = {});
  // in_use (and `references` filled) when any component references it.
  Status DeleteConnection(const std::string& project, const std::string& id,
                          std::vector<Reference>* references);
  Result<ConnectionPage> ListConnections(const std::string& project, const ConnectionQuery& query);
  // Every connection of a project matching the filters ("" for any), from the index rows
  // alone: for work that needs ids, not records (bulk and scheduled probes).
  Result<std::vector<ConnectionKey>> ListConnectionKeys(const std::string& project, const std::string& status = "",
                                                        const std::string& provider = "");
  // Status changes of one connection / of a whole project, newest first. `after` is a
  // previous page's next_after.
  Result<EventPage> ListHistory(const std::string& project, const std::string& connection_id,
                                size_t limit, const std::string& after);
  Result<EventPage> ListEvents(const std::string& project, size_t limit, const std::string& after);

  // The components referencing a connection; `kind` "" for every kind.
  Result<std::vector<Reference>> ListReferences(const std::string& project,
                                                const std::string& connection_id,
                                                const std::string& kind = "");

  // Creates `new_connections` (made by integrations configured inside the component),
  // then stores `component`, whose connections must all exist in its project
  // (unknown_connection naming the first that does not), replacing the references of
  // its previous version. Returns the stored component; `created`, when given, is set to
  // whether no component of that id existed (decided inside the same transaction).
  Result<ComponentRecord> PutComponent(ComponentRecord component,
                                       const std::vector<ConnectionRecord>& new_connections,
                                       bool* created = nullptr);
  Result<ComponentRecord> GetComponent(const std::string& project, const std::string& kind,
                                       const std::string& id);
  Result<std::vector<ComponentRecord>> ListComponents(const std::string& project,
                                                      const std::string& kind);
  Status DeleteComponent(const std::string& project, const std::string& kind,
                         const std::string& id);

  // Connections by status across all projects, e.g. {"active": 10, "inactive": 2}.
  Result<std::map<std::string, int64_t>> CountConnectionsByStatus();

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard
