// The contract every provider plugin keeps, checked the same way on each built-in one:
// it loads through the host's loader, its field schema passes the meta-schema and the
// host's rules, its secrets are exactly its writeOnly password fields, and recorded
// provider replies give the verdict of each of the four outcomes without a credential
// in a message, a reason or a log line, whatever bytes the reply holds.
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <switchboard/http_util.hpp>
#include <switchboard/testing.hpp>
#include <switchboard/text_util.hpp>

#include "../plugin_test_support.hpp"
#include "plugin_contract.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/config_validation.hpp"
#include "schema/field_schema_check.hpp"
#include "support/plugin_library.hpp"

namespace switchboard::testing {
namespace {

PluginContract ContractOf(const std::string& plugin) {
  if (plugin == "openai") return OpenAiContract();
  if (plugin == "google_calendar") return GoogleCalendarContract();
  if (plugin == "trello") return TrelloContract();
  return OutlookContract();
}

// Every built-in plugin, for GENERATE: each TEST_CASE runs once per plugin.
#define EVERY_PLUGIN as<std::string>{}, "openai", "google_calendar", "trello", "outlook"

// Answers the probe's requests with `replies` in order, the last one again after them.
FakeHost::Responder Replay(std::vector<HttpResponse> replies) {
  auto next = std::make_shared<size_t>(0);
  return [replies = std::move(replies), next](const HttpRequest&) {
    const size_t at = std::min(*next, replies.size() - 1);
    ++*next;
    return replies[at];
  };
}

TEST_CASE("plugin contract: loads through the host's loader with a conforming field schema") {
  const PluginContract contract = ContractOf(GENERATE(EVERY_PLUGIN));
  INFO(contract.plugin);
  auto loaded = LoadPlugin(std::string(SWITCHBOARD_PLUGIN_DIR) + "/" + contract.plugin + ".so");
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  const LoadedProvider& provider = **loaded;
  CHECK(provider.id() == contract.plugin);
  CHECK(std::set<std::string>(provider.secret_fields().begin(), provider.secret_fields().end()) ==
        contract.secret_fields);

  // The meta-schema (installed as share/switchboard/provider-field-schema.json) and the
  // rules it cannot state.
  auto problems = CheckFieldSchema(provider.field_schema());
  for (const auto& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());

  auto errors = ValidateConfig(provider, contract.config);
  REQUIRE(errors.ok());
  CHECK(errors->empty());
}

TEST_CASE("plugin contract: the secrets are exactly the writeOnly password fields") {
  const PluginContract contract = ContractOf(GENERATE(EVERY_PLUGIN));
  INFO(contract.plugin);
  PluginLibrary library(contract.plugin);
  FakeHost host(library.entry());
  const Json schema = host.Manifest()["schema"];
  std::set<std::string> write_only;
  for (const auto& [name, field] : schema["properties"].items()) {
    INFO(name);
    const bool secret = field.value("writeOnly", false);
    if (secret) write_only.insert(name);
    // Forms mask a secret and the host seals it; a default would be shared by every
    // connection, and a secret cannot decide where secrets go.
    CHECK((field.value("format", "") == "password") == secret);
    if (secret) {
      CHECK(field["type"] == "string");
      CHECK_FALSE(field.contains("default"));
      CHECK_FALSE(field.value("x-credential-destination", false));
    }
  }
  CHECK(write_only == contract.secret_fields);
  CHECK(host.Validate(contract.config).empty());
}

TEST_CASE("plugin contract: recorded replies give each outcome, and no secret leaks") {
  const PluginContract contract = ContractOf(GENERATE(EVERY_PLUGIN));
  INFO(contract.plugin);
  PluginLibrary library(contract.plugin);
  FakeHost host(library.entry());
  std::set<std::string> outcomes;
  for (const ContractCase& c : contract.cases) {
    INFO(c.name);
    auto run = host.Probe(contract.config, Replay(c.replies));
    outcomes.insert(OutcomeName(run.result.outcome));
    CHECK(OutcomeName(run.result.outcome) == std::string(OutcomeName(c.outcome)));
    CHECK(run.result.reason == c.reason);
    CHECK(run.result.field == c.field);
    CHECK_FALSE(run.result.message.empty());
    CHECK(run.result.retry_after_seconds.has_value() == c.retry_after_seconds.has_value());
    if (c.retry_after_seconds && run.result.retry_after_seconds) {
      CHECK(*run.result.retry_after_seconds == Approx(*c.retry_after_seconds));
    }
    CHECK_NOTHROW(Json(run.result).dump());
    CheckNoSecrets(run, host, contract.secrets);
    CHECK(run.result.field.find("[redacted]") == std::string::npos);
  }
  CHECK(outcomes == std::set<std::string>{"valid", "invalid_credentials", "missing_permission", "transient"});
}

// Servers send Latin-1 error pages and headers; the host hands them over with U+FFFD in
// place of each byte that is not UTF-8, and so does FakeHost. A verdict must come out,
// never a plugin error.
TEST_CASE("plugin contract: replies that are not UTF-8 still give a verdict") {
  const PluginContract contract = ContractOf(GENERATE(EVERY_PLUGIN));
  INFO(contract.plugin);
  PluginLibrary library(contract.plugin);
  FakeHost host(library.entry());

  SECTION("a header value that is not UTF-8 changes no verdict") {
    for (const ContractCase& c : contract.cases) {
      INFO(c.name);
      std::vector<HttpResponse> replies = c.replies;
      for (auto& reply : replies) reply.headers["x-served-by"] = "caf\xe9 m\xfcnchen";
      auto run = host.Probe(contract.config, Replay(replies));
      CHECK(OutcomeName(run.result.outcome) == std::string(OutcomeName(c.outcome)));
      CHECK(run.result.reason == c.reason);
    }
  }
  SECTION("a Latin-1 error page is transient") {
    const HttpResponse page{503, {{"content-type", "text/html; charset=iso-8859-1"}},
                            "<html><body>Service indisponible, r\xe9" "essayez \xe0 nouveau.</body></html>"};
    auto run = host.Probe(contract.config, Replay({page}));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK_FALSE(run.result.message.empty());
    CHECK_NOTHROW(Json(run.result).dump());
  }
}

// A grant's origins must be ones the host can compare and would send credentials to.
void CheckGrantShape(const Authorization& grant) {
  REQUIRE_FALSE(grant.origins.empty());
  for (const auto& o : grant.origins) {
    INFO(o.origin << " " << o.base_path);
    const bool https = o.origin.rfind("https://", 0) == 0;
    const bool http = o.origin.rfind("http://", 0) == 0;
    REQUIRE((https || http));
    const std::string authority = o.origin.substr(o.origin.find("://") + 3);
    CHECK_FALSE(authority.empty());
    CHECK(authority.find_first_of("/?#@") == std::string::npos);  // no path, query or user info
    CHECK(Lower(o.origin) == o.origin);
    CHECK_FALSE(EndsWith(o.origin, https ? ":443" : ":80"));
    if (http) CHECK(IsLoopbackHost(SplitUrl(o.origin).host));
    if (!o.base_path.empty()) {
      CHECK(o.base_path.front() == '/');
      CHECK(o.base_path.back() != '/');
      CHECK(o.base_path.find_first_of("?#") == std::string::npos);
    }
  }
  for (const auto& [name, value] : grant.headers) CHECK(Lower(name) == name);
  CHECK((grant.headers.size() + grant.query.size()) > 0);
}

TEST_CASE("plugin contract: Authorize grants origins of the right shape, and ClassifyResponse reads statuses") {
  const PluginContract contract = ContractOf(GENERATE(EVERY_PLUGIN));
  INFO(contract.plugin);
  PluginLibrary library(contract.plugin);
  FakeHost host(library.entry());
  // The recorded replies of the valid case answer the refresh grant of an OAuth2 plugin.
  std::vector<HttpResponse> replies;
  for (const ContractCase& c : contract.cases) {
    if (c.outcome == Outcome::kValid) replies = c.replies;
  }
  REQUIRE_FALSE(replies.empty());
  auto run = host.Authorize(contract.config, Replay(replies));
  REQUIRE(run.authorization);
  CheckGrantShape(*run.authorization);

  SECTION("a loopback base URL gives a loopback-http origin") {
    Json config = contract.config;
    for (const char* field : {"base_url", "api_base", "graph_base"}) {
      if (config.contains(field)) config[field] = "http://127.0.0.1:8089/under/test/";
    }
    auto local = host.Authorize(config, Replay(replies));
    REQUIRE(local.authorization);
    CheckGrantShape(*local.authorization);
    CHECK(local.authorization->origins[0].origin == "http://127.0.0.1:8089");
    CHECK(local.authorization->origins[0].base_path == "/under/test");
  }

  const HttpRequest request{"GET", run.authorization->origins[0].origin + run.authorization->origins[0].base_path + "/x", {}, ""};
  CHECK(host.Classify(contract.config, request, JsonResponse(200, "{}")).kind == ResponseClass::kFine);
  const Classification failed = host.Classify(contract.config, request, JsonResponse(500, "{}"));
  CHECK(failed.kind == ResponseClass::kTransient);
  CHECK_FALSE(failed.message.empty());
  const HttpResponse page{503, {{"content-type", "text/html; charset=iso-8859-1"}}, "<html>r\xe9" "essayez</html>"};
  CHECK(host.Classify(contract.config, request, page).kind == ResponseClass::kTransient);
}

}  // namespace
}  // namespace switchboard::testing
