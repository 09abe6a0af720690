// Counters in the RocksDB backend are written whole, but a database written before
// 2026-11-23 may still hold merge deltas for them (a host then counted references with
// Merge). Such a store must keep reading them: its flow counts are acknowledged data.
// Failed before the merge operator was registered again: the row no longer read.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include "store/rocksdb/keys.hpp"
#include "store/rocksdb/rocksdb_store.hpp"

namespace {

using switchboard::ComponentRecord;
using switchboard::ConnectionRecord;

std::string Encoded(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  return out;
}

// What the older host registered on the counters family, so this test can write deltas
// the way it did.
class OldHostAdd : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice*, const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger*) const override {
    *new_value = value.ToString();
    return true;
  }
  const char* Name() const override { return "SwitchboardInt64Add"; }
};

// Adds a merge delta of +1 to a counter row, as an older host did, without compacting.
void AddOldStyleDelta(const std::filesystem::path& dir, const std::string& key) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) {
    rocksdb::ColumnFamilyOptions options;
    if (name == "counters") options.merge_operator = std::make_shared<OldHostAdd>();
    descriptors.emplace_back(name, options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::Options(), dir.string(), descriptors, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "counters") REQUIRE(db->Merge({}, handles[i], key, Encoded(1)).ok());
  }
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
}

}  // namespace

TEST_CASE("counter rows an older host wrote as merge deltas still read as their sum") {
  auto dir = std::filesystem::temp_directory_path() / ("sb-legacy-counter-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  switchboard::RocksDbOptions options;
  options.sync_writes = false;
  options.verify_in_background = false;
  {
    auto store = switchboard::RocksDbStore::Open(dir, options);
    REQUIRE(store.ok());
    REQUIRE((*store)->CreateProject({"p", "P", "2026-01-01T00:00:00Z"}).ok());
    ConnectionRecord connection;
    connection.id = "con_1";
    connection.project = "p";
    connection.provider = "openai";
    connection.name = "Used";
    connection.status = "active";
    REQUIRE((*store)->CreateConnection(connection).ok());
    ComponentRecord flow;
    flow.kind = "flow";
    flow.id = "flow_1";
    flow.project = "p";
    flow.name = "F";
    flow.connections = {"con_1"};
    REQUIRE((*store)->PutComponent(flow, {}).ok());
  }
  AddOldStyleDelta(dir, switchboard::keys::RefCount("p", "con_1", "flow"));
  auto store = switchboard::RocksDbStore::Open(dir, options);
  REQUIRE(store.ok());
  auto row = (*store)->GetConnection("p", "con_1");
  INFO(row.status().ToString());
  REQUIRE(row.ok());
  CHECK(row->references_by_kind.at("flow") == 2);  // the row written whole (1) plus the old host's delta (1)
  std::filesystem::remove_all(dir);
}
