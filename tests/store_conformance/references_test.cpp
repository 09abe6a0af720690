// Components and the references they hold: in_use, unknown_connection, and the race of a
// delete with an attach.
#include <catch2/catch.hpp>

#include <map>
#include <thread>

#include "store_conformance/backends.hpp"
#include "store_conformance/samples.hpp"

using namespace switchboard;
using namespace switchboard::conformance;

using Counts = std::map<std::string, int64_t>;

// Moved from tests/unit_store/store_race_test.cpp: a contract of every backend.
TEST_CASE("a delete racing an attach: exactly one succeeds, no dangling reference") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  constexpr int kRounds = 2000;
  int deletes_won = 0, attaches_won = 0;
  for (int i = 0; i < kRounds; ++i) {
    REQUIRE(store->CreateConnection(SampleConnection("con_" + std::to_string(i), "Connection " + std::to_string(i))).ok());
    switchboard::Status deleted;
    bool attached = false;
    std::string attach_error;
    std::thread deleter([&] { deleted = store->DeleteConnection("p", "con_" + std::to_string(i), nullptr); });
    std::thread attacher([&] {
      ComponentRecord flow = SampleComponent("flow", "flow_" + std::to_string(i), "Flow", {"con_" + std::to_string(i)});
      auto put = store->PutComponent(flow, {});
      attached = put.ok();
      if (!put.ok()) attach_error = put.status().code_name();
    });
    deleter.join();
    attacher.join();
    INFO("round " << i << " delete=" << deleted.ToString() << " attach_error=" << attach_error);
    REQUIRE(deleted.ok() != attached);
    auto row = store->GetConnection("p", "con_" + std::to_string(i));
    auto refs = store->ListReferences("p", "con_" + std::to_string(i));
    REQUIRE(refs.ok());
    if (attached) {
      REQUIRE(deleted.Is(Code::kInUse));
      REQUIRE(row.ok());
      REQUIRE(row->references_by_kind == Counts{{"flow", 1}});
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
}

// Moved from tests/unit_store/store_race_test.cpp: a contract of every backend.
TEST_CASE("deleting a flow releases its references and the connection can go") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("con_1", "Connection 1")).ok());
  REQUIRE(store->PutComponent(SampleComponent("flow", "f", "Daily", {"con_1"}), {}).ok());
  std::vector<switchboard::Reference> refs;
  auto refused = store->DeleteConnection("p", "con_1", &refs);
  REQUIRE(refused.Is(Code::kInUse));
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].name == "Daily");
  REQUIRE(store->DeleteComponent("p", "flow", "f").ok());
  REQUIRE(store->GetConnection("p", "con_1")->references_by_kind.empty());
  REQUIRE(store->DeleteConnection("p", "con_1", nullptr).ok());
  CHECK(store->CountConnectionsByStatus()->empty());
}

TEST_CASE("references are listed and counted per kind; a new version replaces the old ones") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c2", "Two")).ok());
  auto first = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c1", "c2"}), {});
  REQUIRE(first.ok());
  REQUIRE(store->PutComponent(SampleComponent("deployment", "d", "Prod", {"c1"}), {}).ok());
  CHECK(store->GetConnection("p", "c1")->references_by_kind == Counts{{"deployment", 1}, {"flow", 1}});
  CHECK(store->ListReferences("p", "c1")->size() == 2);
  auto deployments = store->ListReferences("p", "c1", "deployment");
  REQUIRE(deployments.ok());
  REQUIRE(deployments->size() == 1);
  CHECK((*deployments)[0].id == "d");
  CHECK((*deployments)[0].name == "Prod");

  auto second = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c2"}), {});  // c1 dropped
  REQUIRE(second.ok());
  CHECK(second->created_at == first->created_at);
  CHECK(store->GetConnection("p", "c1")->references_by_kind == Counts{{"deployment", 1}});
  CHECK(store->GetConnection("p", "c2")->references_by_kind == Counts{{"flow", 1}});
  CHECK(store->ListReferences("p", "c1", "flow")->empty());
  CHECK(store->GetComponent("p", "flow", "f")->connections == std::vector<std::string>{"c2"});
  CHECK(store->ListComponents("p", "flow")->size() == 1);
  CHECK(store->GetComponent("p", "flow", "nope").status().Is(Code::kNotFound));
  CHECK(store->DeleteComponent("p", "flow", "nope").Is(Code::kNotFound));
  CHECK(store->ListReferences("p", "unknown")->empty());
}

TEST_CASE("a component naming a connection the project lacks is refused and stores nothing") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c9", "Elsewhere", "other")).ok());
  auto refused = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c1", "c9"}), {});
  CHECK(refused.status().Is(Code::kUnknownConnection));
  CHECK(store->GetComponent("p", "flow", "f").status().Is(Code::kNotFound));
  CHECK(store->GetConnection("p", "c1")->references_by_kind.empty());

  // New connections made with the component are created in the same commit: a refused
  // component leaves none of them.
  auto made = SampleConnection("c2", "Made inline");
  refused = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c2", "missing"}), {made});
  CHECK(refused.status().Is(Code::kUnknownConnection));
  CHECK(store->GetConnection("p", "c2").status().Is(Code::kNotFound));
  auto taken = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c3"}), {SampleConnection("c3", "ONE")});
  CHECK(taken.status().Is(Code::kNameTaken));
  auto stored = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c2"}), {made});
  REQUIRE(stored.ok());
  CHECK(store->GetConnection("p", "c2")->references_by_kind == Counts{{"flow", 1}});
}

TEST_CASE("reference counts are kept per kind, for any kind, on every row the store returns") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c2", "Two")).ok());
  // The store knows no kinds: one it never heard of is counted like any other.
  REQUIRE(store->PutComponent(SampleComponent("flow", "f1", "Daily", {"c1"}), {}).ok());
  REQUIRE(store->PutComponent(SampleComponent("flow", "f2", "Hourly", {"c1", "c2"}), {}).ok());
  REQUIRE(store->PutComponent(SampleComponent("widget", "w", "Gadget", {"c1"}), {}).ok());
  const Counts c1_counts{{"flow", 2}, {"widget", 1}};
  CHECK(store->GetConnection("p", "c1")->references_by_kind == c1_counts);
  CHECK(store->GetConnection("p", "c2")->references_by_kind == Counts{{"flow", 1}});
  // Listed rows and updated rows carry them too.
  auto page = store->ListConnections("p", {});
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);
  CHECK(page->items[0].references_by_kind == c1_counts);
  CHECK(page->items[1].references_by_kind == Counts{{"flow", 1}});
  auto updated = store->UpdateConnection("p", "c1", [](ConnectionRecord& r) {
    r.name = "One renamed";
    return Status::Ok();
  });
  REQUIRE(updated.ok());
  CHECK(updated->references_by_kind == c1_counts);
  // A component put again with the same connections counts once.
  REQUIRE(store->PutComponent(SampleComponent("flow", "f2", "Hourly", {"c1", "c2"}), {}).ok());
  CHECK(store->GetConnection("p", "c1")->references_by_kind == c1_counts);
  // A kind whose last reference went is absent, not 0.
  REQUIRE(store->DeleteComponent("p", "widget", "w").ok());
  CHECK(store->GetConnection("p", "c1")->references_by_kind == Counts{{"flow", 2}});
  REQUIRE(store->DeleteComponent("p", "flow", "f1").ok());
  REQUIRE(store->DeleteComponent("p", "flow", "f2").ok());
  CHECK(store->GetConnection("p", "c1")->references_by_kind.empty());
  CHECK(store->GetConnection("p", "c2")->references_by_kind.empty());
  // A connection made with its component is counted in the same commit.
  auto made = SampleConnection("c3", "Made inline");
  REQUIRE(store->PutComponent(SampleComponent("deployment", "d", "Prod", {"c3", "c1"}), {made}).ok());
  CHECK(store->GetConnection("p", "c3")->references_by_kind == Counts{{"deployment", 1}});
  CHECK(store->GetConnection("p", "c1")->references_by_kind == Counts{{"deployment", 1}});
}

TEST_CASE("a put says whether the component is new, and a new version keeps its created_at") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  bool created = false;
  auto first = store->PutComponent(SampleComponent("flow", "f", "Daily", {"c1"}), {}, &created);
  REQUIRE(first.ok());
  CHECK(created);
  created = true;
  ComponentRecord next = SampleComponent("flow", "f", "Nightly", {"c1"});
  next.created_at = "2030-01-01T00:00:00Z";
  auto second = store->PutComponent(next, {}, &created);
  REQUIRE(second.ok());
  CHECK_FALSE(created);
  CHECK(second->name == "Nightly");
  CHECK(second->created_at == first->created_at);
  // The same id under another kind is another component.
  created = false;
  REQUIRE(store->PutComponent(SampleComponent("deployment", "f", "Daily", {"c1"}), {}, &created).ok());
  CHECK(created);
  // A refused put creates nothing, so the next one is still the first.
  created = true;
  CHECK(store->PutComponent(SampleComponent("flow", "g", "Other", {"missing"}), {}, &created).status().Is(
      Code::kUnknownConnection));
  created = false;
  REQUIRE(store->PutComponent(SampleComponent("flow", "g", "Other", {"c1"}), {}, &created).ok());
  CHECK(created);
}
