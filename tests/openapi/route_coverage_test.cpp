// Every route the host registers (read from core/ by registered_routes) is described in
// schemas/openapi.json, so the document cannot silently fall behind the code.
#include <cctype>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "openapi/openapi_contract.hpp"
#include "openapi/registered_routes.hpp"

namespace {

using switchboard::openapi::OpenApiContract;
using switchboard::openapi::RoutesInSource;
using switchboard::openapi::RoutesUnder;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("the route reader follows literals, variables and parameters filled by callers") {
  const std::string source = R"cpp(
// router.Handle("GET", "/in/a/comment", ...) is not a route
namespace {
void RegisterKind(Router& router, App& app, const std::string& plural, const std::string& kind) {
  const std::string base = "/v1/projects/{p}/" + plural;
  router.Handle("GET", base, Access::kProjectRead, [&app, kind](Call& call) { if (a < b) List(app, call); });
  router.Handle("PUT", base + "/{id}", Access::kProjectWrite, [](Call& call) {});
}
}  // namespace
void RegisterAll(Router& router, App& app) {
  const std::string base = "/v1/things";
  router.Handle("DELETE", base + "/{id}", Access::kProjectWrite, [](Call& call) { call.res.status = 204; });
  router.Handle("GET", "/healthz", Access::kPublic, [](Call& call) {});
  RegisterKind(router, app, "flows", "flow");
  RegisterKind(router, app, "deployments", "deployment");
}
)cpp";
  auto found = RoutesInSource(source, "sample.cpp");
  CHECK(found.unresolved.empty());
  std::set<std::pair<std::string, std::string>> expected = {
      {"GET", "/v1/projects/{p}/flows"},        {"PUT", "/v1/projects/{p}/flows/{id}"},
      {"GET", "/v1/projects/{p}/deployments"},  {"PUT", "/v1/projects/{p}/deployments/{id}"},
      {"DELETE", "/v1/things/{id}"},            {"GET", "/healthz"}};
  CHECK(found.routes == expected);
}

TEST_CASE("a route the reader cannot work out is reported, not skipped") {
  auto found = RoutesInSource("void F(Router& router) {\n  router.Handle(\"GET\", MakePath(), Access::kPublic, h);\n}\n", "x.cpp");
  CHECK(found.routes.empty());
  CHECK(found.unresolved.size() == 1);
}

TEST_CASE("every route the host registers is in the OpenAPI document") {
  auto contract = OpenApiContract::FromFile(std::string(SWITCHBOARD_SOURCE_DIR) + "/schemas/openapi.json");
  auto registered = RoutesUnder(std::string(SWITCHBOARD_SOURCE_DIR) + "/core");
  INFO("routes the reader could not work out: " << nlohmann::json(registered.unresolved).dump());
  CHECK(registered.unresolved.empty());
  // The reader found the host's routes at all (a reader that finds nothing passes nothing).
  CHECK(registered.routes.count({"GET", "/healthz"}) == 1);
  CHECK(registered.routes.count({"DELETE", "/v1/projects/{p}/deployments/{id}"}) == 1);
  for (const auto& [method, path] : registered.routes) {
    INFO(method << " " << path << " is registered by the host but not in schemas/openapi.json");
    CHECK(contract.HasOperation(method, path));
  }
  // The other way is reported only: the document may describe routes being built.
  const auto& paths = contract.document()["paths"];
  for (auto p = paths.begin(); p != paths.end(); ++p) {
    for (auto op = p.value().begin(); op != p.value().end(); ++op) {
      if (op.key() == "parameters") continue;
      bool built = false;
      for (const auto& [method, path] : registered.routes) built |= path == p.key() && Lower(method) == op.key();
      if (!built) WARN("documented but not registered yet: " << op.key() << " " << p.key());
    }
  }
}
