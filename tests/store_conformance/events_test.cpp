// Status changes: recorded in the connection's history and the project's events, newest
// first, paged without gaps or repeats.
#include <catch2/catch.hpp>

#include <set>

#include "store_conformance/backends.hpp"
#include "store_conformance/samples.hpp"

using namespace switchboard;
using namespace switchboard::conformance;

namespace {

std::optional<StatusEvent> SetStatus(Store& store, const std::string& id, const std::string& status,
                                     const std::string& reason) {
  std::optional<StatusEvent> event;
  UpdateOptions options;
  options.event = &event;
  auto row = store.UpdateConnection("p", id, [&](ConnectionRecord& r) {
    r.status = status;
    r.status_reason = reason;
    return Status::Ok();
  }, options);
  REQUIRE(row.ok());
  return event;
}

}  // namespace

TEST_CASE("a change of status or reason is recorded once, newest first; other changes are not") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  auto event = SetStatus(*store, "c1", "inactive", "invalid_api_key");
  REQUIRE(event);
  CHECK(event->previous_status == "active");
  CHECK(event->status == "inactive");
  CHECK(event->connection == "c1");
  CHECK(event->connection_name == "One");
  CHECK_FALSE(SetStatus(*store, "c1", "inactive", "invalid_api_key"));  // nothing changed
  CHECK(SetStatus(*store, "c1", "inactive", "expired"));                // the reason did
  CHECK(SetStatus(*store, "c1", "active", ""));

  auto history = store->ListHistory("p", "c1", 10, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 3);
  CHECK(history->items[0].status == "active");
  CHECK(history->items[1].reason == "expired");
  CHECK(history->items[2].reason == "invalid_api_key");
  CHECK(history->next_after.empty());
  auto events = store->ListEvents("p", 10, "");
  REQUIRE(events.ok());
  CHECK(events->items.size() == 3);
  CHECK(store->ListEvents("other", 10, "")->items.empty());
}

TEST_CASE("history and events page newest first, without gaps or repeats, across connections") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c2", "Two")).ok());
  std::vector<std::string> written;  // reasons, oldest first
  for (int i = 0; i < 7; ++i) {
    const std::string id = i % 2 ? "c2" : "c1";
    const std::string reason = "r" + std::to_string(i);
    REQUIRE(SetStatus(*store, id, i % 4 < 2 ? "inactive" : "unverified", reason));
    written.push_back(reason);
  }
  std::vector<std::string> read;
  std::string after;
  for (int pages = 0;; ++pages) {
    REQUIRE(pages < 10);
    auto page = store->ListEvents("p", 3, after);
    REQUIRE(page.ok());
    for (const auto& e : page->items) read.push_back(e.reason);
    if (page->next_after.empty()) break;
    after = page->next_after;
  }
  CHECK(read == std::vector<std::string>(written.rbegin(), written.rend()));

  auto history = store->ListHistory("p", "c1", 2, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 2);
  CHECK(history->items[0].reason == "r6");
  CHECK(history->items[1].reason == "r4");
  auto rest = store->ListHistory("p", "c1", 10, history->next_after);
  REQUIRE(rest.ok());
  REQUIRE(rest->items.size() == 2);
  CHECK(rest->items[0].reason == "r2");
  CHECK(rest->items[1].reason == "r0");
}

TEST_CASE("a deleted connection's history goes with it; the project's events stay") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  REQUIRE(SetStatus(*store, "c1", "inactive", "gone"));
  REQUIRE(store->DeleteConnection("p", "c1", nullptr).ok());
  CHECK(store->ListHistory("p", "c1", 10, "")->items.empty());
  CHECK(store->ListEvents("p", 10, "")->items.size() == 1);
  // A new connection with the old id starts with no history.
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One again")).ok());
  CHECK(store->ListHistory("p", "c1", 10, "")->items.empty());
}
