#include "store/rocksdb/store_check.hpp"

#include <algorithm>
#include <ctime>
#include <memory>

#include <rocksdb/db.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/utilities/transaction_db.h>

#include "store/rocksdb/rocksdb_open.hpp"

namespace switchboard {
namespace {

namespace fs = std::filesystem;
using store_internal::FamilyDescriptors;
using store_internal::StoreDbOptions;

struct ReadOnlyStore {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  ~ReadOnlyStore() {
    for (auto* family : families) db->DestroyColumnFamilyHandle(family);
  }
};

// Opens the store read-only in point-in-time mode: the WALs are replayed in memory up to
// their first damage and nothing on disk changes. So what it reads is what recovery keeps.
Status OpenReadOnly(const fs::path& db_dir, ReadOnlyStore& out) {
  rocksdb::Options options = StoreDbOptions(nullptr);
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  auto descriptors = FamilyDescriptors(options);
  std::vector<std::string> existing;
  if (auto s = rocksdb::DB::ListColumnFamilies(options, db_dir.string(), &existing); !s.ok()) {
    return Status::Error(Code::kStoreCorrupt, s.ToString());
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> present;
  for (const auto& d : descriptors) {
    if (std::find(existing.begin(), existing.end(), d.name) != existing.end()) present.push_back(d);
  }
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::OpenForReadOnly(options, db_dir.string(), present, &out.families, &raw);
  if (!s.ok()) return Status::Error(Code::kStoreCorrupt, s.ToString());
  out.db.reset(raw);
  return Status::Ok();
}

void CheckSsts(ReadOnlyStore& store, const fs::path& db_dir, StoreCheckReport& report) {
  std::vector<rocksdb::LiveFileMetaData> files;
  store.db->GetLiveFilesMetaData(&files);
  rocksdb::Options options = StoreDbOptions(nullptr);
  for (const auto& meta : files) {
    SstFileCheck check;
    check.file = fs::path(meta.name).filename().string();
    check.family = meta.column_family_name;
    check.size = meta.size;
    check.entries = meta.num_entries;
    rocksdb::SstFileReader reader(options);
    auto s = reader.Open((db_dir / check.file).string());
    if (s.ok()) s = reader.VerifyChecksum();
    if (!s.ok()) {
      check.ok = false;
      check.problem = s.ToString();
    }
    report.ssts.push_back(std::move(check));
  }
}

void CountRows(ReadOnlyStore& store, StoreCheckReport& report) {
  for (auto* family : store.families) {
    uint64_t rows = 0;
    std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(rocksdb::ReadOptions(), family));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++rows;
    if (!it->status().ok()) ++report.stopped_scans;  // the scan stopped at an unreadable block
    report.rows[family->GetName()] = rows;
  }
}

uint32_t ConnectionsFamilyId(const ReadOnlyStore& store) {
  for (auto* family : store.families) {
    if (family->GetName() == store_internal::kConnectionsFamily) return family->GetID();
  }
  return UINT32_MAX;
}

// What point-in-time recovery drops: from the first damage that is not an unfinished
// last record, the rest of that WAL and every later one.
void SumDropped(StoreCheckReport& report) {
  bool dropping = false;
  for (const auto& wal : report.wals) {
    report.wal_last_sequence = std::max({report.wal_last_sequence, wal.last_sequence, wal.last_sequence_after});
    if (dropping) {
      report.dropped_batches += wal.batches + wal.batches_after;
      report.dropped_bytes += wal.size;
      report.dropped_connection_writes += wal.connection_writes + wal.connection_writes_after;
      report.dropped_files.push_back(wal.file.filename().string());
      continue;
    }
    if (wal.damaged && !wal.incomplete_tail) {
      dropping = true;
      report.dropped_batches += wal.batches_after;
      report.dropped_bytes += wal.bytes_after;
      report.dropped_connection_writes += wal.connection_writes_after;
      report.dropped_files.push_back(wal.file.filename().string());
    }
  }
}

StoreCheckReport Check(const fs::path& db_dir) {
  StoreCheckReport report;
  ReadOnlyStore store;
  Status opened = OpenReadOnly(db_dir, store);
  uint32_t connections = UINT32_MAX;
  if (!opened.ok()) {
    report.open_problem = opened.message();
  } else {
    connections = ConnectionsFamilyId(store);
    report.recovered_sequence = store.db->GetLatestSequenceNumber();
    CheckSsts(store, db_dir, report);
    CountRows(store, report);
  }
  for (const auto& file : wal::ListWalFiles(db_dir)) report.wals.push_back(wal::ScanWalFile(file, connections));
  SumDropped(report);
  return report;
}

std::string Stamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

}  // namespace

bool StoreCheckReport::WalDamaged() const {
  for (const auto& wal : wals) {
    if (wal.damaged && !wal.incomplete_tail) return true;
  }
  return false;
}

bool StoreCheckReport::SstDamaged() const {
  for (const auto& sst : ssts) {
    if (!sst.ok) return true;
  }
  return false;
}

Result<StoreCheckReport> CheckStore(const fs::path& db_dir) {
  if (!fs::exists(db_dir / "CURRENT")) return Status::Error(Code::kNotFound, "no store in " + db_dir.string());
  if (Status locked = store_internal::CheckNotLocked(db_dir); !locked.ok()) return locked;
  return Check(db_dir);
}

Result<RecoverReport> RecoverStore(const fs::path& db_dir) {
  auto before = CheckStore(db_dir);
  if (!before.ok()) return before.status();
  RecoverReport report;
  report.before = std::move(before).value();

  // The WAL files as they were, in case anyone wants to pick through what was dropped.
  report.saved_wals = db_dir.parent_path() / ("wal-before-recovery-" + Stamp());
  std::error_code ec;
  fs::create_directories(report.saved_wals, ec);
  for (const auto& wal : report.before.wals) {
    if (!ec) fs::copy_file(wal.file, report.saved_wals / wal.file.filename(), ec);
  }
  if (ec) return Status::Error(Code::kIoError, "cannot copy the WAL files to " + report.saved_wals.string() + ": " + ec.message());

  // Point-in-time recovery replays every WAL up to its first damage, writes what it
  // replayed into SST files and starts a new WAL; the damaged ones are then obsolete.
  rocksdb::Options options = StoreDbOptions(nullptr);
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.avoid_flush_during_recovery = false;
  rocksdb::TransactionDB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  auto s = rocksdb::TransactionDB::Open(options, rocksdb::TransactionDBOptions(), db_dir.string(),
                                        FamilyDescriptors(options), &families, &raw);
  if (!s.ok()) return Status::Error(Code::kStoreCorrupt, "recovery failed: " + s.ToString());
  std::unique_ptr<rocksdb::TransactionDB> db(raw);
  rocksdb::FlushOptions flush;
  flush.wait = true;
  s = db->Flush(flush, families);
  for (auto* family : families) db->DestroyColumnFamilyHandle(family);
  rocksdb::Status closed = db->Close();
  db.reset();
  if (!s.ok()) return Status::Error(Code::kStorageUnavailable, "recovery could not write the recovered data: " + s.ToString());
  if (!closed.ok()) return Status::Error(Code::kStorageUnavailable, "recovery could not close the store: " + closed.ToString());

  // What was replayed is in SST files now, so a WAL still damaged holds nothing that is
  // kept; remove it so the host opens (its copy is in saved_wals).
  for (const auto& file : wal::ListWalFiles(db_dir)) {
    wal::WalFileReport wal = wal::ScanWalFile(file);
    if (wal.damaged && !wal.incomplete_tail) fs::remove(file, ec);
  }
  report.after = Check(db_dir);
  return report;
}

}  // namespace switchboard
