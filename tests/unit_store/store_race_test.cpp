// Deleting a connection while a flow attaches to it: exactly one of the two wins, and a
// reference to a missing connection never exists.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "store/store.hpp"

using switchboard::Code;

namespace {

using switchboard::ComponentRecord;
using switchboard::ConnectionRecord;
using switchboard::Store;

std::filesystem::path FreshDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("sb-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::remove_all(dir);
  return dir;
}

ConnectionRecord Connection(int i) {
  ConnectionRecord c;
  c.id = "con_" + std::to_string(i);
  c.project = "p";
  c.provider = "openai";
  c.name = "Connection " + std::to_string(i);
  return c;
}

}  // namespace

TEST_CASE("a delete racing an attach: exactly one succeeds, no dangling reference") {
  auto dir = FreshDir();
  switchboard::StoreOptions options;
  options.sync_writes = false;  // the race is about locking, not fsync
  auto store = Store::Open(dir, options);
  REQUIRE(store.ok());
  constexpr int kRounds = 2000;
  int deletes_won = 0, attaches_won = 0;
  for (int i = 0; i < kRounds; ++i) {
    REQUIRE((*store)->CreateConnection(Connection(i)).ok());
    switchboard::Status deleted;
    bool attached = false;
    std::string attach_error;
    std::thread deleter([&] { deleted = (*store)->DeleteConnection("p", "con_" + std::to_string(i), nullptr); });
    std::thread attacher([&] {
      ComponentRecord flow;
      flow.kind = "flow";
      flow.id = "flow_" + std::to_string(i);
      flow.project = "p";
      flow.name = "Flow";
      flow.connections = {"con_" + std::to_string(i)};
      auto put = (*store)->PutComponent(flow, {});
      attached = put.ok();
      if (!put.ok()) attach_error = put.status().code_name();
    });
    deleter.join();
    attacher.join();
    INFO("round " << i << " delete=" << deleted.ToString() << " attach_error=" << attach_error);
    REQUIRE(deleted.ok() != attached);
    auto row = (*store)->GetConnection("p", "con_" + std::to_string(i));
    auto refs = (*store)->ListReferences("p", "con_" + std::to_string(i));
    REQUIRE(refs.ok());
    if (attached) {
      REQUIRE(deleted.Is(Code::kInUse));
      REQUIRE(row.ok());
      REQUIRE(row->flows == 1);
      REQUIRE(refs->size() == 1);
      ++attaches_won;
    } else {
      REQUIRE(attach_error == "unknown_connection");
      REQUIRE_FALSE(row.ok());
      REQUIRE(refs->empty());
      ++deletes_won;
    }
  }
  // Both orders must have happened for the race to have been exercised at all.
  WARN("deletes won " << deletes_won << ", attaches won " << attaches_won);
  CHECK(deletes_won + attaches_won == kRounds);
  std::filesystem::remove_all(dir);
}

TEST_CASE("deleting a flow releases its references and the connection can go") {
  auto dir = FreshDir();
  auto store = Store::Open(dir);
  REQUIRE(store.ok());
  REQUIRE((*store)->CreateConnection(Connection(1)).ok());
  ComponentRecord flow;
  flow.kind = "flow";
  flow.id = "f";
  flow.project = "p";
  flow.name = "Daily";
  flow.connections = {"con_1"};
  REQUIRE((*store)->PutComponent(flow, {}).ok());
  std::vector<switchboard::Reference> refs;
  auto refused = (*store)->DeleteConnection("p", "con_1", &refs);
  REQUIRE(refused.Is(Code::kInUse));
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].name == "Daily");
  REQUIRE((*store)->DeleteComponent("p", "flow", "f").ok());
  REQUIRE((*store)->GetConnection("p", "con_1")->flows == 0);
  REQUIRE((*store)->DeleteConnection("p", "con_1", nullptr).ok());
  CHECK((*store)->CountConnectionsByStatus()->at("active") == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a second store on the same folder is refused") {
  auto dir = FreshDir();
  auto first = Store::Open(dir);
  REQUIRE(first.ok());
  auto second = Store::Open(dir);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().Is(Code::kDataDirLocked));
  first = switchboard::Status::Error(Code::kCancelled, "");
  std::filesystem::remove_all(dir);
}
