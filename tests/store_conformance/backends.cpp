#include "store_conformance/backends.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include <catch2/catch.hpp>

#include "store/open_store.hpp"

namespace switchboard::conformance {
namespace {

StoreUnderTest OpenRocksDb() {
  static std::atomic<int> next{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sb-conformance-" + std::to_string(::getpid()) + "-" + std::to_string(next++));
  std::filesystem::remove_all(dir);
  StoreOptions options;
  options.url = RocksDbUrl(dir.string());
  options.rocksdb.sync_writes = false;  // contracts, not fsync
  options.rocksdb.verify_in_background = false;
  auto store = OpenStore(options);
  REQUIRE(store.ok());
  return StoreUnderTest(std::move(store).value(), [dir] { std::filesystem::remove_all(dir); });
}

}  // namespace

const std::vector<Backend>& Backends() {
  static const std::vector<Backend> backends = {
      {"rocksdb", OpenRocksDb},
  };
  return backends;
}

}  // namespace switchboard::conformance
