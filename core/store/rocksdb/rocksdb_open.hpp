// Internal to the store: how the database is opened, shared by RocksDbStore::Open and
// `store check/recover` so they read it alike. Not for use outside core/store/rocksdb.
#pragma once

#include <filesystem>
#include <vector>

#include <rocksdb/options.h>

#include "common/status.hpp"

namespace switchboard::store_internal {

// The database's options (env: nullptr for the default).
rocksdb::Options StoreDbOptions(rocksdb::Env* env);
// Every column family, with the options it needs.
std::vector<rocksdb::ColumnFamilyDescriptor> FamilyDescriptors(const rocksdb::Options& db_options);
// data_dir_locked when another process holds the database's LOCK.
Status CheckNotLocked(const std::filesystem::path& db_dir);
// The name of the column family holding connection rows.
extern const char* const kConnectionsFamily;

}  // namespace switchboard::store_internal
