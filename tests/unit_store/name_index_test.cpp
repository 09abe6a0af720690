// The uniqueness index of connection names (name_keys) in the RocksDB backend: a store
// written before it existed gets it rebuilt at open. (That look-alikes collide is a
// contract of every backend: tests/store_conformance/names_test.cpp.)
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>
#include <rocksdb/db.h>

#include "store/rocksdb/rocksdb_store.hpp"

using switchboard::Code;

namespace {

using switchboard::ConnectionRecord;
using switchboard::Store;

std::filesystem::path FreshDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("sb-name-index-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::remove_all(dir);
  return dir;
}

ConnectionRecord Connection(const std::string& id, const std::string& name) {
  ConnectionRecord c;
  c.id = id;
  c.project = "p";
  c.provider = "openai";
  c.name = name;
  c.status = "active";
  return c;
}

std::unique_ptr<Store> OpenStore(const std::filesystem::path& dir) {
  switchboard::RocksDbOptions options;
  options.sync_writes = false;
  auto store = switchboard::RocksDbStore::Open(dir, options);
  REQUIRE(store.ok());
  return std::move(store).value();
}

// Makes the store look like one written before name_keys existed (by a host that knew
// only the lower-cased ASCII name index): no uniqueness rows, no version marker.
// `rename` optionally renames a stored connection behind the store's back, as an old
// host would have allowed ("CAFÉ" beside "Café").
void MakeOldFormat(const std::filesystem::path& dir, const std::string& rename_id = "",
                   const std::string& new_name = "") {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Options options;
  REQUIRE(rocksdb::DB::Open(options, dir.string(), descriptors, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  auto handle = [&](const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return handles[i];
    }
    FAIL("no column family " << name);
    return handles[0];
  };
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handle("name_keys")));
  for (it->SeekToFirst(); it->Valid(); it->Next()) REQUIRE(db->Delete({}, handle("name_keys"), it->key()).ok());
  it.reset();  // before the handles and the database go
  REQUIRE(db->Delete({}, handle("default"), "name_index_version").ok());
  if (!rename_id.empty()) {
    const std::string key = std::string("p") + '\0' + rename_id;
    std::string value;
    REQUIRE(db->Get({}, handle("connections"), key, &value).ok());
    auto record = nlohmann::json::parse(value);
    const std::string old_name = record["name"];
    record["name"] = new_name;
    REQUIRE(db->Put({}, handle("connections"), key, record.dump()).ok());
    // The old host's index rows: the ASCII-lower-cased name.
    auto lower = [](std::string text) {
      for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      return text;
    };
    const std::string p0 = std::string("p") + '\0';
    const std::string status0 = p0 + record.value("status", "") + '\0';
    std::string index;
    REQUIRE(db->Get({}, handle("names"), p0 + lower(old_name), &index).ok());
    REQUIRE(db->Delete({}, handle("names"), p0 + lower(old_name)).ok());
    REQUIRE(db->Put({}, handle("names"), p0 + lower(new_name), index).ok());
    REQUIRE(db->Get({}, handle("statuses"), status0 + lower(old_name), &index).ok());
    REQUIRE(db->Delete({}, handle("statuses"), status0 + lower(old_name)).ok());
    REQUIRE(db->Put({}, handle("statuses"), status0 + lower(new_name), index).ok());
  }
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
}

}  // namespace

TEST_CASE("a store written before the uniqueness index gets it at open") {
  auto dir = FreshDir();
  {
    auto store = OpenStore(dir);
    REQUIRE(store->CreateConnection(Connection("con_1", "Caf\xC3\xA9")).ok());
    REQUIRE(store->CreateConnection(Connection("con_2", "Other")).ok());
    REQUIRE(store->CreateConnection(Connection("con_3", "Acme")).ok());
  }
  MakeOldFormat(dir, "con_2", "CAF\xC3\x89");  // an old host allowed this look-alike
  {
    // Without the rebuild, nothing would stop a look-alike now.
    auto store = OpenStore(dir);
    auto version = store->GetMeta("name_index_version");
    REQUIRE(version.ok());
    CHECK(version->value_or("") == "2");
    CHECK(store->CreateConnection(Connection("con_4", "\xD0\x90" "cme")).Is(Code::kNameTaken));
    CHECK(store->CreateConnection(Connection("con_4", "caf\xC3\xA9")).Is(Code::kNameTaken));
    auto found = store->FindConnectionByName("p", "ACME");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->id == "con_3");
    // Both old look-alikes are kept and listed; the one without the row can still be
    // renamed, and deleting it does not free the other's name.
    switchboard::ConnectionQuery query;
    query.limit = 10;
    auto page = store->ListConnections("p", query);
    REQUIRE(page.ok());
    CHECK(page->items.size() == 3);
    REQUIRE(store->DeleteConnection("p", "con_2", nullptr).ok());
    CHECK(store->CreateConnection(Connection("con_5", "CAF\xC3\x89")).Is(Code::kNameTaken));
  }
  {
    auto store = OpenStore(dir);  // opens again without rebuilding or losing anything
    CHECK(store->CreateConnection(Connection("con_6", "ACME")).Is(Code::kNameTaken));
  }
  std::filesystem::remove_all(dir);
}
