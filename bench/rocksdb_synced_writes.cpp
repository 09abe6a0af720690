// RocksDB's own durable write rate, the yardstick for the host's create throughput:
// THREADS writers each Put a fresh key with a VALUE_BYTES value, WriteOptions.sync=true
// (one fsynced WAL write per Put; RocksDB groups concurrent ones into one fsync), for
// SECONDS. Prints "synced_writes_per_second N".
//   rocksdb_synced_writes DIR VALUE_BYTES THREADS SECONDS
#include <rocksdb/db.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DIR VALUE_BYTES THREADS SECONDS\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const size_t value_bytes = std::strtoul(argv[2], nullptr, 10);
  const int threads = std::atoi(argv[3]);
  const double seconds = std::atof(argv[4]);

  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);  // as the host opens its store
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok()) {
    std::fprintf(stderr, "open %s: %s\n", dir.c_str(), s.ToString().c_str());
    return 1;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions sync;
  sync.sync = true;

  std::atomic<bool> stop{false};
  std::atomic<long> written{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> workers;
  const auto started = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      // Random bytes, so neither the WAL nor a later compaction gains from compression.
      std::mt19937_64 random(t + 1);
      std::string value(value_bytes, '\0');
      for (auto& c : value) c = static_cast<char>(random());
      for (long n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        value[n % value.size()] ^= 1;
        std::string key = "w" + std::to_string(t) + "-" + std::to_string(n);
        if (!db->Put(sync, key, value).ok()) {
          failed = true;
          return;
        }
        written.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (failed) {
    std::fprintf(stderr, "a synced write failed\n");
    return 1;
  }
  std::printf("synced_writes_per_second %.1f\n", written.load() / elapsed);
  return 0;
}
