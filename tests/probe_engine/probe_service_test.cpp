#include <thread>

#include "probe_host_fixture.hpp"

using switchboard::Code;

using namespace probe_engine_test;
using switchboard::Outcome;

TEST_CASE("a valid probe keeps the connection active and records when it was checked") {
  ProbeHost host;
  const std::string id = host.Create("ok", kGoodKey);
  auto report = host.service->ProbeStoredAndWait("p", id);
  REQUIRE(report.ok());
  CHECK(report->result.outcome == Outcome::kValid);
  CHECK(report->row.record.status == "active");
  CHECK_FALSE(report->row.record.checked_at.empty());
  CHECK(report->row.record.last_probe.value("outcome", "") == "valid");
  CHECK(host.events.empty());  // no change of status, nothing to tell
}

TEST_CASE("revoked credentials make the connection inactive, with the reason, in its history") {
  ProbeHost host;
  const std::string id = host.Create("revoked", kRevokedKey);
  auto report = host.service->ProbeStoredAndWait("p", id);
  REQUIRE(report.ok());
  CHECK(report->result.outcome == Outcome::kInvalidCredentials);
  CHECK(report->result.reason == "invalid_api_key");
  CHECK(report->result.field == "api_key");
  CHECK(report->row.record.status == "inactive");
  CHECK_FALSE(report->row.record.status_reason.empty());
  auto history = host.store->ListHistory("p", id, 10, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 1);
  CHECK(history->items[0].outcome == "invalid_credentials");
  CHECK(history->items[0].previous_status == "active");
  REQUIRE(host.events.size() == 1);
  CHECK(host.events[0].connection == id);
}

TEST_CASE("a transient failure leaves the status as it was") {
  ProbeHost host;
  const std::string id = host.Create("down", kDownKey);
  auto report = host.service->ProbeStoredAndWait("p", id);
  REQUIRE(report.ok());
  CHECK(report->result.outcome == Outcome::kTransient);
  CHECK(report->row.record.status == "active");
  auto history = host.store->ListHistory("p", id, 10, "");
  REQUIRE(history.ok());
  CHECK(history->items.empty());
}

TEST_CASE("probes of one connection asked for at once share one request to the provider") {
  ProbeHost host;
  const std::string id = host.Create("shared", kGoodKey);
  host.openai.delay_ms = 400;
  std::vector<std::thread> callers;
  std::atomic<int> valid{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      auto report = host.service->ProbeStoredAndWait("p", id);
      if (report.ok() && report->result.outcome == Outcome::kValid) ++valid;
    });
  }
  for (auto& c : callers) c.join();
  CHECK(valid == 8);
  CHECK(host.openai.requests == 1);
}

TEST_CASE("probes of different connections run in parallel") {
  ProbeHost host;
  host.openai.delay_ms = 50;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(host.Create("c" + std::to_string(i), kGoodKey));
  std::vector<std::thread> callers;
  for (const auto& id : ids) {
    callers.emplace_back([&host, id] { REQUIRE(host.service->ProbeStoredAndWait("p", id).ok()); });
  }
  for (auto& c : callers) c.join();
  CHECK(host.openai.requests == 10);
}

TEST_CASE("a reconnect with bad credentials changes nothing") {
  ProbeHost host;
  const std::string id = host.Create("keep", kGoodKey);
  auto before = host.store->GetConnection("p", id);
  REQUIRE(before.ok());
  std::vector<FieldError> errors;
  auto report = host.service->ReconnectAndWait("p", id, {{"api_key", kRevokedKey}});
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  CHECK(report->result.outcome == Outcome::kInvalidCredentials);
  CHECK_FALSE(report->row.has_value());
  CHECK(host.StoredKey(id) == kGoodKey);
  auto after = host.store->GetConnection("p", id);
  REQUIRE(after.ok());
  CHECK(after->record.updated_at == before->record.updated_at);
  CHECK(after->record.status == "active");
}

TEST_CASE("a reconnect with valid credentials stores them and makes the connection active") {
  ProbeHost host;
  const std::string id = host.Create("back", kRevokedKey);
  REQUIRE(host.service->ProbeStoredAndWait("p", id)->row.record.status == "inactive");
  std::vector<FieldError> errors;
  auto report = host.service->ReconnectAndWait("p", id, {{"api_key", kOtherGoodKey}});
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  CHECK(report->result.outcome == Outcome::kValid);
  REQUIRE(report->row.has_value());
  CHECK(report->row->record.status == "active");
  CHECK(host.StoredKey(id) == kOtherGoodKey);
  auto history = host.store->ListHistory("p", id, 10, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 2);
  CHECK(history->items[0].status == "active");
  CHECK(history->items[0].previous_status == "inactive");
}

TEST_CASE("a reconnect with a config its provider refuses is rejected before any probe") {
  ProbeHost host;
  const std::string id = host.Create("schema", kGoodKey);
  std::vector<FieldError> errors;
  auto report = host.service->ReconnectAndWait("p", id, {{"api_key", 42}});
  errors = report.status().field_errors();
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().Is(Code::kInvalidConfig));
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].field == "config.api_key");
  CHECK(host.openai.requests == 0);
}

TEST_CASE("probing a missing connection fails with not_found") {
  ProbeHost host;
  auto report = host.service->ProbeStoredAndWait("p", "con_missing");
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().Is(Code::kNotFound));
}
