// The name index: names are unique per project, case-insensitively and across look-alikes,
// and renames and deletes keep it true.
#include <catch2/catch.hpp>

#include "store_conformance/backends.hpp"
#include "store_conformance/samples.hpp"

using namespace switchboard;
using namespace switchboard::conformance;

TEST_CASE("a name is taken case-insensitively within its project, not across projects") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("con_1", "Billing")).ok());
  CHECK(store->CreateConnection(SampleConnection("con_2", "BILLING")).Is(Code::kNameTaken));
  CHECK(store->CreateConnection(SampleConnection("con_2", "billing")).Is(Code::kNameTaken));
  CHECK(store->GetConnection("p", "con_2").status().Is(Code::kNotFound));  // nothing stored
  CHECK(store->CreateConnection(SampleConnection("con_2", "Billing", "other")).ok());
  auto found = store->FindConnectionByName("p", "bIlLiNg");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->id == "con_1");
  CHECK_FALSE(store->FindConnectionByName("p", "Payroll")->has_value());
}

// Moved from tests/unit_store/name_index_test.cpp: a contract of every backend.
TEST_CASE("look-alike names collide in the store; renames and deletes free them") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  auto Connection = [](const std::string& id, const std::string& name) { return SampleConnection(id, name); };
  REQUIRE(store->CreateConnection(Connection("con_1", "Caf\xC3\xA9")).ok());
  CHECK(store->CreateConnection(Connection("con_2", "CAF\xC3\x89")).Is(Code::kNameTaken));
  CHECK(store->CreateConnection(Connection("con_2", "\xD0\xA1" "af\xC3\xA9")).Is(Code::kNameTaken));  // Cyrillic С
  REQUIRE(store->CreateConnection(Connection("con_2", "Tea")).ok());

  auto rename = [&](const std::string& id, const std::string& name) {
    auto row = store->UpdateConnection("p", id, [&](ConnectionRecord& r) {
      r.name = name;
      return switchboard::Status::Ok();
    });
    return row.ok() ? std::string("ok") : row.status().code_name();
  };
  CHECK(rename("con_2", "caf\xC3\xA9") == "name_taken");
  CHECK(rename("con_1", "CAF\xC3\x89") == "ok");  // its own look-alike
  CHECK(rename("con_1", "Coffee") == "ok");
  CHECK(rename("con_2", "Caf\xC3\xA9") == "ok");  // freed by the rename
  REQUIRE(store->DeleteConnection("p", "con_2", nullptr).ok());
  CHECK(store->CreateConnection(Connection("con_3", "CAFE\xCC\x81")).ok());  // freed by the delete

  auto found = store->FindConnectionByName("p", "coff\xD0\xB5" "e");  // Cyrillic е
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->id == "con_1");
}

TEST_CASE("a rename moves the connection in the listing order and frees the old name") {
  const Backend& backend = GENERATE(from_range(Backends()));
  INFO("backend " << backend.name);
  auto store = backend.open();
  REQUIRE(store->CreateConnection(SampleConnection("con_1", "Alpha")).ok());
  REQUIRE(store->CreateConnection(SampleConnection("con_2", "Mike")).ok());
  REQUIRE(store->UpdateConnection("p", "con_1", [](ConnectionRecord& r) {
    r.name = "zulu";
    return Status::Ok();
  }).ok());
  auto page = store->ListConnections("p", {});
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);
  CHECK(page->items[0].record.name == "Mike");
  CHECK(page->items[1].record.name == "zulu");
  CHECK_FALSE(store->FindConnectionByName("p", "alpha")->has_value());
  CHECK(store->CreateConnection(SampleConnection("con_3", "ALPHA")).ok());
  CHECK(store->UpdateConnection("p", "con_3", [](ConnectionRecord& r) {
    r.name = "Zulu";
    return Status::Ok();
  }).status().Is(Code::kNameTaken));
  CHECK(store->GetConnection("p", "con_3")->record.name == "ALPHA");  // the refused rename stored nothing
}
