// `switchboard store check` and `store recover`: what is wrong with a store that the
// host refuses to open (or reports as corrupt), and the one repair there is.
//
// check reads, changes nothing: every WAL record's checksum (store/wal_scan.hpp), every
// SST's block checksums, and the rows of each column family as recovery would leave them
// (a read-only open in point-in-time mode). recover copies the WAL files aside, opens the
// store in point-in-time mode, which keeps every write before the first damage and drops
// the rest, and checks it again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "store/rocksdb/wal_scan.hpp"

namespace switchboard {

struct SstFileCheck {
  std::string file;    // file name in the db folder, e.g. 000123.sst
  std::string family;  // column family
  uint64_t size = 0;
  uint64_t entries = 0;
  bool ok = true;
  std::string problem;  // RocksDB's message when !ok
};

struct StoreCheckReport {
  std::vector<wal::WalFileReport> wals;
  std::vector<SstFileCheck> ssts;
  // Rows per column family as recovery would leave them (up to any unreadable block).
  std::map<std::string, uint64_t> rows;
  uint64_t stopped_scans = 0;  // column families whose scan stopped at unreadable data
  std::string open_problem;  // "" unless even a read-only open failed
  // What point-in-time recovery would drop: from the first damage on (a damaged WAL's
  // rest and every later WAL).
  uint64_t recovered_sequence = 0;   // last write recovery keeps
  uint64_t wal_last_sequence = 0;    // last write the WALs hold
  uint64_t dropped_batches = 0;
  uint64_t dropped_bytes = 0;
  uint64_t dropped_connection_writes = 0;
  std::vector<std::string> dropped_files;  // WAL files recovery stops in or skips

  bool WalDamaged() const;    // damage the host refuses to start on
  bool SstDamaged() const;
  bool Ok() const { return !WalDamaged() && !SstDamaged() && open_problem.empty() && stopped_scans == 0; }
};

// Fails with data_dir_locked when a host has the store open.
Result<StoreCheckReport> CheckStore(const std::filesystem::path& db_dir);

struct RecoverReport {
  StoreCheckReport before;
  StoreCheckReport after;
  std::filesystem::path saved_wals;  // where the WAL files were copied first
};

// Recovers a store whose WAL is damaged; `before` is what CheckStore said. Fails with
// data_dir_locked when a host has it open.
Result<RecoverReport> RecoverStore(const std::filesystem::path& db_dir);

}  // namespace switchboard
