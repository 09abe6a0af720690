// CheckStoredConnections against a real store: a stricter version of fixture_ok refuses
// one stored connection (named with its field), passes another, cannot unseal a third
// (counted unreadable, not refused), stops when asked, and changes nothing.
#include <catch2/catch.hpp>

#include <filesystem>

#include "api/views.hpp"
#include "plugins/plugin_loader.hpp"
#include "secrets/master_key.hpp"
#include "service/schema_compatibility.hpp"
#include "store/open_store.hpp"

namespace switchboard {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const LoadedProvider> Load(const char* dir) {
  auto loaded = LoadPlugin(fs::path(dir) / "fixture_ok.so");
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return *loaded;
}

TEST_CASE("a new schema's refusals of stored connections are counted, named and left alone") {
  const fs::path dir = fs::temp_directory_path() / ("sb_compat_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    StoreOptions options;
    options.url = RocksDbUrl(dir.string());
    options.rocksdb.sync_writes = false;
    auto store = OpenStore(options);
    REQUIRE(store.ok());
    std::array<unsigned char, 32> bytes{};
    bytes.fill(7);
    Sealer sealer(MasterKeyFromBytes(bytes));
    ProviderRegistry registry;
    REQUIRE(registry.Add(Load(SWITCHBOARD_GOOD_FIXTURE_DIR)).ok());
    ConnectionService connections(**store, registry, sealer);
    REQUIRE((*store)->CreateProject({"p", "P", "2026-01-01T00:00:00Z"}).ok());

    auto create = [&](const std::string& name, const nlohmann::json& config) {
      auto row = connections.Create("p", {name, "fixture_ok", config});
      INFO(row.status().ToString());
      REQUIRE(row.ok());
      return row->record.id;
    };
    const std::string refused = create("Asia", {{"token", "sekret-1"}, {"region", "ap-south"}});
    const std::string passes = create("Europe", {{"token", "sekret-2"}, {"region", "eu-west"}});
    const std::string sealed_elsewhere = create("Broken", {{"token", "sekret-3"}, {"region", "ap-east"}});
    // A secret that does not open (sealed for another connection): not checkable.
    auto other = (*store)->GetConnection("p", passes);
    REQUIRE(other.ok());
    REQUIRE((*store)->UpdateConnection("p", sealed_elsewhere, [&](ConnectionRecord& r) {
      r.secrets["token"] = other->record.secrets["token"];
      return Status::Ok();
    }).ok());

    auto snapshot = [&] {
      std::vector<nlohmann::json> rows;
      for (const auto& id : {refused, passes, sealed_elsewhere}) {
        auto row = (*store)->GetConnection("p", id);
        REQUIRE(row.ok());
        rows.push_back({api::ConnectionView(*row), row->record.secrets});
      }
      return rows;
    };
    const auto before = snapshot();

    registry.Replace(Load(SWITCHBOARD_STRICT_FIXTURE_DIR));
    auto strict = registry.Find("fixture_ok");
    auto check = CheckStoredConnections(**store, connections, *strict);
    REQUIRE(check.ok());
    CHECK(check->checked == 2);
    CHECK(check->count == 1);
    CHECK(check->unreadable == 1);
    CHECK_FALSE(check->truncated());
    REQUIRE(check->connections.size() == 1);
    CHECK(check->connections[0].project == "p");
    CHECK(check->connections[0].id == refused);
    CHECK(check->connections[0].fields == std::vector<std::string>{"region"});

    auto capped = CheckStoredConnections(**store, connections, *strict, 0);
    REQUIRE(capped.ok());
    CHECK(capped->count == 1);
    CHECK(capped->connections.empty());
    CHECK(capped->truncated());

    auto stopped = CheckStoredConnections(**store, connections, *strict, kMaxIncompatibleIds, [] { return true; });
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.status().Is(Code::kCancelled));

    CHECK(snapshot() == before);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace switchboard
