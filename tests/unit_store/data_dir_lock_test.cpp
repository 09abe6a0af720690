// The RocksDB backend holds its folder alone. (The delete/attach race and the release of
// references are contracts of every backend: tests/store_conformance/references_test.cpp.)
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "store/rocksdb/rocksdb_store.hpp"

using switchboard::Code;

namespace {

std::filesystem::path FreshDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("sb-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("a second store on the same folder is refused") {
  auto dir = FreshDir();
  auto first = switchboard::RocksDbStore::Open(dir);
  REQUIRE(first.ok());
  auto second = switchboard::RocksDbStore::Open(dir);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().Is(Code::kDataDirLocked));
  first = switchboard::Status::Error(Code::kCancelled, "");
  std::filesystem::remove_all(dir);
}
