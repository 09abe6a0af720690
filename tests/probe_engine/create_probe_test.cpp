// Creating probes first (issue 9, finding 8) and refused destinations as configuration
// errors (finding 9), through the probe service over the real OpenAI plugin.
#include <thread>

#include "api/views.hpp"
#include "probe_net/destination.hpp"
#include "probe/probe_scheduler.hpp"
#include "probe_host_fixture.hpp"

using switchboard::Code;

using namespace probe_engine_test;
using switchboard::Outcome;
namespace ip = boost::asio::ip;

namespace {

template <typename Condition>
bool Eventually(Condition condition, int seconds = 10) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

size_t CountConnections(ProbeHost& host) {
  auto keys = host.store->ListConnectionKeys("p");
  REQUIRE(keys.ok());
  return keys->size();
}

}  // namespace

TEST_CASE("a create with valid credentials is probed first and stored active, checked") {
  ProbeHost host;
  std::vector<FieldError> errors;
  auto report = host.service->CreateAndWait("p", host.Input("good", kGoodKey), true);
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  REQUIRE(report->result.has_value());
  CHECK(report->result->outcome == Outcome::kValid);
  REQUIRE(report->row.has_value());
  CHECK(report->row->record.status == "active");
  CHECK_FALSE(report->row->record.checked_at.empty());
  CHECK_FALSE(report->row->record.connected_at.empty());
  CHECK(report->row->record.last_probe.value("outcome", "") == "valid");
  CHECK(host.openai.requests == 1);
  CHECK(host.StoredKey(report->row->record.id) == kGoodKey);
}

TEST_CASE("a create whose probe says the key is revoked stores nothing") {
  ProbeHost host;
  std::vector<FieldError> errors;
  auto report = host.service->CreateAndWait("p", host.Input("revoked", kRevokedKey), true);
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  REQUIRE(report->result.has_value());
  CHECK(report->result->outcome == Outcome::kInvalidCredentials);
  CHECK(report->result->field == "api_key");
  CHECK_FALSE(report->row.has_value());
  CHECK(CountConnections(host) == 0);
  auto named = host.store->FindConnectionByName("p", "revoked");
  REQUIRE(named.ok());
  CHECK_FALSE(named->has_value());
}

TEST_CASE("a create the provider cannot answer now is stored unverified, never active") {
  ProbeHost host;
  std::vector<FieldError> errors;
  auto report = host.service->CreateAndWait("p", host.Input("down", kDownKey), true);
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  REQUIRE(report->row.has_value());
  CHECK(report->result->outcome == Outcome::kTransient);
  CHECK(report->row->record.status == "unverified");
  CHECK(report->row->record.connected_at.empty());
  CHECK_FALSE(report->row->record.checked_at.empty());
  CHECK(report->row->record.status_reason == report->result->message);
  CHECK(report->row->record.last_probe.value("outcome", "") == "transient");
}

TEST_CASE("a create without a probe is unverified until a probe judges it") {
  ProbeHost host;
  std::vector<FieldError> errors;
  auto report = host.service->CreateAndWait("p", host.Input("later", kRevokedKey), false);
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  REQUIRE(report->row.has_value());
  CHECK_FALSE(report->result.has_value());
  CHECK(host.openai.requests == 0);
  const ConnectionRecord& stored = report->row->record;
  CHECK(stored.status == "unverified");
  CHECK(stored.checked_at.empty());
  CHECK_FALSE(stored.status_reason.empty());
  CHECK(switchboard::api::ConnectionView(*report->row)["last_probe"].is_null());
  auto counts = host.connections->CountByStatus();
  REQUIRE(counts.ok());
  CHECK(counts->at("unverified") == 1);
  CHECK(counts->at("active") == 0);
  auto probed = host.service->ProbeStoredAndWait("p", stored.id);
  REQUIRE(probed.ok());
  CHECK(probed->row.record.status == "inactive");
  auto history = host.store->ListHistory("p", stored.id, 10, "");
  REQUIRE(history.ok());
  REQUIRE(history->items.size() == 1);
  CHECK(history->items[0].previous_status == "unverified");
}

TEST_CASE("a create is refused before any probe when its name is taken") {
  ProbeHost host;
  host.Create("Taken", kGoodKey);
  std::vector<FieldError> errors;
  auto report = host.service->CreateAndWait("p", host.Input("taken", kGoodKey), true);
  errors = report.status().field_errors();
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().Is(Code::kNameTaken));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "name");
  CHECK(host.openai.requests == 0);
}

TEST_CASE("a test probe gives the verdict and stores nothing") {
  ProbeHost host;
  std::vector<FieldError> errors;
  auto valid = host.service->TestAndWait("openai", host.Input("x", kGoodKey).config);
  errors = valid.status().field_errors();
  REQUIRE(valid.ok());
  CHECK(valid->outcome == Outcome::kValid);
  auto revoked = host.service->TestAndWait("openai", host.Input("x", kRevokedKey).config);
  errors = revoked.status().field_errors();
  REQUIRE(revoked.ok());
  CHECK(revoked->outcome == Outcome::kInvalidCredentials);
  auto invalid = host.service->TestAndWait("openai", {{"api_key", 5}});
  errors = invalid.status().field_errors();
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.status().Is(Code::kInvalidConfig));
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].field == "config.api_key");
  CHECK(host.openai.requests == 2);
  CHECK(CountConnections(host) == 0);
}

TEST_CASE("the scheduler probes an unverified connection soon, not an interval later") {
  ProbeHost host;
  std::vector<FieldError> errors;
  auto report = host.service->CreateAndWait("p", host.Input("import", kRevokedKey), false);
  errors = report.status().field_errors();
  REQUIRE(report.ok());
  const std::string id = report->row->record.id;
  const std::string proven = host.Create("proven", kGoodKey);
  probe::ScheduleOptions options;
  options.interval = std::chrono::hours(1);
  options.first_backoff = std::chrono::milliseconds(200);
  options.rescan = std::chrono::hours(1);
  probe::ProbeScheduler scheduler(*host.store, *host.service, options);
  scheduler.Start();
  CHECK(Eventually([&] { return host.store->GetConnection("p", id)->record.status == "inactive"; }));
  scheduler.Stop();
  CHECK(host.store->GetConnection("p", proven)->record.checked_at.empty());  // its time is within the hour
}

// ---- Destinations ---------------------------------------------------------------------

TEST_CASE("URL fields are the schema's format: uri properties") {
  nlohmann::json schema = {{"properties", {{"api_key", {{"type", "string"}}},
                                           {"base_url", {{"type", "string"}, {"format", "uri"}}}}}};
  CHECK(probe::UrlFields(schema) == std::vector<std::string>{"base_url"});
}

TEST_CASE("address literals are recognised in every spelling the resolver accepts") {
  CHECK(probe::LiteralAddress("http://127.0.0.1:8080/v1") == ip::make_address("127.0.0.1"));
  CHECK(probe::LiteralAddress("http://[::1]/") == ip::make_address("::1"));
  CHECK(probe::LiteralAddress("http://[::ffff:10.0.0.1]/") == ip::make_address("::ffff:10.0.0.1"));
  CHECK(probe::LiteralAddress("http://2130706433/") == ip::make_address("127.0.0.1"));
  CHECK(probe::LiteralAddress("http://0x7f.1/") == ip::make_address("127.0.0.1"));
  CHECK(probe::LiteralAddress("http://127.1/") == ip::make_address("127.0.0.1"));
  CHECK_FALSE(probe::LiteralAddress("https://api.openai.com/v1").has_value());
  CHECK_FALSE(probe::LiteralAddress("http://localhost:8080").has_value());
  CHECK_FALSE(probe::LiteralAddress("not a url").has_value());
}

TEST_CASE("a URL field with an internal literal address is refused at create, with the field named") {
  ProbeHost host(std::vector<std::string>{});  // no egress allowlist: loopback, private and metadata ranges are refused
  for (const std::string url : {"http://127.0.0.1:9/v1", "http://10.1.2.3/v1", "http://169.254.169.254/latest",
                                "http://[::1]:9/v1", "http://[::ffff:127.0.0.1]/v1", "http://2130706433/v1"}) {
    INFO(url);
    std::vector<FieldError> errors;
    ConnectionInput input{"inside", "openai", {{"api_key", kGoodKey}, {"base_url", url}}};
    auto report = host.service->CreateAndWait("p", input, true);
    errors = report.status().field_errors();
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().Is(Code::kInvalidConfig));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "config.base_url");
    CHECK(errors[0].code == "destination_not_allowed");
  }
  CHECK(CountConnections(host) == 0);
  CHECK(host.openai.requests == 0);
}

TEST_CASE("an allowed range is accepted, and refused literals are refused at update and reconnect too") {
  ProbeHost host(std::vector<std::string>{"127.0.0.1/32"});
  const std::string id = host.Create("allowed", kGoodKey);  // points at 127.0.0.1: allowed
  std::vector<FieldError> errors;
  ConnectionChange change;
  change.config = nlohmann::json{{"base_url", "http://10.0.0.7/v1"}};
  auto updated = host.connections->Update("p", id, change);
  errors = updated.status().field_errors();
  REQUIRE_FALSE(updated.ok());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "config.base_url");
  CHECK(errors[0].code == "destination_not_allowed");
  errors.clear();
  auto reconnect = host.service->ReconnectAndWait("p", id, {{"api_key", kOtherGoodKey}, {"base_url", "http://[::1]/v1"}});
  errors = reconnect.status().field_errors();
  REQUIRE_FALSE(reconnect.ok());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "destination_not_allowed");
  auto row = host.store->GetConnection("p", id);
  REQUIRE(row.ok());
  CHECK(row->record.config["base_url"] == host.openai.BaseUrl());
  CHECK(host.StoredKey(id) == kGoodKey);
}

TEST_CASE("a host name that resolves to a refused address makes the connection inactive, the field named") {
  ProbeHost host(std::vector<std::string>{});
  const std::string port = host.openai.BaseUrl().substr(std::string("http://127.0.0.1:").size());
  ConnectionInput input{"by name", "openai", {{"api_key", kGoodKey}, {"base_url", "http://localhost:" + port}}};
  std::vector<FieldError> errors;
  auto refused = host.service->CreateAndWait("p", input, true);
  errors = refused.status().field_errors();
  REQUIRE(refused.ok());
  REQUIRE(refused->result.has_value());
  CHECK(refused->result->outcome == Outcome::kInvalidCredentials);
  CHECK(refused->result->reason == "destination_not_allowed");
  CHECK(refused->result->field == "base_url");
  CHECK_FALSE(refused->row.has_value());

  auto stored = host.service->CreateAndWait("p", input, false);

  errors = stored.status().field_errors();
  REQUIRE(stored.ok());
  auto probed = host.service->ProbeStoredAndWait("p", stored->row->record.id);
  REQUIRE(probed.ok());
  CHECK(probed->result.reason == "destination_not_allowed");
  CHECK(probed->result.field == "base_url");
  CHECK(probed->row.record.status == "inactive");
  CHECK(probed->row.record.status_reason.find("internal address") != std::string::npos);
  CHECK(probed->row.record.last_probe.value("field", "") == "base_url");
  CHECK(host.openai.requests == 0);
}

TEST_CASE("a changed config is unverified until a probe judges it; a rename alone is not") {
  ProbeHost host;
  const std::string id = host.Create("edited", kGoodKey);
  std::vector<FieldError> errors;
  ConnectionChange rename;
  rename.name = "renamed";
  auto renamed = host.connections->Update("p", id, rename);
  errors = renamed.status().field_errors();
  REQUIRE(renamed.ok());
  CHECK(renamed->record.status == "active");
  ConnectionChange edit;
  edit.config = nlohmann::json{{"api_key", kRevokedKey}};
  auto edited = host.connections->Update("p", id, edit);
  errors = edited.status().field_errors();
  REQUIRE(edited.ok());
  CHECK(edited->record.status == "unverified");
  CHECK_FALSE(edited->record.status_reason.empty());
  auto probed = host.service->ProbeStoredAndWait("p", id);
  REQUIRE(probed.ok());
  CHECK(probed->row.record.status == "inactive");
}
