// Flows and deployments: the components that use connections.
//   PUT    /v1/projects/{p}/flows/{id}      {name, connections: [ids], integrations: [{provider, name, config}]}
//   GET    /v1/projects/{p}/flows           ?connection={id} lists the flows using it
//   GET    /v1/projects/{p}/flows/{id}
//   DELETE /v1/projects/{p}/flows/{id}      releases its references
//   POST   /v1/projects/{p}/flows/{id}/tokens  {name?}: a runtime token for the flow (shown once)
// and the same under /deployments.
//
// The rules (integrations that create or reuse connections, atomically) are
// ComponentService's; a connection created so is probed at once in the background and
// the PUT does not wait for the verdict (docs/probes.md, "Creating").
#include "api/app.hpp"
#include "api/views.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

void Put(App& app, Call& call, const std::string& kind) {
  auto body = call.JsonBody();
  if (!body) return;
  auto stored = app.components.Put(call.param(0), kind, call.param(1), *body);
  if (!stored.ok()) return call.Fail(stored.status());
  call.Reply(stored->created ? 201 : 200, ComponentView(stored->component));
}

void List(App& app, Call& call, const std::string& kind) {
  auto components = app.components.List(call.param(0), kind, call.query("connection"));
  if (!components.ok()) return call.Fail(components.status());
  call.Reply(200, ListView(*components, ComponentView));
}

void RegisterKind(Router& router, App& app, const std::string& plural, const std::string& kind) {
  const std::string base = "/v1/projects/{p}/" + plural;
  router.Handle("GET", base, Access::kProjectRead, [&app, kind](Call& call) { List(app, call, kind); });
  router.Handle("PUT", base + "/{id}", Access::kProjectWrite, Lane::kPlugin, [&app, kind](Call& call) { Put(app, call, kind); });
  router.Handle("GET", base + "/{id}", Access::kProjectRead, [&app, kind](Call& call) {
    auto component = app.components.Get(call.param(0), kind, call.param(1));
    if (!component.ok()) return call.Fail(component.status());
    call.Reply(200, ComponentView(*component));
  });
  router.Handle("DELETE", base + "/{id}", Access::kProjectWrite, [&app, kind](Call& call) {
    if (Status s = app.components.Delete(call.param(0), kind, call.param(1)); !s.ok()) return call.Fail(s);
    call.res.status = 204;
  });
  router.Handle("POST", base + "/{id}/tokens", Access::kProjectWrite, [&app, kind](Call& call) {
    auto body = call.req.body.empty() ? std::optional<json>(json::object()) : call.JsonBody();
    if (!body) return;
    auto issued = app.projects.IssueRuntimeToken(call.param(0), kind, call.param(1), *body);
    if (!issued.ok()) return call.Fail(issued.status());
    call.Reply(201, IssuedTokenView(*issued));  // the only time the token is ever shown
  });
}

}  // namespace

void RegisterComponentRoutes(Router& router, App& app) {
  RegisterKind(router, app, "flows", kKindFlow);
  RegisterKind(router, app, "deployments", kKindDeployment);
}

}  // namespace switchboard::api
