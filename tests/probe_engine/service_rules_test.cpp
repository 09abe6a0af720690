// The rules the services own (issue 11, part 2): components whose integrations create or
// reuse connections atomically, projects and tokens, connection deletion, and field
// errors carried inside the Status.
#include <atomic>
#include <thread>

#include "probe_host_fixture.hpp"
#include "service/component_service.hpp"
#include "service/project_service.hpp"

using namespace probe_engine_test;
using nlohmann::json;
using switchboard::Code;

namespace {

json FlowWithIntegration(const ProbeHost& host, const std::string& name, const std::string& key) {
  return {{"name", "uses " + name},
          {"integrations", json::array({{{"provider", "openai"}, {"name", name},
                                          {"config", {{"api_key", key}, {"base_url", host.openai.BaseUrl()}}}}})}};
}

size_t ConnectionsNamed(ProbeHost& host, const std::string& name) {
  auto page = host.store->ListConnections("p", switchboard::ConnectionQuery{"", "", name, 200, ""});
  REQUIRE(page.ok());
  size_t n = 0;
  for (const auto& row : page->items) n += row.record.name == name;
  return n;
}

}  // namespace

TEST_CASE("flows racing to create the same integration share exactly one connection", "[services]") {
  ProbeHost host;
  ComponentService components(*host.store, *host.connections);
  std::atomic<int> created_hook{0};
  components.set_on_connection_created([&](const ConnectionRecord&) { ++created_hook; });
  constexpr int kWriters = 8;
  std::vector<Result<StoredComponent>> results(kWriters, Status::Error(Code::kInternal, "not run"));
  std::atomic<bool> go{false};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      results[i] = components.Put("p", kKindFlow, "flow-" + std::to_string(i), FlowWithIntegration(host, "Shared", kGoodKey));
    });
  }
  go = true;
  for (auto& w : writers) w.join();

  REQUIRE(ConnectionsNamed(host, "Shared") == 1);
  auto shared = host.store->FindConnectionByName("p", "Shared");
  REQUIRE(shared.ok());
  REQUIRE(shared->has_value());
  for (int i = 0; i < kWriters; ++i) {
    INFO("writer " << i << ": " << results[i].status().ToString());
    REQUIRE(results[i].ok());
    CHECK(results[i]->created);
    CHECK(results[i]->component.connections == std::vector<std::string>{(*shared)->id});
    CHECK(results[i]->component.integrations[0]["connection"] == (*shared)->id);
  }
  CHECK(created_hook == 1);  // probed once: only the put that created it asks
  auto refs = host.store->ListReferences("p", (*shared)->id, kKindFlow);
  REQUIRE(refs.ok());
  CHECK(refs->size() == static_cast<size_t>(kWriters));
}

TEST_CASE("puts racing on one new component: exactly one is told it created it", "[services]") {
  ProbeHost host;
  ComponentService components(*host.store, *host.connections);
  const std::string id = host.Create("existing", kGoodKey);
  constexpr int kWriters = 8;
  std::atomic<int> created{0}, replaced{0}, failed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&] {
      while (!go) std::this_thread::yield();
      auto stored = components.Put("p", kKindDeployment, "one", {{"connections", {id}}});
      if (!stored.ok()) ++failed;
      else if (stored->created) ++created;
      else ++replaced;
    });
  }
  go = true;
  for (auto& w : writers) w.join();
  CHECK(failed == 0);
  CHECK(created == 1);
  CHECK(replaced == kWriters - 1);
  auto again = components.Put("p", kKindDeployment, "one", {{"connections", {id}}});
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
}

TEST_CASE("an integration reuses the project's connection of that name and provider", "[services]") {
  ProbeHost host;
  ComponentService components(*host.store, *host.connections);
  int created_hook = 0;
  components.set_on_connection_created([&](const ConnectionRecord&) { ++created_hook; });
  const std::string id = host.Create("Mine", kGoodKey);
  auto stored = components.Put("p", kKindFlow, "f", FlowWithIntegration(host, "mine", kOtherGoodKey));
  REQUIRE(stored.ok());
  CHECK(stored->component.connections == std::vector<std::string>{id});
  CHECK(created_hook == 0);
  CHECK(host.StoredKey(id) == kGoodKey);  // reused as stored, not overwritten
}

TEST_CASE("component field errors ride inside the Status", "[services]") {
  ProbeHost host;
  ComponentService components(*host.store, *host.connections);
  SECTION("a body that breaks the rules: invalid_body, every problem named") {
    json body = {{"name", 7}, {"extra", true}, {"connections", {"x", 3}},
                 {"integrations", json::array({{{"provider", "openai"}}, {{"provider", "nope"}, {"name", "N"}}})}};
    auto stored = components.Put("p", kKindFlow, "f", body);
    REQUIRE(stored.status().Is(Code::kInvalidBody));
    CHECK(stored.status().message() == "the flow is not valid");
    std::vector<std::string> fields;
    for (const auto& e : stored.status().field_errors()) fields.push_back(e.field);
    CHECK(fields == std::vector<std::string>{"extra", "name", "connections[1]", "integrations[0]",
                                             "integrations[1].provider"});
  }
  SECTION("an integration named like a connection of another provider") {
    host.Create("Taken", kGoodKey);
    json body = {{"integrations", json::array({{{"provider", "trello"}, {"name", "taken"}, {"config", json::object()}}})}};
    auto stored = components.Put("p", kKindFlow, "f", body);
    REQUIRE(stored.status().Is(Code::kInvalidBody));
    REQUIRE(stored.status().field_errors().size() == 1);
    CHECK(stored.status().field_errors()[0].field == "integrations[0].name");
    CHECK(stored.status().field_errors()[0].code == "name_taken");
  }
  SECTION("an unknown connection id: unknown_connection naming the connections field; nothing stored") {
    auto stored = components.Put("p", kKindFlow, "f", {{"connections", {"con_nope"}}});
    REQUIRE(stored.status().Is(Code::kUnknownConnection));
    REQUIRE(stored.status().field_errors().size() == 1);
    CHECK(stored.status().field_errors()[0].field == "connections");
    CHECK(components.Get("p", kKindFlow, "f").status().IsNotFound());
  }
}

TEST_CASE("components list by connection, and deleting one releases its references", "[services]") {
  ProbeHost host;
  ComponentService components(*host.store, *host.connections);
  const std::string id = host.Create("used", kGoodKey);
  REQUIRE(components.Put("p", kKindFlow, "a", {{"connections", {id}}}).ok());
  REQUIRE(components.Put("p", kKindFlow, "b", json::object()).ok());
  auto using_it = components.List("p", kKindFlow, id);
  REQUIRE(using_it.ok());
  REQUIRE(using_it->size() == 1);
  CHECK((*using_it)[0].id == "a");
  CHECK(components.List("p", kKindFlow, "con_nope").status().IsNotFound());

  ConnectionDeletion refused = host.connections->Delete("p", id);
  REQUIRE(refused.status.IsInUse());
  CHECK(refused.status.message() == "This connection is used by flow 'a'. Remove it from them before deleting it.");
  REQUIRE(refused.in_use_by.size() == 1);
  CHECK(refused.in_use_by[0].id == "a");

  REQUIRE(components.Delete("p", kKindFlow, "a").ok());
  ConnectionDeletion deleted = host.connections->Delete("p", id);
  CHECK(deleted.status.ok());
  CHECK(deleted.in_use_by.empty());
  CHECK(host.connections->Get("p", id).status().IsNotFound());
}

TEST_CASE("projects and tokens: ids, issued tokens, field errors in the Status", "[services]") {
  ProbeHost host;
  ProjectService projects(*host.store);
  auto issued_id = projects.Create({{"name", "Issued"}});
  REQUIRE(issued_id.ok());
  CHECK(issued_id->id.rfind("prj_", 0) == 0);
  auto chosen = projects.Create({{"name", "Chosen"}, {"id", "chosen-1"}});
  REQUIRE(chosen.ok());
  CHECK(projects.Create({{"name", "Again"}, {"id", "chosen-1"}}).status().Is(Code::kConflict));
  CHECK(projects.Exists("chosen-1"));
  CHECK_FALSE(projects.Exists("nope"));

  auto bad = projects.Create({{"id", "Not A Slug"}, {"x", 1}});
  REQUIRE(bad.status().Is(Code::kInvalidBody));
  REQUIRE(bad.status().field_errors().size() == 3);
  CHECK(bad.status().field_errors()[0].field == "name");
  CHECK(bad.status().field_errors()[1].code == "pattern_mismatch");
  CHECK(bad.status().field_errors()[2].code == "unknown_field");

  auto token = projects.IssueToken("chosen-1", {{"role", "member"}, {"name", "ci"}});
  REQUIRE(token.ok());
  CHECK(token->token.rfind("sbt_", 0) == 0);
  auto found = projects.FindToken(token->record.id);
  REQUIRE(found.ok());
  CHECK(found->hash != token->token);  // only the hash is stored
  CHECK(projects.IssueToken("chosen-1", {{"role", "owner"}}).status().field_errors()[0].field == "role");
  REQUIRE(projects.RevokeToken("chosen-1", token->record.id).ok());
  CHECK(projects.FindToken(token->record.id).status().IsNotFound());
}
