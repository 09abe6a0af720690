// OpenStore: the URL names the backend; an unknown one is a clear error with a stable code.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "store/open_store.hpp"

using namespace switchboard;

TEST_CASE("OpenStore opens rocksdb:<folder> and refuses what names no backend") {
  const auto dir = std::filesystem::temp_directory_path() / ("sb-open-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  StoreOptions options;
  options.url = RocksDbUrl(dir.string());
  options.rocksdb.verify_in_background = false;
  {
    auto store = OpenStore(options);
    REQUIRE(store.ok());
    REQUIRE((*store)->PutMeta("k", "v").ok());
  }
  {
    auto reopened = OpenStore(options);
    REQUIRE(reopened.ok());
    CHECK((*reopened)->GetMeta("k")->value() == "v");
    auto second = OpenStore(options);  // one process holds a RocksDB folder
    CHECK(second.status().Is(Code::kDataDirLocked));
  }
  std::filesystem::remove_all(dir);

  options.url = "postgresql://switchboard:s3cret@db.internal/switchboard";
  auto unknown = OpenStore(options);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().Is(Code::kBadUrl));
  CHECK(unknown.status().message().find("postgresql") != std::string::npos);
  CHECK(unknown.status().message().find("s3cret") == std::string::npos);  // the URL may carry a password
  options.url = "./data";
  CHECK(OpenStore(options).status().Is(Code::kBadUrl));
  options.url = "rocksdb:";
  CHECK(OpenStore(options).status().Is(Code::kBadUrl));
  CHECK(StoreOptions().url == "rocksdb:./data");
}
