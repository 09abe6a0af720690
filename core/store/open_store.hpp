// Opens the store a URL names. The one place a backend is chosen: the host and the
// tests open a Store through OpenStore and hold only the interface (store/store.hpp).
//
//   rocksdb:<dir>   the embedded RocksDB database in <dir> (created if needed)
//
// A PostgreSQL backend adds its scheme here.
#pragma once

#include <memory>
#include <string>

#include "common/status.hpp"
#include "store/rocksdb/rocksdb_options.hpp"
#include "store/store.hpp"

namespace switchboard {

struct StoreOptions {
  std::string url = "rocksdb:./data";
  // Read only by the RocksDB backend.
  RocksDbOptions rocksdb;
};

// The URL of the RocksDB database in `dir`.
std::string RocksDbUrl(const std::string& dir);

// Opens the backend options.url names. bad_url for a scheme no backend has (or no
// scheme; the message names the scheme alone, never the rest of the URL) and for a known
// scheme with nothing after it. The backend's
// own codes otherwise; RocksDB: data_dir_locked when another process holds the
// database, wal_corrupt / store_corrupt when it is damaged (store/rocksdb/store_check.hpp
// recovers).
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace switchboard
