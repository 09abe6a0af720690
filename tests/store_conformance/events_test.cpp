// Recorded events: an update records the event its event_for gives (the store has no rule
// of its own for what is worth recording), as given, in the connection's history and the
// project's events, newest first, paged without gaps or repeats.
#include <catch2/catch.hpp>

#include <set>

#include "store_conformance/backends.hpp"
#include "store_conformance/samples.hpp"

using namespace switchboard;
using namespace switchboard::conformance;

namespace {

StatusEvent SampleEvent(const std::string& connection, const std::string& reason) {
  StatusEvent e;
  e.at = NowRfc3339();
  e.project = "p";
  e.connection = connection;
  e.connection_name = "Name of " + connection;
  e.provider = "openai";
  e.outcome = "invalid_credentials";
  e.reason = reason;
  e.message = "the key was revoked — «" + reason + "»";
  e.status = "inactive";
  e.previous_status = "active";
  return e;
}

void CheckSameEvent(const StatusEvent& got, const StatusEvent& want) {
  CHECK(got.at == want.at);
  CHECK(got.project == want.project);
  CHECK(got.connection == want.connection);
  CHECK(got.connection_name == want.connection_name);
  CHECK(got.provider == want.provider);
  CHECK(got.outcome == want.outcome);
  CHECK(got.reason == want.reason);
  CHECK(got.message == want.message);
  CHECK(got.status == want.status);
  CHECK(got.previous_status == want.previous_status);
}

// Sets the connection's status reason to `reason`, recording `event` (nothing when
// nullopt). Returns what the update said it recorded.
std::optional<StatusEvent> Record(Store& store, const std::string& id, const std::string& reason,
                                  const std::optional<StatusEvent>& event) {
  std::optional<StatusEvent> recorded = SampleEvent("not", "filled");  // must be overwritten
  UpdateOptions options;
  options.event_for = [&](const ConnectionRecord&, const ConnectionRecord&) { return event; };
  options.event = &recorded;
  auto row = store.UpdateConnection("p", id, [&](ConnectionRecord& r) {
    r.status_reason = reason;
    return Status::Ok();
  }, options);
  REQUIRE(row.ok());
  return recorded;
}

// The reasons of every event of the project, paging `page_size` at a time.
std::vector<std::string> AllEventReasons(Store& store, size_t page_size) {
  std::vector<std::string> reasons;
  std::string after;
  for (int pages = 0;; ++pages) {
    REQUIRE(pages < 20);
    auto page = store.ListEvents("p", page_size, after);
    REQUIRE(page.ok());
    REQUIRE(page->items.size() <= page_size);
    for (const auto& e : page->items) reasons.push_back(e.reason);
    if (page->next_after.empty()) break;
    after = page->next_after;
  }
  return reasons;
}

}  // namespace

TEST_CASE("an update records the event its event_for gives, exactly as given, and returns it") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  const StatusEvent given = SampleEvent("c1", "invalid_api_key");
  std::optional<ConnectionRecord> seen_before, seen_after;
  std::optional<StatusEvent> recorded;
  UpdateOptions options;
  options.event_for = [&](const ConnectionRecord& before, const ConnectionRecord& after) {
    seen_before = before;
    seen_after = after;
    return std::optional<StatusEvent>(given);
  };
  options.event = &recorded;
  auto row = store->UpdateConnection("p", "c1", [](ConnectionRecord& r) {
    r.status = "inactive";
    r.status_reason = "invalid_api_key";
    return Status::Ok();
  }, options);
  REQUIRE(row.ok());
  // event_for sees the stored record and the changed one.
  REQUIRE(seen_before);
  REQUIRE(seen_after);
  CHECK(seen_before->status == "active");
  CHECK(seen_after->status == "inactive");
  CHECK(seen_after->status_reason == "invalid_api_key");
  CHECK(seen_after->id == "c1");

  REQUIRE(recorded);
  CheckSameEvent(*recorded, given);
  auto history = store->ListHistory("p", "c1", 10, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 1);
  CheckSameEvent(history->items[0], given);
  auto events = store->ListEvents("p", 10, "");
  REQUIRE(events.ok());
  REQUIRE(events->items.size() == 1);
  CheckSameEvent(events->items[0], given);
  CHECK(store->ListEvents("other", 10, "")->items.empty());  // projects are apart
}

TEST_CASE("an update records nothing when event_for gives none, is not set, or the change fails") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());

  // The status moved, but the rule said it is not worth an event: the store adds none.
  CHECK_FALSE(Record(*store, "c1", "moved", std::nullopt));
  CHECK(store->GetConnection("p", "c1")->record.status_reason == "moved");
  REQUIRE(store->UpdateConnection("p", "c1", [](ConnectionRecord& r) {
    r.status = "inactive";
    r.status_reason = "no rule given";
    return Status::Ok();
  }).ok());
  bool asked = false;
  UpdateOptions options;
  options.event_for = [&](const ConnectionRecord&, const ConnectionRecord&) {
    asked = true;
    return std::optional<StatusEvent>(SampleEvent("c1", "never"));
  };
  auto failed = store->UpdateConnection("p", "c1", [](ConnectionRecord& r) {
    r.status = "active";
    return Status::Error(Code::kStaleProbe, "stale");
  }, options);
  CHECK(failed.status().Is(Code::kStaleProbe));
  CHECK_FALSE(asked);
  CHECK(store->UpdateConnection("p", "missing", [](ConnectionRecord&) { return Status::Ok(); }, options)
            .status()
            .Is(Code::kNotFound));

  CHECK(store->ListHistory("p", "c1", 10, "")->items.empty());
  CHECK(store->ListEvents("p", 10, "")->items.empty());
  CHECK(store->GetConnection("p", "c1")->record.status == "inactive");
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
    REQUIRE(Record(*store, id, reason, SampleEvent(id, reason)));
    written.push_back(reason);
    // Updates between them that record nothing leave no trace in the order.
    CHECK_FALSE(Record(*store, id, reason, std::nullopt));
  }
  const std::vector<std::string> newest_first(written.rbegin(), written.rend());
  for (size_t page_size : {1, 2, 3, 7, 50}) {
    INFO("page size " << page_size);
    CHECK(AllEventReasons(*store, page_size) == newest_first);
  }

  auto history = store->ListHistory("p", "c1", 2, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 2);
  CHECK(history->items[0].reason == "r6");
  CHECK(history->items[1].reason == "r4");
  REQUIRE_FALSE(history->next_after.empty());
  auto rest = store->ListHistory("p", "c1", 10, history->next_after);
  REQUIRE(rest.ok());
  REQUIRE(rest->items.size() == 2);
  CHECK(rest->items[0].reason == "r2");
  CHECK(rest->items[1].reason == "r0");
  CHECK(rest->next_after.empty());
  auto c2 = store->ListHistory("p", "c2", 10, "");
  REQUIRE(c2.ok());
  REQUIRE(c2->items.size() == 3);
  for (const auto& e : c2->items) CHECK(e.connection == "c2");

  // An event recorded after a page was read comes before it, never inside the pages after.
  auto first = store->ListEvents("p", 3, "");
  REQUIRE(first.ok());
  REQUIRE(Record(*store, "c1", "late", SampleEvent("c1", "late")));
  std::vector<std::string> read;
  for (const auto& e : first->items) read.push_back(e.reason);
  std::string after = first->next_after;
  while (!after.empty()) {
    auto page = store->ListEvents("p", 3, after);
    REQUIRE(page.ok());
    for (const auto& e : page->items) read.push_back(e.reason);
    after = page->next_after;
  }
  CHECK(read == newest_first);
  CHECK(AllEventReasons(*store, 4).front() == "late");
}

TEST_CASE("a deleted connection's history goes with it; the project's events stay") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c2", "Two")).ok());
  REQUIRE(Record(*store, "c1", "gone", SampleEvent("c1", "gone")));
  REQUIRE(Record(*store, "c2", "kept", SampleEvent("c2", "kept")));
  REQUIRE(store->DeleteConnection("p", "c1", nullptr).ok());
  CHECK(store->ListHistory("p", "c1", 10, "")->items.empty());
  CHECK(store->ListHistory("p", "c2", 10, "")->items.size() == 1);  // another's stays
  auto events = store->ListEvents("p", 10, "");
  REQUIRE(events.ok());
  REQUIRE(events->items.size() == 2);
  CHECK(events->items[1].connection == "c1");
  CHECK(events->items[1].connection_name == "Name of c1");
  // A new connection with the old id starts with no history.
  REQUIRE(store->CreateConnection(SampleConnection("c1", "One again")).ok());
  CHECK(store->ListHistory("p", "c1", 10, "")->items.empty());
}
