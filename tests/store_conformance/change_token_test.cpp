// The change token: moves on every commit, never on a change that failed.
#include <catch2/catch.hpp>

#include "store_conformance/backends.hpp"
#include "store_conformance/samples.hpp"

using namespace switchboard;
using namespace switchboard::conformance;

TEST_CASE("the change token moves on every commit and stays on reads and refused changes") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  ChangeToken token = store->CurrentChangeToken();
  CHECK(store->CurrentChangeToken() == token);
  // Each commit gives a token newer than the one before it.
  auto moved = [&](const char* what) {
    INFO(what);
    ChangeToken now = store->CurrentChangeToken();
    CHECK(now != token);
    CHECK(now.NewerThan(token));
    CHECK_FALSE(token.NewerThan(now));
    token = now;
  };
  auto stayed = [&](const char* what) {
    INFO(what);
    CHECK(store->CurrentChangeToken() == token);
  };

  REQUIRE(store->CreateProject({"p", "P", NowRfc3339()}).ok());
  moved("create project");
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  moved("create connection");
  REQUIRE(store->UpdateConnection("p", "c1", [](ConnectionRecord& r) {
    r.config = {{"a", 1}};
    return Status::Ok();
  }).ok());
  moved("update");
  UpdateOptions cheap;
  cheap.durability = Durability::kMayLoseOnCrash;
  REQUIRE(store->UpdateConnection("p", "c1", [](ConnectionRecord& r) {
    r.checked_at = NowRfc3339();
    return Status::Ok();
  }, cheap).ok());
  moved("update that may be lost in a crash");
  REQUIRE(store->PutComponent(SampleComponent("flow", "f", "Daily", {"c1"}), {}).ok());
  moved("put component");
  REQUIRE(store->DeleteComponent("p", "flow", "f").ok());
  moved("delete component");

  (void)store->GetConnection("p", "c1");
  (void)store->ListConnections("p", {});
  (void)store->ListEvents("p", 10, "");
  (void)store->CountConnectionsByStatus();
  stayed("reads");
  CHECK(store->CreateProject({"p", "P", NowRfc3339()}).Is(Code::kConflict));
  stayed("refused project");
  CHECK(store->CreateConnection(SampleConnection("c2", "ONE")).Is(Code::kNameTaken));
  stayed("refused connection");
  CHECK_FALSE(store->UpdateConnection("p", "c1", [](ConnectionRecord&) {
    return Status::Error(Code::kStaleProbe, "stale");
  }).ok());
  stayed("aborted update");
  CHECK(store->PutComponent(SampleComponent("flow", "f", "Daily", {"missing"}), {}).status().Is(Code::kUnknownConnection));
  stayed("refused component");
  CHECK(store->DeleteConnection("p", "missing", nullptr).Is(Code::kNotFound));
  stayed("refused delete");

  REQUIRE(store->DeleteConnection("p", "c1", nullptr).ok());
  moved("delete connection");
}

TEST_CASE("two stores never share a token") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto first = backend.open();
  auto second = backend.open();
  CHECK_FALSE(first->CurrentChangeToken() == second->CurrentChangeToken());
  CHECK_FALSE(first->CurrentChangeToken().NewerThan(second->CurrentChangeToken()));
}
