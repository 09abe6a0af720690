// The OpenAPI document itself and the checker the API test runs every response through.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "openapi/openapi_contract.hpp"
#include "schema/json_schema.hpp"

namespace {

using nlohmann::json;
using switchboard::openapi::ObservedResponse;
using switchboard::openapi::OpenApiContract;

const std::string kSpec = std::string(SWITCHBOARD_SOURCE_DIR) + "/schemas/openapi.json";

const OpenApiContract& Contract() {
  static const OpenApiContract contract = OpenApiContract::FromFile(kSpec);
  return contract;
}

json SampleConnection() {
  return {{"id", "con_1"},          {"project", "alpha"},
          {"name", "Main OpenAI"},  {"provider", "openai"},
          {"config", {{"api_key", {{"set", true}}}, {"organization", "org-1"}}},
          {"status", "inactive"},   {"status_reason", "invalid_api_key"},
          {"flows", 2},             {"connected_at", "2024-05-01T10:00:00.000Z"},
          {"checked_at", nullptr},  {"created_at", "2024-05-01T10:00:00.000Z"},
          {"updated_at", "2024-05-02T10:00:00.000Z"},
          {"expires_at", nullptr},  {"expiry_warning", false},
          {"last_probe", {{"outcome", "invalid_credentials"}, {"reason", "invalid_api_key"},
                          {"message", "Incorrect API key provided."}, {"field", "api_key"},
                          {"at", "2024-05-02T10:00:00.000Z"}}}};
}

ObservedResponse Get(const std::string& path, int status, const json& body,
                     const std::string& content_type = "application/json") {
  return {"GET", path, status, content_type, body.dump()};
}

}  // namespace

TEST_CASE("the document is an OpenAPI 3.1 JSON document whose every $ref resolves") {
  const json& doc = Contract().document();
  CHECK(doc.value("openapi", "") == "3.1.0");
  REQUIRE(doc.contains("paths"));
  CHECK(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
  auto unresolved = Contract().UnresolvedRefs();
  INFO("unresolved: " << json(unresolved).dump());
  CHECK(unresolved.empty());
  CHECK(Contract().Resolve("#/components/schemas/Connection") != nullptr);
  CHECK(Contract().Resolve("#/components/schemas/NoSuchThing") == nullptr);
}

TEST_CASE("every component schema compiles with the draft-07 validator") {
  const json& schemas = Contract().document()["components"]["schemas"];
  for (const char* name : {"Project", "Token", "TokenCreated", "Connection", "ConnectionList", "Flow", "Reference",
                           "Provider", "ProbeResult", "HistoryEntry", "Event", "ProbeJob", "Session", "Problem"}) {
    INFO(name);
    CHECK(schemas.contains(name));
  }
  for (auto it = schemas.begin(); it != schemas.end(); ++it) {
    INFO(it.key());
    json wrapper = {{"components", Contract().document()["components"]}, {"allOf", {it.value()}}};
    auto compiled = switchboard::CompiledSchema::Compile(wrapper);
    CHECK(compiled.ok());
  }
}

TEST_CASE("every operation documents its responses and a role") {
  const json& paths = Contract().document()["paths"];
  for (auto p = paths.begin(); p != paths.end(); ++p) {
    for (auto op = p.value().begin(); op != p.value().end(); ++op) {
      if (op.key() == "parameters") continue;
      INFO(op.key() << " " << p.key());
      CHECK(op.value().contains("responses"));
      CHECK(op.value().value("description", "").rfind("Role: ", 0) == 0);
    }
  }
}

TEST_CASE("a concrete path matches its templated path") {
  CHECK(Contract().MatchPath("/v1/projects/abc/connections/xyz") == "/v1/projects/{p}/connections/{id}");
  CHECK(Contract().MatchPath("/v1/projects/abc/connections?status=active&limit=5") == "/v1/projects/{p}/connections");
  CHECK(Contract().MatchPath("/v1/providers/openai/icon.svg") == "/v1/providers/{id}/icon.svg");
  CHECK(Contract().MatchPath("/healthz") == "/healthz");
  CHECK_FALSE(Contract().MatchPath("/v1/nothing").has_value());
  CHECK_FALSE(Contract().MatchPath("/v1/projects//connections").has_value());
}

TEST_CASE("a response that follows the document passes") {
  CHECK(Contract().Check(Get("/v1/projects/alpha/connections/con_1", 200, SampleConnection())).empty());
  json list = {{"items", json::array({SampleConnection()})}, {"next_cursor", nullptr}};
  CHECK(Contract().Check(Get("/v1/projects/alpha/connections?limit=1", 200, list)).empty());
  json problem = {{"type", "https://switchboard.dev/problems/not_found"}, {"title", "Not Found"}, {"status", 404},
                  {"detail", "no project 'x'"}, {"code", "not_found"}, {"errors", json::array()}};
  CHECK(Contract().Check(Get("/v1/projects/x/connections", 404, problem, "application/problem+json")).empty());
  CHECK(Contract().Check({"DELETE", "/v1/projects/alpha/connections/con_1", 204, "", ""}).empty());
}

TEST_CASE("a body missing a required field fails, naming the field") {
  json connection = SampleConnection();
  connection.erase("status_reason");
  auto violations = Contract().Check(Get("/v1/projects/alpha/connections/con_1", 200, connection));
  REQUIRE_FALSE(violations.empty());
  CHECK(json(violations).dump().find("status_reason") != std::string::npos);
}

TEST_CASE("a renamed or mistyped field fails") {
  json renamed = SampleConnection();
  renamed["state"] = renamed["status"];
  renamed.erase("status");
  CHECK_FALSE(Contract().Check(Get("/v1/projects/alpha/connections/con_1", 200, renamed)).empty());
  json mistyped = SampleConnection();
  mistyped["flows"] = "2";
  CHECK_FALSE(Contract().Check(Get("/v1/projects/alpha/connections/con_1", 200, mistyped)).empty());
  json bad_status = SampleConnection();
  bad_status["status"] = "broken";
  CHECK_FALSE(Contract().Check(Get("/v1/projects/alpha/connections/con_1", 200, bad_status)).empty());
}

TEST_CASE("a token list that shows a token's secret fails") {
  json token = {{"id", "t1"}, {"project", "alpha"}, {"role", "member"}, {"name", ""},
                {"created_at", "2024-05-01T10:00:00.000Z"}};
  json list = {{"items", {token}}, {"next_cursor", nullptr}};
  CHECK(Contract().Check(Get("/v1/projects/alpha/tokens", 200, list)).empty());
  list["items"][0]["token"] = "sbt_t1_secret";
  CHECK_FALSE(Contract().Check(Get("/v1/projects/alpha/tokens", 200, list)).empty());
}

TEST_CASE("an undocumented status, method, path or content type fails") {
  CHECK_FALSE(Contract().Check(Get("/v1/projects/alpha/connections/con_1", 418, SampleConnection())).empty());
  CHECK_FALSE(Contract().Check({"PUT", "/v1/projects/alpha/connections/con_1", 200, "application/json", "{}"}).empty());
  CHECK_FALSE(Contract().Check(Get("/v1/nothing", 200, json::object())).empty());
  CHECK_FALSE(Contract().Check(Get("/v1/projects/alpha/connections/con_1", 200, SampleConnection(), "text/html")).empty());
  CHECK_FALSE(Contract().Check({"DELETE", "/v1/projects/alpha/connections/con_1", 204, "", "{\"id\":1}"}).empty());
  CHECK_FALSE(Contract().Check({"GET", "/v1/projects/alpha/connections/con_1", 200, "application/json", "{not json"}).empty());
}

TEST_CASE("an unrouted request is checked as a 404 or 405 problem the document does not describe") {
  json problem = {{"type", "https://switchboard.dev/problems/route_not_found"}, {"title", "Not Found"}, {"status", 404},
                  {"detail", "no route"}, {"code", "route_not_found"}, {"errors", json::array()}};
  CHECK(Contract().CheckUnrouted({"GET", "/v1/nothing", 404, "application/problem+json", problem.dump()}).empty());
  problem["status"] = 405;
  CHECK(Contract().CheckUnrouted({"DELETE", "/v1/providers", 405, "application/problem+json", problem.dump()}).empty());
  CHECK_FALSE(Contract().CheckUnrouted({"GET", "/v1/providers", 405, "application/problem+json", problem.dump()}).empty());
  CHECK_FALSE(Contract().CheckUnrouted({"DELETE", "/v1/providers", 404, "application/problem+json", problem.dump()}).empty());
  CHECK_FALSE(Contract().CheckUnrouted({"GET", "/v1/nothing", 404, "application/problem+json", "{}"}).empty());
}

TEST_CASE("the reconnect problems carry the probe the contract promises") {
  json rejected = {{"type", "https://switchboard.dev/problems/credentials_rejected"}, {"title", "Unprocessable Content"},
                   {"status", 422}, {"detail", "the provider refused the new credentials"},
                   {"code", "credentials_rejected"},
                   {"errors", {{{"field", "config.api_key"}, {"code", "invalid_api_key"}, {"message", "Incorrect key."}}}},
                   {"probe", {{"outcome", "invalid_credentials"}, {"reason", "invalid_api_key"}, {"message", "Incorrect key."},
                              {"field", "api_key"}, {"retry_after_seconds", nullptr},
                              {"checked_at", "2024-05-02T10:00:00.000Z"}}}};
  ObservedResponse response{"POST", "/v1/projects/alpha/connections/con_1/reconnect", 422, "application/problem+json",
                            rejected.dump()};
  CHECK(Contract().Check(response).empty());
  rejected.erase("probe");
  response.body = rejected.dump();
  CHECK_FALSE(Contract().Check(response).empty());
}

TEST_CASE("openapi_check exits 0 for a conforming body and 1 for a violation") {
  const std::string dir = std::string(SWITCHBOARD_BINARY_DIR) + "/tests/openapi";
  const std::string good = dir + "/good_connection.json";
  const std::string bad = dir + "/bad_connection.json";
  std::ofstream(good) << SampleConnection().dump();
  json missing = SampleConnection();
  missing.erase("provider");
  std::ofstream(bad) << missing.dump();
  const std::string tool = std::string(OPENAPI_CHECK_EXECUTABLE) + " --spec " + kSpec + " ";
  auto exit_code = [](const std::string& command) {
    int raw = std::system((command + " 2>/dev/null").c_str());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  };
  CHECK(exit_code(tool + "GET /v1/projects/alpha/connections/con_1 200 " + good) == 0);
  CHECK(exit_code(tool + "--content-type 'application/json; charset=utf-8' GET /v1/projects/alpha/connections/con_1 200 < " + good) == 0);
  CHECK(exit_code(tool + "GET /v1/projects/alpha/connections/con_1 200 " + bad) == 1);
  CHECK(exit_code(tool + "GET /v1/projects/alpha/connections/con_1 302 " + good) == 1);
  CHECK(exit_code(tool + "GET /v1/projects/alpha/connections/con_1") == 2);
}
