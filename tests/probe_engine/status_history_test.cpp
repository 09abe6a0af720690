#include <filesystem>

#include <catch2/catch.hpp>

#include "service/status_events.hpp"
#include "store/open_store.hpp"

using namespace switchboard;

namespace {

struct TempStore {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  TempStore() {
    dir = std::filesystem::temp_directory_path() / ("sb-history-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(dir);
    StoreOptions options;
    options.url = RocksDbUrl(dir.string());
    auto opened = OpenStore(options);
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    REQUIRE(store->CreateProject({"p", "P", NowRfc3339()}).ok());
  }
  ~TempStore() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  ConnectionRecord Connection(const std::string& id) {
    ConnectionRecord c;
    c.id = id;
    c.project = "p";
    c.provider = "openai";
    c.name = "conn " + id;
    c.created_at = c.updated_at = NowRfc3339();
    REQUIRE(store->CreateConnection(c).ok());
    return c;
  }
  std::optional<StatusEvent> SetStatus(const std::string& id, const std::string& status, const std::string& reason) {
    std::optional<StatusEvent> event;
    UpdateOptions options;
    options.event_for = StatusChangeEvent;
    options.event = &event;
    auto row = store->UpdateConnection("p", id, [&](ConnectionRecord& r) {
      r.status = status;
      r.status_reason = reason;
      r.last_probe = {{"outcome", status == "active" ? "valid" : "invalid_credentials"},
                      {"reason", reason}, {"message", "m " + reason}, {"at", NowRfc3339()}};
      return Status::Ok();
    }, options);
    REQUIRE(row.ok());
    return event;
  }
};

}  // namespace

TEST_CASE("a status change is kept in the connection's history and the project's events") {
  TempStore t;
  t.Connection("c1");
  auto event = t.SetStatus("c1", "inactive", "invalid_api_key");
  REQUIRE(event);
  CHECK(event->previous_status == "active");
  CHECK(event->status == "inactive");
  CHECK(event->outcome == "invalid_credentials");
  CHECK(event->message == "m invalid_api_key");

  CHECK_FALSE(t.SetStatus("c1", "inactive", "invalid_api_key"));  // nothing changed, nothing kept
  CHECK(t.SetStatus("c1", "active", ""));

  auto history = t.store->ListHistory("p", "c1", 10, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 2);
  CHECK(history->items[0].status == "active");  // newest first
  CHECK(history->items[1].status == "inactive");
  CHECK(history->items[1].reason == "invalid_api_key");
  auto events = t.store->ListEvents("p", 10, "");
  REQUIRE(events.ok());
  CHECK(events->items.size() == 2);
  CHECK(events->items[0].connection == "c1");
}

TEST_CASE("history and events page newest first without gaps or repeats") {
  TempStore t;
  t.Connection("c1");
  t.Connection("c2");
  for (int i = 0; i < 7; ++i) {
    t.SetStatus(i % 2 ? "c1" : "c2", "inactive", "r" + std::to_string(i));
  }
  std::vector<std::string> reasons;
  std::string after;
  do {
    auto page = t.store->ListEvents("p", 3, after);
    REQUIRE(page.ok());
    CHECK(page->items.size() <= 3);
    for (const auto& e : page->items) reasons.push_back(e.reason);
    after = page->next_after;
  } while (!after.empty());
  CHECK(reasons == std::vector<std::string>{"r6", "r5", "r4", "r3", "r2", "r1", "r0"});
  auto c1 = t.store->ListHistory("p", "c1", 50, "");
  REQUIRE(c1.ok());
  CHECK(c1->items.size() == 3);
}

TEST_CASE("deleting a connection removes its history but keeps the project's events") {
  TempStore t;
  t.Connection("c1");
  t.SetStatus("c1", "inactive", "revoked");
  REQUIRE(t.store->DeleteConnection("p", "c1", nullptr).ok());
  auto history = t.store->ListHistory("p", "c1", 10, "");
  REQUIRE(history.ok());
  CHECK(history->items.empty());
  auto events = t.store->ListEvents("p", 10, "");
  REQUIRE(events.ok());
  CHECK(events->items.size() == 1);
  CHECK(events->items[0].connection_name == "conn c1");
}

TEST_CASE("events of one project are invisible to another") {
  TempStore t;
  REQUIRE(t.store->CreateProject({"p2", "P2", NowRfc3339()}).ok());
  t.Connection("c1");
  t.SetStatus("c1", "inactive", "revoked");
  auto other = t.store->ListEvents("p2", 10, "");
  REQUIRE(other.ok());
  CHECK(other->items.empty());
}

TEST_CASE("connection keys come from the index, filtered by status and provider") {
  TempStore t;
  t.Connection("c1");
  t.Connection("c2");
  t.Connection("c3");
  t.SetStatus("c2", "inactive", "revoked");
  auto all = t.store->ListConnectionKeys("p");
  REQUIRE(all.ok());
  CHECK(all->size() == 3);
  auto inactive = t.store->ListConnectionKeys("p", "inactive");
  REQUIRE(inactive.ok());
  REQUIRE(inactive->size() == 1);
  CHECK((*inactive)[0].id == "c2");
  CHECK((*inactive)[0].provider == "openai");
  auto other = t.store->ListConnectionKeys("p", "", "trello");
  REQUIRE(other.ok());
  CHECK(other->empty());
}
