#include "store/rocksdb/rocksdb_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <condition_variable>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/utilities/transaction.h>
#include <rocksdb/utilities/transaction_db.h>

#include "common/log.hpp"
#include "store/rocksdb/keys.hpp"
#include "store/rocksdb/record_codec.hpp"
#include "store/rocksdb/rocksdb_open.hpp"
#include "store/rocksdb/wal_scan.hpp"
#include "store/storage_health.hpp"

namespace switchboard {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Counter rows hold an int64, little-endian.
std::string EncodeCounter(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  return out;
}

int64_t DecodeCounter(const rocksdb::Slice& s) {
  if (s.size() != 8) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
  return static_cast<int64_t>(v);
}

// Counters are written whole (a read-modify-write under the row's lock), but databases
// written before 2026-11-23 may still hold merge deltas for them: without this operator
// those rows would no longer read, so it stays registered for as long as such data may
// exist. Nothing writes a Merge.
class LegacyCounterMerge : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    *new_value = EncodeCounter(DecodeCounter(value) + (existing ? DecodeCounter(*existing) : 0));
    return true;
  }
  // The name earlier versions registered, so their OPTIONS files still match.
  const char* Name() const override { return "SwitchboardInt64Add"; }
};

enum Family { kDefault, kProjects, kTokens, kConnections, kNames, kStatuses, kComponents, kRefs, kCounters, kHistory, kEvents,
             kNameKeys, kFamilyCount };
const char* const kFamilyNames[kFamilyCount] = {"default", "projects", "tokens", "connections", "names",
                                                "statuses", "components", "refs", "counters",
                                                "history", "events", "name_keys"};

// The format of the uniqueness index (name_keys). A store whose marker is older (or
// absent: written before look-alikes collided) has it rebuilt at open.
constexpr const char* kNameIndexVersionKey = "name_index_version";
constexpr const char* kNameIndexVersion = "2";

// Event keys end in a sequence that sorts newest first: the complement of a strictly
// increasing microsecond clock, in fixed-width hex.
std::string NextEventSequence() {
  static std::atomic<uint64_t> last{0};
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  uint64_t previous = last.load();
  uint64_t next;
  do {
    next = std::max(now, previous + 1);
  } while (!last.compare_exchange_weak(previous, next));
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(~next));
  return text;
}

// A random name for one open of the database: the change tokens' origin.
std::string NewOrigin() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return std::string("rocksdb-") + text;
}

bool IsRetryable(const rocksdb::Status& s) { return s.IsBusy() || s.IsTimedOut() || s.IsTryAgain(); }

const char* const kCorruptDetail = "stored data failed its integrity check and cannot be read";

// Returns from the enclosing function with `expr`'s Status when it is an error.
#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    if (Status status_ = (expr); !status_.ok()) { \
      return status_;                            \
    }                                            \
  } while (0)

// RocksDB's own recovery from a full volume (its SstFileManager's) waits for free space of
// a whole write buffer, 64 MiB, before it resumes, and while it waits DB::Resume()
// answers Busy: on a small volume writes never came back. The store's resumer resumes
// instead, as soon as a flush and a synced write fit.
class NoAutomaticRecovery : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "SwitchboardNoAutomaticRecovery"; }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status, bool* auto_recovery) override {
    *auto_recovery = false;
  }
};

// RocksDB's info log (the LOG file) lives on the data volume, and its writer aborts the
// process (an assertion in Debian's build) when it appends again after the volume was
// full. Its warnings and errors go to the host's log instead, which is not on that volume.
class HostLogger : public rocksdb::Logger {
 public:
  HostLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    const std::string text = std::string("rocksdb: ") + line;
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) log::Error(text);
    else log::Warn(text);
  }
};

Status CheckWals(const fs::path& dir) {
  for (const auto& file : wal::ListWalFiles(dir)) {
    wal::WalFileReport report = wal::ScanWalFile(file);
    if (!report.damaged || report.incomplete_tail) continue;
    return Status::Error(
        Code::kWalCorrupt,
        "the write-ahead log " + file.string() + " is damaged at byte " + std::to_string(report.damaged_at) + " (" +
            report.problem + "): " + std::to_string(report.batches_after) + " readable write batch(es) and " +
            std::to_string(report.bytes_after) +
            " byte(s) after it would be dropped by recovery; the store refuses to open rather than lose them");
  }
  return Status::Ok();
}

}  // namespace

namespace store_internal {

const char* const kConnectionsFamily = "connections";

// The one place the database's options are chosen: the host and `store check/recover`
// open it alike.
rocksdb::Options StoreDbOptions(rocksdb::Env* env) {
  rocksdb::Options db_options;
  if (env != nullptr) db_options.env = env;
  db_options.IncreaseParallelism(2);
  db_options.keep_log_file_num = 5;
  // CheckWals has read every WAL before this; what RocksDB may still meet is the
  // unfinished last record of an interrupted (so never acknowledged) write.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  db_options.paranoid_checks = true;
  db_options.listeners.push_back(std::make_shared<NoAutomaticRecovery>());
  db_options.info_log = std::make_shared<HostLogger>();
  return db_options;
}

std::vector<rocksdb::ColumnFamilyDescriptor> FamilyDescriptors(const rocksdb::Options& db_options) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int f = 0; f < kFamilyCount; ++f) {
    rocksdb::ColumnFamilyOptions family_options(db_options);
    if (f == kCounters) family_options.merge_operator = std::make_shared<LegacyCounterMerge>();
    descriptors.emplace_back(kFamilyNames[f], family_options);
  }
  return descriptors;
}

// data_dir_locked when another process holds the database's LOCK (RocksDB takes it
// with fcntl), before anything reads files another host may be writing.
Status CheckNotLocked(const std::filesystem::path& dir) {
  int fd = ::open((dir / "LOCK").c_str(), O_RDONLY);
  if (fd < 0) return Status::Ok();
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool locked = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  ::close(fd);
  if (!locked) return Status::Ok();
  return Status::Error(Code::kDataDirLocked, "the data folder " + dir.string() +
                                              " is in use by another Switchboard host (process " +
                                              std::to_string(probe.l_pid) + ")");
}

}  // namespace store_internal

using store_internal::CheckNotLocked;
using store_internal::FamilyDescriptors;
using store_internal::StoreDbOptions;

struct RocksDbStore::Impl {
  std::unique_ptr<rocksdb::TransactionDB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::WriteOptions write_options;
  // The change token: commits of this process (the only one that can hold the
  // database), under an origin drawn at open so two opens never share a token.
  std::string origin;
  std::atomic<uint64_t> commits{0};
  StorageHealth health;

  // The resumer: while writes fail, asks RocksDB to resume once a second (after a full
  // volume it flushes and starts a new WAL) and tries a small synced write, so writes are
  // accepted again as soon as space returns. The verifier checks every SST's checksums once.
  std::thread resumer;
  std::thread verifier;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (resumer.joinable()) resumer.join();
    if (verifier.joinable()) verifier.join();
    for (auto* family : families) {
      if (family != nullptr) db->DestroyColumnFamilyHandle(family);
    }
    if (db) db->Close();
  }

  // Maps a failed read; RocksDB's message (paths, files, offsets) goes to the log only.
  Status Read(const rocksdb::Status& s) {
    if (s.ok()) return Status::Ok();
    if (s.IsNotFound()) return Status::Error(Code::kNotFound, "not found");
    if (IsRetryable(s)) return Status::Error(Code::kBusy, "the store is busy; retry");
    if (s.IsCorruption()) {
      health.CorruptionFound(s.ToString());
      return Status::Error(Code::kCorruption, kCorruptDetail);
    }
    health.ReadFailed(s.ToString());
    return Status::Error(Code::kStorageUnavailable, "the stored data cannot be read right now");
  }

  // Maps a failed write (the change was not stored) and marks writes failing.
  Status Write(const rocksdb::Status& s) {
    if (s.ok()) {
      health.WritesRecovered();
      return Status::Ok();
    }
    if (IsRetryable(s)) return Status::Error(Code::kBusy, "the store is busy; retry");
    if (s.IsNoSpace()) {
      health.WriteFailed(WriteState::kFull, s.ToString());
      WakeResumer();
      return Status::Error(Code::kStorageFull, "the data volume is full; the change was not stored");
    }
    health.WriteFailed(WriteState::kUnavailable, s.ToString());
    WakeResumer();
    return Status::Error(Code::kStorageUnavailable, "the storage cannot store changes right now; the change was not stored");
  }

  void WakeResumer() { wake.notify_all(); }

  void ResumeLoop() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      wake.wait_for(lock, std::chrono::seconds(1));
      if (stopping || !health.WritesFailing()) continue;
      lock.unlock();
      TryResume();
      lock.lock();
      // At most one attempt a second, however many writes fail meanwhile.
      wake.wait_for(lock, std::chrono::seconds(1), [this] { return stopping; });
    }
  }

  void TryResume() {
    // TransactionDB (a StackableDB) does not forward Resume(): ask the DB under it.
    rocksdb::Status resumed = db->GetRootDB()->Resume();
    if (!resumed.ok() && !resumed.IsBusy()) return;  // still failing (or a recovery of RocksDB's own runs)
    // Resume() also answers OK when nothing was stopped; only a real synced write says
    // that changes are stored again.
    rocksdb::WriteOptions synced;
    synced.sync = true;
    rocksdb::Status probe = db->Put(synced, cf(kDefault), "storage_probe", NowRfc3339());
    if (probe.ok()) health.WritesRecovered();
  }

  void VerifyChecksums() {
    rocksdb::Status s = db->VerifyChecksum();
    health.VerificationFinished(s.ok() || s.IsShutdownInProgress(), s.ToString());
  }

  rocksdb::ColumnFamilyHandle* cf(Family f) const { return families[f]; }

  // Maps a failed RocksDB call inside a transaction: a lock conflict or timeout is busy
  // (RunTransaction retries the whole transaction), anything else as a failed read.
  Status Check(const rocksdb::Status& s) {
    if (s.ok()) return Status::Ok();
    if (IsRetryable(s)) return Status::Error(Code::kBusy, "the store is busy; retry");
    return Read(s);
  }

  // Runs `body` (a Status(rocksdb::Transaction&)) in a transaction and commits it when it
  // returns Ok; rolls back and returns its error otherwise. busy (a lock conflict or a
  // timeout) is retried, as is a commit that failed for one.
  template <typename Body>
  Status RunTransaction(Body&& body, Durability durability = Durability::kOnDisk) {
    rocksdb::WriteOptions options = write_options;
    if (durability == Durability::kMayLoseOnCrash) options.sync = false;
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<rocksdb::Transaction> txn(db->BeginTransaction(options));
      Status done = body(*txn);
      if (done.ok()) {
        rocksdb::Status committed = txn->Commit();
        if (committed.ok()) {
          commits.fetch_add(1, std::memory_order_release);  // after the commit: see CurrentChangeToken()
          health.WritesRecovered();
          return Status::Ok();
        }
        if (!IsRetryable(committed) || attempt >= 50) return Write(committed);
      } else {
        txn->Rollback().PermitUncheckedError();
        if (done.IsNot(Code::kBusy) || attempt >= 50) return done;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(100 * (1 + attempt % 10)));
    }
  }

  // A row as JSON; nullopt when there is none.
  Result<std::optional<json>> GetJson(Family f, const std::string& key, const rocksdb::Snapshot* snapshot = nullptr) {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    std::string value;
    auto s = db->Get(read, cf(f), key, &value);
    if (s.IsNotFound()) return std::optional<json>();
    if (!s.ok()) return Read(s);
    json parsed = json::parse(value, nullptr, false);
    if (parsed.is_discarded()) return Status::Error(Code::kCorruption, "unreadable record");
    return std::optional<json>(std::move(parsed));
  }

  // Reads a row inside `txn`, locking it until commit; nullopt when there is none.
  Result<std::optional<json>> LockJson(rocksdb::Transaction& txn, Family f, const std::string& key) {
    std::string value;
    auto s = txn.GetForUpdate(rocksdb::ReadOptions(), cf(f), key, &value);
    if (s.IsNotFound()) return std::optional<json>();
    RETURN_IF_ERROR(Check(s));
    json parsed = json::parse(value, nullptr, false);
    if (parsed.is_discarded()) return Status::Error(Code::kCorruption, "unreadable record");
    return std::optional<json>(std::move(parsed));
  }

  // Whether `txn` holds a row at `key` (locking it until commit).
  Result<bool> LockExists(rocksdb::Transaction& txn, Family f, const std::string& key) {
    auto row = LockJson(txn, f, key);
    if (!row.ok()) return row.status();
    return row->has_value();
  }

  // Read-modify-write under the counter row's lock. Not a Merge: a batch holding a Merge
  // is never grouped with other writers' batches, so every commit would pay its own
  // fsync. A counter row is per connection, so only writers of one connection share it.
  Status Add(rocksdb::Transaction& txn, const std::string& key, int64_t delta) {
    std::string value;
    auto s = txn.GetForUpdate(rocksdb::ReadOptions(), cf(kCounters), key, &value);
    if (!s.IsNotFound()) RETURN_IF_ERROR(Check(s));
    const int64_t current = s.ok() ? DecodeCounter(value) : 0;
    return Check(txn.Put(cf(kCounters), key, EncodeCounter(current + delta)));
  }

  // Deletes every row of `family` whose key starts with `prefix`.
  Status DeletePrefix(rocksdb::Transaction& txn, Family family, const std::string& prefix) {
    std::unique_ptr<rocksdb::Iterator> rows(txn.GetIterator(rocksdb::ReadOptions(), cf(family)));
    for (rows->Seek(prefix); rows->Valid() && rows->key().starts_with(prefix); rows->Next()) {
      RETURN_IF_ERROR(Check(txn.Delete(cf(family), rows->key())));
    }
    return Check(rows->status());
  }

  static json IndexValue(const ConnectionRecord& c) {
    return {{"id", c.id}, {"provider", c.provider}, {"status", c.status}};
  }

  Status PutIndexes(rocksdb::Transaction& txn, const ConnectionRecord& c) {
    RETURN_IF_ERROR(Check(txn.Put(cf(kNames), keys::Name(c.project, c.name), IndexValue(c).dump())));
    return Check(txn.Put(cf(kStatuses), keys::StatusIndex(c.project, c.status, c.name), IndexValue(c).dump()));
  }

  Status DeleteIndexes(rocksdb::Transaction& txn, const ConnectionRecord& c) {
    RETURN_IF_ERROR(Check(txn.Delete(cf(kNames), keys::Name(c.project, c.name))));
    return Check(txn.Delete(cf(kStatuses), keys::StatusIndex(c.project, c.status, c.name)));
  }

  // Claims the uniqueness row of `c`'s name for `c`, or fails with name_taken when a
  // connection with the same or a look-alike name holds it.
  Status ClaimName(rocksdb::Transaction& txn, const ConnectionRecord& c) {
    const std::string key = keys::UniqueName(c.project, c.name);
    auto holder = LockJson(txn, kNameKeys, key);
    if (!holder.ok()) return holder.status();
    if (*holder && (*holder)->value("id", "") != c.id) {
      return Status::Error(Code::kNameTaken, "a connection named '" + c.name + "' (or one that looks the same) already exists");
    }
    return Check(txn.Put(cf(kNameKeys), key, json{{"id", c.id}}.dump()));
  }

  // Gives up `c`'s uniqueness row, unless another connection holds it (two look-alikes
  // stored before they collided).
  Status ReleaseName(rocksdb::Transaction& txn, const ConnectionRecord& c) {
    const std::string key = keys::UniqueName(c.project, c.name);
    auto holder = LockJson(txn, kNameKeys, key);
    if (!holder.ok()) return holder.status();
    if (*holder && (*holder)->value("id", "") == c.id) return Check(txn.Delete(cf(kNameKeys), key));
    return Status::Ok();
  }

  Status CreateConnectionIn(rocksdb::Transaction& txn, const ConnectionRecord& c) {
    auto named = LockExists(txn, kNames, keys::Name(c.project, c.name));
    if (!named.ok()) return named.status();
    if (*named) return Status::Error(Code::kNameTaken, "a connection named '" + c.name + "' already exists");
    RETURN_IF_ERROR(ClaimName(txn, c));
    RETURN_IF_ERROR(Check(txn.Put(cf(kConnections), keys::Connection(c.project, c.id), ToStored(c).dump())));
    return PutIndexes(txn, c);
  }

  // Rewrites name_keys from the connection records when it is older than this host's
  // format. A later look-alike of an earlier name (both allowed before) keeps its record
  // but not the row; the first one in key order holds it.
  Status UpgradeNameIndex() {
    std::string version;
    auto got = db->Get(rocksdb::ReadOptions(), cf(kDefault), kNameIndexVersionKey, &version);
    if (got.ok() && version == kNameIndexVersion) return Status::Ok();
    if (!got.ok() && !got.IsNotFound()) return Read(got);
    return RunTransaction([&](rocksdb::Transaction& txn) -> Status {
      std::unique_ptr<rocksdb::Iterator> old(txn.GetIterator(rocksdb::ReadOptions(), cf(kNameKeys)));
      for (old->SeekToFirst(); old->Valid(); old->Next()) RETURN_IF_ERROR(Check(txn.Delete(cf(kNameKeys), old->key())));
      RETURN_IF_ERROR(Check(old->status()));
      std::set<std::string> claimed;
      std::unique_ptr<rocksdb::Iterator> it(txn.GetIterator(rocksdb::ReadOptions(), cf(kConnections)));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        auto decoded = ConnectionFromStored(json::parse(it->value().ToString(), nullptr, false));
        if (!decoded.ok()) continue;  // unreadable records are reported where they are read
        const ConnectionRecord& c = *decoded;
        const std::string key = keys::UniqueName(c.project, c.name);
        if (!claimed.insert(key).second) continue;
        RETURN_IF_ERROR(Check(txn.Put(cf(kNameKeys), key, json{{"id", c.id}}.dump())));
      }
      RETURN_IF_ERROR(Check(it->status()));
      return Check(txn.Put(cf(kDefault), kNameIndexVersionKey, kNameIndexVersion));
    });
  }

  // The reference counters of one connection, per kind (kinds counted down to 0 left
  // out).
  Result<std::map<std::string, int64_t>> ReferenceCounts(rocksdb::Iterator* it, const std::string& project,
                                                         const std::string& id) {
    const std::string prefix = keys::RefCountPrefix(project, id);
    std::map<std::string, int64_t> counts;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      const int64_t count = DecodeCounter(it->value());
      if (count != 0) counts[it->key().ToString().substr(prefix.size())] = count;
    }
    RETURN_IF_ERROR(Check(it->status()));
    return counts;
  }

  // The stored connection and its reference counts; nullopt when there is none.
  // `counters`, when given, is an iterator over kCounters at `snapshot` (a list reuses
  // one for all its rows).
  Result<std::optional<ConnectionRow>> ReadConnectionRow(const std::string& project, const std::string& id,
                                                         const rocksdb::Snapshot* snapshot = nullptr,
                                                         rocksdb::Iterator* counters = nullptr) {
    auto stored = GetJson(kConnections, keys::Connection(project, id), snapshot);
    if (!stored.ok()) return stored.status();
    if (!*stored) return std::optional<ConnectionRow>();
    auto record = ConnectionFromStored(**stored);
    if (!record.ok()) return record.status();
    std::unique_ptr<rocksdb::Iterator> own;
    if (counters == nullptr) {
      rocksdb::ReadOptions read;
      read.snapshot = snapshot;
      own.reset(db->NewIterator(read, cf(kCounters)));
      counters = own.get();
    }
    auto counts = ReferenceCounts(counters, project, id);
    if (!counts.ok()) return counts.status();
    return std::optional<ConnectionRow>(ConnectionRow{std::move(record).value(), std::move(counts).value()});
  }

  // A page of events under `prefix`, newest first, resuming after the sequence `after`.
  Result<EventPage> ScanEvents(Family family, const std::string& prefix, size_t limit,
                               const std::string& after) {
    EventPage page;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(family)));
    const std::string start = after.empty() ? prefix : prefix + after + std::string(1, '\0');
    for (it->Seek(start); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (page.items.size() == limit) {
        page.next_after = page.last_sequence;
        break;
      }
      auto parsed = json::parse(it->value().ToString(), nullptr, false);
      auto event = StatusEventFromStored(parsed);
      if (!event.ok()) return event.status();
      page.items.push_back(std::move(event).value());
      page.last_sequence = it->key().ToString().substr(prefix.size());
    }
    if (!it->status().ok()) return Read(it->status());
    return page;
  }

  // Visits the name index (or the status index when query.status is set) of a project in
  // name order, from after query.after, skipping rows that query.q or query.provider
  // rule out; query.limit is left to `visit`, which returns false to stop.
  Status ScanIndex(const rocksdb::ReadOptions& read, const std::string& project, const ConnectionQuery& query,
                   const std::function<bool(const std::string& lower_name, const json& index)>& visit) {
    const bool by_status = !query.status.empty();
    const std::string prefix = by_status ? keys::Prefix({project, query.status}) : keys::Prefix({project});
    const std::string needle = keys::Lower(query.q);
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, cf(by_status ? kStatuses : kNames)));
    for (it->Seek(prefix + query.after); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      rocksdb::Slice key = it->key();
      std::string lower_name(key.data() + prefix.size(), key.size() - prefix.size());
      if (!query.after.empty() && lower_name <= query.after) continue;
      if (!needle.empty() && lower_name.find(needle) == std::string::npos) continue;
      json index = json::parse(it->value().ToString(), nullptr, false);
      if (!index.is_object()) return Status::Error(Code::kCorruption, kCorruptDetail);
      if (!query.provider.empty() && index.value("provider", "") != query.provider) continue;
      if (!visit(lower_name, index)) break;
    }
    if (!it->status().ok()) return Read(it->status());
    return Status::Ok();
  }

  Result<std::vector<Reference>> ScanReferences(rocksdb::Iterator* it, const std::string& prefix,
                                                const std::string& kind) {
    std::vector<Reference> refs;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      std::string rest = it->key().ToString().substr(prefix.size());
      auto sep = rest.find('\0');
      if (sep == std::string::npos) continue;
      Reference ref{rest.substr(0, sep), rest.substr(sep + 1), ""};
      if (!kind.empty() && ref.kind != kind) continue;
      json value = json::parse(it->value().ToString(), nullptr, false);
      if (value.is_object()) ref.name = value.value("name", "");
      refs.push_back(std::move(ref));
    }
    RETURN_IF_ERROR(Check(it->status()));
    return refs;
  }
};

RocksDbStore::RocksDbStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RocksDbStore::~RocksDbStore() = default;

Result<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(const fs::path& dir, const RocksDbOptions& options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Error(Code::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  if (Status locked = CheckNotLocked(dir); !locked.ok()) return locked;
  // Before RocksDB replays them: a damaged WAL would be truncated at the damage (or a
  // zeroed stretch skipped) without a word, losing acknowledged writes.
  if (Status wals = CheckWals(dir); !wals.ok()) return wals;

  rocksdb::Options db_options = StoreDbOptions(options.env);
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  rocksdb::TransactionDBOptions txn_options;
  txn_options.transaction_lock_timeout = 2000;  // ms; conflicts are retried
  auto impl = std::make_unique<Impl>();
  rocksdb::TransactionDB* raw = nullptr;
  auto s = rocksdb::TransactionDB::Open(db_options, txn_options, dir.string(), FamilyDescriptors(db_options),
                                        &impl->families, &raw);
  if (!s.ok()) {
    std::string text = s.ToString();
    if (text.find("lock") != std::string::npos || text.find("LOCK") != std::string::npos) {
      return Status::Error(Code::kDataDirLocked, "the data folder " + dir.string() +
                                                  " is in use by another Switchboard host (" + text + ")");
    }
    if (s.IsCorruption()) return Status::Error(Code::kStoreCorrupt, "the store in " + dir.string() + " is damaged: " + text);
    return Status::Error(Code::kStorageUnavailable, "cannot open the store in " + dir.string() + ": " + text);
  }
  impl->db.reset(raw);
  impl->write_options.sync = options.sync_writes;
  impl->origin = NewOrigin();
  if (Status upgraded = impl->UpgradeNameIndex(); !upgraded.ok()) return upgraded;
  Impl* started = impl.get();
  impl->resumer = std::thread([started] { started->ResumeLoop(); });
  if (options.verify_in_background) impl->verifier = std::thread([started] { started->VerifyChecksums(); });
  return std::unique_ptr<RocksDbStore>(new RocksDbStore(std::move(impl)));
}

StorageReport RocksDbStore::Health() const { return impl_->health.Report(); }

Status RocksDbStore::VerifyChecksums() {
  impl_->VerifyChecksums();
  return impl_->health.Report().corrupt ? Status::Error(Code::kCorruption, kCorruptDetail) : Status::Ok();
}

ChangeToken RocksDbStore::CurrentChangeToken() const {
  return {impl_->origin, impl_->commits.load(std::memory_order_acquire)};
}

Result<std::optional<std::string>> RocksDbStore::GetMeta(const std::string& key) {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kDefault), key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return impl_->Read(s);
  return std::optional<std::string>(value);
}

Status RocksDbStore::PutMeta(const std::string& key, const std::string& value) {
  return impl_->Write(impl_->db->Put(impl_->write_options, impl_->cf(kDefault), key, value));
}

Status RocksDbStore::CreateProject(const Project& project) {
  return impl_->RunTransaction([&](rocksdb::Transaction& txn) -> Status {
    auto exists = impl_->LockExists(txn, kProjects, project.id);
    if (!exists.ok()) return exists.status();
    if (*exists) return Status::Error(Code::kConflict, "project '" + project.id + "' already exists");
    return impl_->Check(txn.Put(impl_->cf(kProjects), project.id, ToStored(project).dump()));
  });
}

Result<Project> RocksDbStore::GetProject(const std::string& id) {
  auto stored = impl_->GetJson(kProjects, id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Error(Code::kNotFound, "no project '" + id + "'");
  return ProjectFromStored(**stored);
}

Result<std::vector<Project>> RocksDbStore::ListProjects() {
  std::vector<Project> projects;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kProjects)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto project = ProjectFromStored(json::parse(it->value().ToString(), nullptr, false));
    if (!project.ok()) return project.status();
    projects.push_back(std::move(project).value());
  }
  if (!it->status().ok()) return impl_->Read(it->status());
  return projects;
}

Status RocksDbStore::PutToken(const TokenRecord& token) {
  return impl_->Write(impl_->db->Put(impl_->write_options, impl_->cf(kTokens), token.id, ToStored(token).dump()));
}

Result<TokenRecord> RocksDbStore::GetToken(const std::string& id) {
  auto stored = impl_->GetJson(kTokens, id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Error(Code::kNotFound, "no token '" + id + "'");
  return TokenFromStored(**stored);
}

Result<std::vector<TokenRecord>> RocksDbStore::ListTokens(const std::string& project) {
  std::vector<TokenRecord> tokens;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kTokens)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto token = TokenFromStored(json::parse(it->value().ToString(), nullptr, false));
    if (!token.ok()) return token.status();
    if (token->project == project) tokens.push_back(std::move(token).value());
  }
  if (!it->status().ok()) return impl_->Read(it->status());
  return tokens;
}

Status RocksDbStore::DeleteToken(const std::string& project, const std::string& id) {
  return impl_->RunTransaction([&](rocksdb::Transaction& txn) -> Status {
    auto stored = impl_->LockJson(txn, kTokens, id);
    if (!stored.ok()) return stored.status();
    if (!*stored || (*stored)->value("project", "") != project) {
      return Status::Error(Code::kNotFound, "no token '" + id + "'");
    }
    return impl_->Check(txn.Delete(impl_->cf(kTokens), id));
  });
}

Status RocksDbStore::CreateConnection(const ConnectionRecord& connection) {
  return impl_->RunTransaction([&](rocksdb::Transaction& txn) { return impl_->CreateConnectionIn(txn, connection); });
}

Result<ConnectionRow> RocksDbStore::GetConnection(const std::string& project, const std::string& id) {
  auto row = impl_->ReadConnectionRow(project, id);
  if (!row.ok()) return row.status();
  if (!*row) return Status::Error(Code::kNotFound, "no connection '" + id + "'");
  return std::move(**row);
}

Result<std::optional<ConnectionRecord>> RocksDbStore::FindConnectionByName(const std::string& project,
                                                                           const std::string& name) {
  auto index = impl_->GetJson(kNameKeys, keys::UniqueName(project, name));
  if (!index.ok()) return index.status();
  if (!*index) return std::optional<ConnectionRecord>();
  auto stored = impl_->GetJson(kConnections, keys::Connection(project, (*index)->value("id", "")));
  if (!stored.ok()) return stored.status();
  if (!*stored) return std::optional<ConnectionRecord>();
  auto record = ConnectionFromStored(**stored);
  if (!record.ok()) return record.status();
  return std::optional<ConnectionRecord>(std::move(record).value());
}

Result<ConnectionRow> RocksDbStore::UpdateConnection(const std::string& project, const std::string& id,
                                                     const std::function<Status(ConnectionRecord&)>& change,
                                                     const UpdateOptions& options) {
  ConnectionRecord updated;
  std::map<std::string, int64_t> counts;
  std::optional<StatusEvent> event;
  Status status = impl_->RunTransaction([&](rocksdb::Transaction& txn) -> Status {
    event.reset();
    auto stored = impl_->LockJson(txn, kConnections, keys::Connection(project, id));
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::Error(Code::kNotFound, "no connection '" + id + "'");
    auto decoded = ConnectionFromStored(**stored);
    if (!decoded.ok()) return decoded.status();
    const ConnectionRecord before = std::move(decoded).value();
    updated = before;
    RETURN_IF_ERROR(change(updated));
    updated.id = before.id;
    updated.project = before.project;
    if (keys::UniqueName(project, updated.name) != keys::UniqueName(project, before.name)) {
      RETURN_IF_ERROR(impl_->ClaimName(txn, updated));
      RETURN_IF_ERROR(impl_->ReleaseName(txn, before));
    }
    // Index rows hold the name and status only; most updates (a probe's checked time,
    // an edited field) leave them as they are.
    if (updated.name != before.name || updated.status != before.status) {
      RETURN_IF_ERROR(impl_->DeleteIndexes(txn, before));
      RETURN_IF_ERROR(impl_->PutIndexes(txn, updated));
    }
    RETURN_IF_ERROR(impl_->Check(txn.Put(impl_->cf(kConnections), keys::Connection(project, id), ToStored(updated).dump())));
    std::unique_ptr<rocksdb::Iterator> counters(txn.GetIterator(rocksdb::ReadOptions(), impl_->cf(kCounters)));
    auto counted = impl_->ReferenceCounts(counters.get(), project, id);
    if (!counted.ok()) return counted.status();
    counts = std::move(counted).value();
    if (options.event_for) event = options.event_for(before, updated);
    if (event) {
      if (!txn.GetWriteOptions()->sync && impl_->write_options.sync) {
        rocksdb::WriteOptions synced = *txn.GetWriteOptions();
        synced.sync = true;
        txn.SetWriteOptions(synced);
      }
      const std::string sequence = NextEventSequence();
      const std::string text = ToStored(*event).dump();
      RETURN_IF_ERROR(impl_->Check(txn.Put(impl_->cf(kHistory), keys::History(project, id, sequence), text)));
      RETURN_IF_ERROR(impl_->Check(txn.Put(impl_->cf(kEvents), keys::Event(project, sequence), text)));
    }
    return Status::Ok();
  }, options.durability);
  if (!status.ok()) return status;
  if (options.event != nullptr) *options.event = event;
  return ConnectionRow{updated, std::move(counts)};
}

Status RocksDbStore::DeleteConnection(const std::string& project, const std::string& id,
                                      std::vector<Reference>* references) {
  return impl_->RunTransaction([&](rocksdb::Transaction& txn) -> Status {
    auto stored = impl_->LockJson(txn, kConnections, keys::Connection(project, id));
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::Error(Code::kNotFound, "no connection '" + id + "'");
    auto record = ConnectionFromStored(**stored);
    if (!record.ok()) return record.status();
    // Anything that attaches to this connection must lock its row first, so this scan
    // sees every reference that can exist.
    std::unique_ptr<rocksdb::Iterator> it(txn.GetIterator(rocksdb::ReadOptions(), impl_->cf(kRefs)));
    auto refs = impl_->ScanReferences(it.get(), keys::Prefix({project, id}), "");
    if (!refs.ok()) return refs.status();
    if (!refs->empty()) {
      if (references != nullptr) *references = *refs;
      return Status::Error(Code::kInUse, "connection '" + record->name + "' is used by " +
                                             std::to_string(refs->size()) + " component(s)");
    }
    RETURN_IF_ERROR(impl_->Check(txn.Delete(impl_->cf(kConnections), keys::Connection(project, id))));
    RETURN_IF_ERROR(impl_->DeleteIndexes(txn, *record));
    RETURN_IF_ERROR(impl_->ReleaseName(txn, *record));
    // Its counters (of every kind) and its history go with it; the project's event feed
    // keeps the changes.
    RETURN_IF_ERROR(impl_->DeletePrefix(txn, kCounters, keys::RefCountPrefix(project, id)));
    return impl_->DeletePrefix(txn, kHistory, keys::Prefix({project, id}));
  });
}

Result<EventPage> RocksDbStore::ListHistory(const std::string& project, const std::string& connection_id,
                                     size_t limit, const std::string& after) {
  return impl_->ScanEvents(kHistory, keys::Prefix({project, connection_id}), limit, after);
}

Result<EventPage> RocksDbStore::ListEvents(const std::string& project, size_t limit, const std::string& after) {
  return impl_->ScanEvents(kEvents, keys::Prefix({project}), limit, after);
}

Result<ConnectionPage> RocksDbStore::ListConnections(const std::string& project, const ConnectionQuery& query) {
  ConnectionPage page;
  const rocksdb::Snapshot* snapshot = impl_->db->GetSnapshot();
  struct Release {
    rocksdb::TransactionDB* db;
    const rocksdb::Snapshot* s;
    ~Release() { db->ReleaseSnapshot(s); }
  } release{impl_->db.get(), snapshot};
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  std::vector<std::string> ids;
  std::string last_name;
  bool more = false;
  Status scanned = impl_->ScanIndex(read, project, query, [&](const std::string& lower_name, const json& index) {
    if (ids.size() == query.limit) {
      more = true;
      return false;
    }
    ids.push_back(index.value("id", ""));
    last_name = lower_name;
    return true;
  });
  if (scanned.Is(Code::kCorruption)) {
    // An unreadable stretch of the index: answer what was read before it, and no cursor
    // (the rows past it cannot be reached in order).
    page.partial = true;
    more = false;
  } else if (!scanned.ok()) {
    return scanned;
  }
  std::unique_ptr<rocksdb::Iterator> counters(impl_->db->NewIterator(read, impl_->cf(kCounters)));
  for (const auto& id : ids) {
    auto row = impl_->ReadConnectionRow(project, id, snapshot, counters.get());
    if (row.ok()) {
      if (*row) page.items.push_back(std::move(**row));
      continue;
    }
    if (row.status().IsNot(Code::kCorruption)) return row.status();
    impl_->health.RowSkipped();  // one unreadable record does not hide the others
    page.partial = true;
  }
  if (more) page.next_after = last_name;
  return page;
}

Result<std::vector<ConnectionKey>> RocksDbStore::ListConnectionKeys(const std::string& project, const std::string& status,
                                                             const std::string& provider) {
  ConnectionQuery query;
  query.status = status;
  query.provider = provider;
  std::vector<ConnectionKey> found;
  Status scanned = impl_->ScanIndex(rocksdb::ReadOptions(), project, query, [&](const std::string&, const json& index) {
    found.push_back({index.value("id", ""), index.value("provider", "")});
    return true;
  });
  if (!scanned.ok() && scanned.IsNot(Code::kCorruption)) return scanned;  // corruption: the readable ones
  return found;
}

Result<std::vector<Reference>> RocksDbStore::ListReferences(const std::string& project,
                                                     const std::string& connection_id,
                                                     const std::string& kind) {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kRefs)));
  return impl_->ScanReferences(it.get(), keys::Prefix({project, connection_id}), kind);
}

Result<ComponentRecord> RocksDbStore::PutComponent(ComponentRecord component,
                                                   const std::vector<ConnectionRecord>& new_connections,
                                                   bool* created) {
  bool existed = false;
  Status status = impl_->RunTransaction([&](rocksdb::Transaction& txn) -> Status {
    const std::string& p = component.project;
    for (const auto& connection : new_connections) RETURN_IF_ERROR(impl_->CreateConnectionIn(txn, connection));

    auto previous = impl_->LockJson(txn, kComponents, keys::Component(p, component.kind, component.id));
    if (!previous.ok()) return previous.status();
    std::vector<std::string> old_ids;
    component.created_at = component.updated_at;
    existed = previous->has_value();
    if (*previous) {
      auto decoded = ComponentFromStored(**previous);
      if (!decoded.ok()) return decoded.status();
      old_ids = decoded->connections;
      component.created_at = decoded->created_at;
    }
    std::set<std::string> new_set(component.connections.begin(), component.connections.end());
    std::set<std::string> old_set(old_ids.begin(), old_ids.end());
    std::set<std::string> fresh;
    for (const auto& c : new_connections) fresh.insert(c.id);

    // Lock every connection involved, in id order so two writers never deadlock.
    std::set<std::string> all = new_set;
    all.insert(old_set.begin(), old_set.end());
    for (const auto& id : all) {
      if (fresh.count(id)) continue;  // created above, in this transaction
      auto exists = impl_->LockExists(txn, kConnections, keys::Connection(p, id));
      if (!exists.ok()) return exists.status();
      if (!*exists && new_set.count(id)) {
        return Status::Error(Code::kUnknownConnection, "connection '" + id + "' does not exist in project '" + p + "'");
      }
    }
    const json ref_value = {{"name", component.name}};
    for (const auto& id : old_set) {
      if (new_set.count(id)) continue;
      RETURN_IF_ERROR(impl_->Check(txn.Delete(impl_->cf(kRefs), keys::Ref(p, id, component.kind, component.id))));
      RETURN_IF_ERROR(impl_->Add(txn, keys::RefCount(p, id, component.kind), -1));
    }
    for (const auto& id : new_set) {
      RETURN_IF_ERROR(
          impl_->Check(txn.Put(impl_->cf(kRefs), keys::Ref(p, id, component.kind, component.id), ref_value.dump())));
      if (!old_set.count(id)) RETURN_IF_ERROR(impl_->Add(txn, keys::RefCount(p, id, component.kind), 1));
    }
    return impl_->Check(
        txn.Put(impl_->cf(kComponents), keys::Component(p, component.kind, component.id), ToStored(component).dump()));
  });
  if (!status.ok()) return status;
  if (created) *created = !existed;
  return component;
}

Result<ComponentRecord> RocksDbStore::GetComponent(const std::string& project, const std::string& kind,
                                                   const std::string& id) {
  auto stored = impl_->GetJson(kComponents, keys::Component(project, kind, id));
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Error(Code::kNotFound, "no " + kind + " '" + id + "'");
  return ComponentFromStored(**stored);
}

Result<std::vector<ComponentRecord>> RocksDbStore::ListComponents(const std::string& project, const std::string& kind) {
  std::vector<ComponentRecord> out;
  const std::string prefix = keys::Prefix({project, kind});
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kComponents)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto component = ComponentFromStored(json::parse(it->value().ToString(), nullptr, false));
    if (!component.ok()) return component.status();
    out.push_back(std::move(component).value());
  }
  if (!it->status().ok()) return impl_->Read(it->status());
  return out;
}

Status RocksDbStore::DeleteComponent(const std::string& project, const std::string& kind, const std::string& id) {
  return impl_->RunTransaction([&](rocksdb::Transaction& txn) -> Status {
    auto stored = impl_->LockJson(txn, kComponents, keys::Component(project, kind, id));
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::Error(Code::kNotFound, "no " + kind + " '" + id + "'");
    auto decoded = ComponentFromStored(**stored);
    if (!decoded.ok()) return decoded.status();
    for (const auto& conn : decoded->connections) {
      RETURN_IF_ERROR(impl_->Check(txn.Delete(impl_->cf(kRefs), keys::Ref(project, conn, kind, id))));
      RETURN_IF_ERROR(impl_->Add(txn, keys::RefCount(project, conn, kind), -1));
    }
    return impl_->Check(txn.Delete(impl_->cf(kComponents), keys::Component(project, kind, id)));
  });
}

Result<std::map<std::string, int64_t>> RocksDbStore::CountConnectionsByStatus() {
  // Counted off the status index (<p> 0 <status> 0 <name>) rather than kept in a counter
  // row every create would have to lock.
  std::map<std::string, int64_t> counts;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kStatuses)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    const char* start = static_cast<const char*>(std::memchr(key.data(), '\0', key.size()));
    if (start == nullptr) continue;
    ++start;
    const char* end = static_cast<const char*>(std::memchr(start, '\0', key.data() + key.size() - start));
    if (end == nullptr) continue;
    ++counts[std::string(start, end)];
  }
  if (!it->status().ok()) return impl_->Read(it->status());
  return counts;
}

#undef RETURN_IF_ERROR

}  // namespace switchboard
