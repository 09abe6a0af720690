// switchboard store check | recover on folders it cannot check, and on an intact store.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "run_process.hpp"
#include "store/open_store.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;

std::filesystem::path FreshDir() {
  auto dir = std::filesystem::temp_directory_path() / ("sb-cli-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST_CASE("store check: no store there exits 3 and says so") {
  auto dir = FreshDir();
  auto run = RunSwitchboard({"store", "check", "--data", dir.string()});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Contains("no store in"));
}

TEST_CASE("store check: an intact store exits 0; a store a host has open exits 3") {
  auto dir = FreshDir();
  StoreOptions options;
  options.url = RocksDbUrl((dir / "db").string());
  options.rocksdb.verify_in_background = false;
  {
    auto store = OpenStore(options);
    REQUIRE(store.ok());
    REQUIRE((*store)->PutMeta("k", "v").ok());
  }
  auto intact = RunSwitchboard({"store", "check", "--data", dir.string()});
  CHECK(intact.exit_code == 0);
  CHECK_THAT(intact.out, Contains("store: intact"));
  auto dry = RunSwitchboard({"store", "recover", "--data", dir.string()});
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Contains("nothing to recover"));

  auto open = OpenStore(options);
  REQUIRE(open.ok());
  auto locked = RunSwitchboard({"store", "check", "--data", dir.string()});
  CHECK(locked.exit_code == 3);
  CHECK_THAT(locked.err, Contains("in use by another Switchboard host"));
  auto recover = RunSwitchboard({"store", "recover", "--data", dir.string(), "--yes"});
  CHECK(recover.exit_code == 3);
  open->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace switchboard::testing
