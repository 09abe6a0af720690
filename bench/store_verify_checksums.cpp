// What verifying every SST's checksums costs, to choose between a check before the host
// listens and one in the background: fills a store with N connections (records of the
// size the host writes), reopens it so the WAL is flushed into SST files, then times
// Store::Open and Store::VerifyChecksums. Prints the times of the open that replays the
// WAL (and scans it first), of a plain open, and of the verification.
//   store_verify_checksums DIR CONNECTIONS
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "store/rocksdb/rocksdb_store.hpp"
#include "store/rocksdb/wal_scan.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR CONNECTIONS\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int count = std::atoi(argv[2]);
  switchboard::RocksDbOptions options;
  options.sync_writes = false;
  options.verify_in_background = false;
  {
    auto store = switchboard::RocksDbStore::Open(dir, options);
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
    for (int i = 0; i < count; ++i) {
      switchboard::ConnectionRecord c;
      c.id = "con_" + std::to_string(i) + "_0123456789abcdef";
      c.project = "bench";
      c.provider = "openai";
      c.name = "Connection number " + std::to_string(i);
      c.status = "active";
      c.config = {{"organization", "org-" + std::to_string(i)}, {"base_url", "https://api.openai.com/v1"},
                  {"api_key", "sb1.k1." + std::string(96, 'x')}};
      c.created_at = c.updated_at = switchboard::NowRfc3339();
      if (!(*store)->CreateConnection(c).ok()) return 1;
    }
  }
  // This open scans the WAL of every create before replaying it into SST files.
  auto replay_start = std::chrono::steady_clock::now();
  { auto flushed = switchboard::RocksDbStore::Open(dir, options); }
  auto replayed = std::chrono::steady_clock::now();
  // The scan every open does first (also part of open_ms).
  auto scan_start = std::chrono::steady_clock::now();
  uint64_t wal_bytes = 0;
  for (const auto& wal : switchboard::wal::ListWalFiles(dir)) wal_bytes += switchboard::wal::ScanWalFile(wal).size;
  auto scanned = std::chrono::steady_clock::now();
  auto start = std::chrono::steady_clock::now();
  auto store = switchboard::RocksDbStore::Open(dir, options);
  auto opened = std::chrono::steady_clock::now();
  if (!store.ok()) return 1;
  auto verified = (*store)->VerifyChecksums();
  auto done = std::chrono::steady_clock::now();
  uint64_t sst_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sst") sst_bytes += entry.file_size();
  }
  using ms = std::chrono::duration<double, std::milli>;
  std::printf("open_replaying_wal_ms %.1f wal_scan_ms %.1f wal_bytes %llu open_ms %.1f verify_ms %.1f sst_bytes %llu ok %d\n",
              ms(replayed - replay_start).count(), ms(scanned - scan_start).count(),
              static_cast<unsigned long long>(wal_bytes), ms(opened - start).count(), ms(done - opened).count(),
              static_cast<unsigned long long>(sst_bytes), verified.ok() ? 1 : 0);
  return verified.ok() ? 0 : 1;
}
