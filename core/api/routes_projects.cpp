// Projects and their API tokens (the rules are ProjectService's).
//   POST   /v1/projects                      server admin
//   GET    /v1/projects                      server admin: all; a project token: its own
//   GET    /v1/projects/{p}
//   POST   /v1/projects/{p}/tokens           a token with a role, returned once
//   GET    /v1/projects/{p}/tokens           without secrets
//   DELETE /v1/projects/{p}/tokens/{id}      revoke
#include "api/app.hpp"
#include "api/views.hpp"

namespace switchboard::api {

using nlohmann::json;

void RegisterProjectRoutes(Router& router, App& app) {
  router.Handle("POST", "/v1/projects", Access::kServerAdmin, [&app](Call& call) {
    auto body = call.JsonBody();
    if (!body) return;
    auto project = app.projects.Create(*body);
    if (!project.ok()) return call.Fail(project.status());
    call.res.set_header("Location", "/v1/projects/" + project->id);
    call.Reply(201, ProjectView(*project));
  });

  router.Handle("GET", "/v1/projects", Access::kAuthenticated, [&app](Call& call) {
    auto projects = app.projects.List();
    if (!projects.ok()) return call.Fail(projects.status());
    std::vector<Project> visible;
    for (const auto& p : *projects) {
      if (call.principal.CanSee(p.id)) visible.push_back(p);
    }
    call.Reply(200, ListView(visible, [](const Project& p) { return ProjectView(p); }));
  });

  router.Handle("GET", "/v1/projects/{p}", Access::kProjectRead, [&app](Call& call) {
    auto project = app.projects.Get(call.param(0));
    if (!project.ok()) return call.Fail(project.status());
    call.Reply(200, ProjectView(*project, call.principal.server_admin ? Role::kAdmin : call.principal.role));
  });

  router.Handle("POST", "/v1/projects/{p}/tokens", Access::kProjectWrite, [&app](Call& call) {
    auto body = call.JsonBody();
    if (!body) return;
    auto issued = app.projects.IssueToken(call.param(0), *body);
    if (!issued.ok()) return call.Fail(issued.status());
    call.Reply(201, IssuedTokenView(*issued));  // the only time the token is ever shown
  });

  router.Handle("GET", "/v1/projects/{p}/tokens", Access::kProjectWrite, [&app](Call& call) {
    auto tokens = app.projects.ListTokens(call.param(0));
    if (!tokens.ok()) return call.Fail(tokens.status());
    call.Reply(200, ListView(*tokens, TokenView));
  });

  router.Handle("DELETE", "/v1/projects/{p}/tokens/{id}", Access::kProjectWrite, [&app](Call& call) {
    if (Status s = app.projects.RevokeToken(call.param(0), call.param(1)); !s.ok()) return call.Fail(s);
    call.res.status = 204;
  });
}

}  // namespace switchboard::api
