// Connections: create, read, update, delete, and listing with paging and cursors.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "store_conformance/backends.hpp"
#include "store_conformance/samples.hpp"

using namespace switchboard;
using namespace switchboard::conformance;

namespace {

// Every page of a listing, following next_after; the names in the order given.
std::vector<std::string> AllPages(Store& store, ConnectionQuery query, int* pages = nullptr) {
  std::vector<std::string> names;
  int count = 0;
  for (;;) {
    auto page = store.ListConnections("p", query);
    REQUIRE(page.ok());
    REQUIRE_FALSE(page->partial);
    REQUIRE(page->items.size() <= query.limit);
    ++count;
    for (const auto& row : page->items) names.push_back(row.record.name);
    if (page->next_after.empty()) break;
    query.after = page->next_after;
    REQUIRE(count < 100);
  }
  if (pages) *pages = count;
  return names;
}

}  // namespace

TEST_CASE("a created connection reads back as stored; unknown ones are not_found") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  ConnectionRecord c = SampleConnection("con_1", "Billing");
  c.config = {{"region", "eu"}};
  c.secrets = {{"api_key", "sealed:abc"}};
  c.last_probe = {{"outcome", "valid"}};
  REQUIRE(store->CreateConnection(c).ok());
  auto row = store->GetConnection("p", "con_1");
  REQUIRE(row.ok());
  CHECK(row->record.name == "Billing");
  CHECK(row->record.config == c.config);
  CHECK(row->record.secrets == c.secrets);
  CHECK(row->record.last_probe == c.last_probe);
  CHECK(row->references_by_kind.empty());
  CHECK(store->GetConnection("p", "con_2").status().Is(Code::kNotFound));
  CHECK(store->GetConnection("other", "con_1").status().Is(Code::kNotFound));  // projects are apart
  CHECK(store->DeleteConnection("p", "con_2", nullptr).Is(Code::kNotFound));
}

TEST_CASE("an update applies its change under the lock; an error from the change stores nothing") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("con_1", "Billing")).ok());
  auto updated = store->UpdateConnection("p", "con_1", [](ConnectionRecord& r) {
    r.config = {{"region", "us"}};
    r.id = "hijacked";  // id and project stay what they were
    r.project = "elsewhere";
    return Status::Ok();
  });
  REQUIRE(updated.ok());
  CHECK(updated->record.id == "con_1");
  CHECK(updated->record.project == "p");
  CHECK(store->GetConnection("p", "con_1")->record.config == nlohmann::json{{"region", "us"}});

  auto refused = store->UpdateConnection("p", "con_1", [](ConnectionRecord& r) {
    r.config = {{"region", "ap"}};
    return Status::Error(Code::kStaleProbe, "changed meanwhile");
  });
  CHECK(refused.status().Is(Code::kStaleProbe));
  CHECK(store->GetConnection("p", "con_1")->record.config == nlohmann::json{{"region", "us"}});
  CHECK(store->UpdateConnection("p", "nope", [](ConnectionRecord&) { return Status::Ok(); })
            .status()
            .Is(Code::kNotFound));
}

TEST_CASE("listing pages through every connection in name order, case-insensitively, once each") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  const std::vector<std::string> names = {"delta", "Alpha", "charlie", "Echo", "bravo", "foxtrot", "Golf"};
  for (size_t i = 0; i < names.size(); ++i) {
    REQUIRE(store->CreateConnection(SampleConnection("con_" + std::to_string(i), names[i])).ok());
  }
  REQUIRE(store->CreateConnection(SampleConnection("con_x", "Alpha", "other")).ok());  // another project

  ConnectionQuery query;
  query.limit = 3;
  int pages = 0;
  CHECK(AllPages(*store, query, &pages) ==
        std::vector<std::string>{"Alpha", "bravo", "charlie", "delta", "Echo", "foxtrot", "Golf"});
  CHECK(pages == 3);
  query.limit = 7;
  CHECK(AllPages(*store, query, &pages).size() == 7);
  CHECK(pages == 1);  // a full last page has no cursor to an empty one
}

TEST_CASE("listing filters by status, provider and name substring, and the key listing agrees") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("c1", "Prod OpenAI", "p", "openai", "active")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c2", "Dev OpenAI", "p", "openai", "inactive")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c3", "Prod Slack", "p", "slack", "active")).ok());
  ConnectionQuery query;
  query.status = "active";
  CHECK(AllPages(*store, query) == std::vector<std::string>{"Prod OpenAI", "Prod Slack"});
  query = {};
  query.provider = "openai";
  CHECK(AllPages(*store, query) == std::vector<std::string>{"Dev OpenAI", "Prod OpenAI"});
  query = {};
  query.q = "PROD";
  CHECK(AllPages(*store, query) == std::vector<std::string>{"Prod OpenAI", "Prod Slack"});
  query.status = "active";
  query.provider = "slack";
  CHECK(AllPages(*store, query) == std::vector<std::string>{"Prod Slack"});

  auto keys = store->ListConnectionKeys("p", "active", "openai");
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  CHECK((*keys)[0].id == "c1");
  CHECK((*keys)[0].provider == "openai");
  CHECK(store->ListConnectionKeys("p")->size() == 3);

  // A status change moves the connection between the status listings.
  REQUIRE(store->UpdateConnection("p", "c2", [](ConnectionRecord& r) {
    r.status = "active";
    return Status::Ok();
  }).ok());
  query = {};
  query.status = "active";
  CHECK(AllPages(*store, query).size() == 3);
  query.status = "inactive";
  CHECK(AllPages(*store, query).empty());
}

TEST_CASE("connections are counted by status across projects, only the statuses some connection has") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  using Counts = std::map<std::string, int64_t>;
  auto empty = store->CountConnectionsByStatus();
  REQUIRE(empty.ok());
  CHECK(empty->empty());  // no zeros: naming every status is the service's
  REQUIRE(store->CreateConnection(SampleConnection("c1", "A", "p", "openai", "active")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c2", "B", "p", "openai", "inactive")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c3", "A", "q", "openai", "active")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("c4", "C", "q", "openai", "paused")).ok());  // any status
  auto counts = store->CountConnectionsByStatus();
  REQUIRE(counts.ok());
  CHECK(*counts == Counts{{"active", 2}, {"inactive", 1}, {"paused", 1}});
  REQUIRE(store->UpdateConnection("p", "c2", [](ConnectionRecord& r) {
    r.status = "active";
    return Status::Ok();
  }).ok());
  CHECK(*store->CountConnectionsByStatus() == Counts{{"active", 3}, {"paused", 1}});
  REQUIRE(store->DeleteConnection("p", "c1", nullptr).ok());
  REQUIRE(store->DeleteConnection("q", "c4", nullptr).ok());
  CHECK(*store->CountConnectionsByStatus() == Counts{{"active", 2}});
}

TEST_CASE("projects and tokens: conflict on a second project with an id, not_found for unknown ones") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateProject({"p", "P", NowRfc3339()}).ok());
  CHECK(store->CreateProject({"p", "Again", NowRfc3339()}).Is(Code::kConflict));
  CHECK(store->GetProject("p")->name == "P");
  CHECK(store->GetProject("q").status().Is(Code::kNotFound));
  REQUIRE(store->ListProjects()->size() == 1);

  TokenRecord token{"tok_1", "p", Role::kAdmin, "ci", "abcd", NowRfc3339()};
  REQUIRE(store->PutToken(token).ok());
  CHECK(store->GetToken("tok_1")->role == Role::kAdmin);
  CHECK(store->ListTokens("p")->size() == 1);
  CHECK(store->ListTokens("q")->empty());
  CHECK(store->DeleteToken("q", "tok_1").Is(Code::kNotFound));  // not that project's token
  REQUIRE(store->DeleteToken("p", "tok_1").ok());
  CHECK(store->GetToken("tok_1").status().Is(Code::kNotFound));

  CHECK_FALSE(store->GetMeta("k")->has_value());
  REQUIRE(store->PutMeta("k", "v").ok());
  CHECK(store->GetMeta("k")->value() == "v");
}
