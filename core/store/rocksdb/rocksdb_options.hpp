// What only the RocksDB backend reads from StoreOptions.
#pragma once

namespace rocksdb {
class Env;
}

namespace switchboard {

struct RocksDbOptions {
  // fsync the write-ahead log before acknowledging a change (Durability::kOnDisk).
  // false: every change is acknowledged as kMayLoseOnCrash. Default: true.
  bool sync_writes = true;
  // Verify every SST's checksums in a background thread after opening (10 to 130 ms for
  // 100k connections; docs/BENCHMARKS.md). Default: true.
  bool verify_in_background = true;
  // Not owned; nullptr for the default. Tests inject failing file systems through it.
  rocksdb::Env* env = nullptr;
};

}  // namespace switchboard
