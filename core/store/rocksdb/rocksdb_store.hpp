// The Store on an embedded RocksDB TransactionDB (key layout: keys.hpp; stored form:
// record_codec.hpp).
//
// Every change is one pessimistic transaction, written with sync unless the options or
// the update say otherwise. A connection row's lock serializes everything that must
// agree on its existence: deleting it, and components starting to reference it.
// Lock conflicts and timeouts are retried inside the store.
//
// One process holds the database (its LOCK file): data_dir_locked is the backend's
// "held by another process". So the change token is a counter of this process's commits
// under an origin drawn at open, and it is valid for every reader there can be.
#pragma once

#include <filesystem>
#include <memory>

#include "store/rocksdb/rocksdb_options.hpp"
#include "store/store.hpp"

namespace switchboard {

class RocksDbStore final : public Store {
 public:
  // Opens (creating if needed) the database in `dir`. Fails with data_dir_locked when
  // another process has it open, with wal_corrupt when a write-ahead log is damaged
  // anywhere but in an unfinished last record, store_corrupt when RocksDB finds the
  // database damaged (see store/rocksdb/store_check.hpp to recover).
  static Result<std::unique_ptr<RocksDbStore>> Open(const std::filesystem::path& dir,
                                                    const RocksDbOptions& options = {});
  ~RocksDbStore() override;

  // Verifies every SST's checksums now (what the background verification does):
  // corruption when one failed (Health() then says so too).
  Status VerifyChecksums();

  ChangeToken CurrentChangeToken() const override;
  StorageReport Health() const override;

  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;

  Status CreateProject(const Project& project) override;
  Result<Project> GetProject(const std::string& id) override;
  Result<std::vector<Project>> ListProjects() override;

  Status PutToken(const TokenRecord& token) override;
  Result<TokenRecord> GetToken(const std::string& id) override;
  Result<std::vector<TokenRecord>> ListTokens(const std::string& project) override;
  Status DeleteToken(const std::string& project, const std::string& id) override;

  Status CreateConnection(const ConnectionRecord& connection) override;
  Result<ConnectionRow> GetConnection(const std::string& project, const std::string& id) override;
  Result<std::optional<ConnectionRecord>> FindConnectionByName(const std::string& project,
                                                               const std::string& name) override;
  Result<ConnectionRow> UpdateConnection(const std::string& project, const std::string& id,
                                         const std::function<Status(ConnectionRecord&)>& change,
                                         const UpdateOptions& options = {}) override;
  Status DeleteConnection(const std::string& project, const std::string& id,
                          std::vector<Reference>* references) override;
  Result<ConnectionPage> ListConnections(const std::string& project, const ConnectionQuery& query) override;
  Result<std::vector<ConnectionKey>> ListConnectionKeys(const std::string& project, const std::string& status = "",
                                                        const std::string& provider = "") override;
  Result<EventPage> ListHistory(const std::string& project, const std::string& connection_id, size_t limit,
                                const std::string& after) override;
  Result<EventPage> ListEvents(const std::string& project, size_t limit, const std::string& after) override;
  Result<std::vector<Reference>> ListReferences(const std::string& project, const std::string& connection_id,
                                                const std::string& kind = "") override;

  Result<ComponentRecord> PutComponent(ComponentRecord component,
                                       const std::vector<ConnectionRecord>& new_connections,
                                       bool* created = nullptr) override;
  Result<ComponentRecord> GetComponent(const std::string& project, const std::string& kind,
                                       const std::string& id) override;
  Result<std::vector<ComponentRecord>> ListComponents(const std::string& project, const std::string& kind) override;
  Status DeleteComponent(const std::string& project, const std::string& kind, const std::string& id) override;

  Result<std::map<std::string, int64_t>> CountConnectionsByStatus() override;

 private:
  struct Impl;
  explicit RocksDbStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard
