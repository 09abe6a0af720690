// Projects and their API tokens.
//   POST   /v1/projects                      server admin
//   GET    /v1/projects                      server admin: all; a project token: its own
//   GET    /v1/projects/{p}
//   POST   /v1/projects/{p}/tokens           a token with a role, returned once
//   GET    /v1/projects/{p}/tokens           without secrets
//   DELETE /v1/projects/{p}/tokens/{id}      revoke
#include <regex>

#include "api/app.hpp"
#include "secrets/tokens.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

json ProjectView(const Project& p) { return {{"id", p.id}, {"name", p.name}, {"created_at", p.created_at}}; }

json TokenView(const TokenRecord& t) {
  return {{"id", t.id}, {"project", t.project}, {"role", RoleName(t.role)}, {"name", t.name},
          {"created_at", t.created_at}};
}

}  // namespace

void RegisterProjectRoutes(Router& router, App& app) {
  router.Handle("POST", "/v1/projects", Access::kServerAdmin, [&app](Call& call) {
    auto body = call.JsonBody();
    if (!body) return;
    std::vector<FieldError> errors;
    Project project;
    if (!body->contains("name") || !(*body)["name"].is_string()) {
      errors.push_back({"name", "missing_required", "A project name is required."});
    } else {
      project.name = (*body)["name"];
      if (auto bad = ConnectionService::CheckName(project.name, "name")) errors.push_back(*bad);
    }
    if (body->contains("id")) {
      static const std::regex kSlug("^[a-z0-9][a-z0-9-]{0,62}$");
      if (!(*body)["id"].is_string() || !std::regex_match((*body)["id"].get<std::string>(), kSlug)) {
        errors.push_back({"id", "pattern_mismatch", "A project id is 1-63 lower-case letters, digits and dashes."});
      } else {
        project.id = (*body)["id"];
      }
    }
    for (auto it = body->begin(); it != body->end(); ++it) {
      if (it.key() != "name" && it.key() != "id") {
        errors.push_back({it.key(), "unknown_field", "'" + it.key() + "' is not a project field."});
      }
    }
    if (!errors.empty()) return call.Fail(422, "invalid_body", "the project is not valid", errors);
    if (project.id.empty()) project.id = RandomId("prj_");
    project.created_at = NowRfc3339();
    if (Status s = app.store.CreateProject(project); !s.ok()) return call.Fail(s);
    call.res.set_header("Location", "/v1/projects/" + project.id);
    call.Reply(201, ProjectView(project));
  });

  router.Handle("GET", "/v1/projects", Access::kAuthenticated, [&app](Call& call) {
    auto projects = app.store.ListProjects();
    if (!projects.ok()) return call.Fail(projects.status());
    json items = json::array();
    for (const auto& p : *projects) {
      if (call.principal.CanSee(p.id)) items.push_back(ProjectView(p));
    }
    call.Reply(200, {{"items", items}, {"next_cursor", nullptr}});
  });

  router.Handle("GET", "/v1/projects/{p}", Access::kProjectRead, [&app](Call& call) {
    auto project = app.store.GetProject(call.param(0));
    if (!project.ok()) return call.Fail(project.status());
    json view = ProjectView(*project);
    view["role"] = RoleName(call.principal.server_admin ? Role::kAdmin : call.principal.role);
    call.Reply(200, view);
  });

  router.Handle("POST", "/v1/projects/{p}/tokens", Access::kProjectWrite, [&app](Call& call) {
    auto body = call.JsonBody();
    if (!body) return;
    TokenRecord record;
    std::vector<FieldError> errors;
    if (!body->contains("role") || !(*body)["role"].is_string() || !ParseRole((*body)["role"], record.role)) {
      errors.push_back({"role", "not_allowed_value", "role must be \"admin\" or \"member\"."});
    }
    if (body->contains("name")) {
      if (!(*body)["name"].is_string()) errors.push_back({"name", "wrong_type", "name must be a string."});
      else record.name = (*body)["name"];
      // An empty name is no name; any other must be one (bounded, visible, NFC).
      if (!record.name.empty()) {
        if (auto bad = ConnectionService::CheckName(record.name, "name")) errors.push_back(*bad);
      }
    }
    for (auto it = body->begin(); it != body->end(); ++it) {
      if (it.key() != "name" && it.key() != "role") {
        errors.push_back({it.key(), "unknown_field", "'" + it.key() + "' is not a token field."});
      }
    }
    if (!errors.empty()) return call.Fail(422, "invalid_body", "the token request is not valid", errors);
    IssuedToken issued = IssueToken();
    record.id = issued.id;
    record.project = call.param(0);
    record.hash = issued.hash;
    record.created_at = NowRfc3339();
    if (Status s = app.store.PutToken(record); !s.ok()) return call.Fail(s);
    json view = TokenView(record);
    view["token"] = issued.token;  // the only time it is ever shown
    call.Reply(201, view);
  });

  router.Handle("GET", "/v1/projects/{p}/tokens", Access::kProjectWrite, [&app](Call& call) {
    auto tokens = app.store.ListTokens(call.param(0));
    if (!tokens.ok()) return call.Fail(tokens.status());
    json items = json::array();
    for (const auto& t : *tokens) items.push_back(TokenView(t));
    call.Reply(200, {{"items", items}, {"next_cursor", nullptr}});
  });

  router.Handle("DELETE", "/v1/projects/{p}/tokens/{id}", Access::kProjectWrite, [&app](Call& call) {
    if (Status s = app.store.DeleteToken(call.param(0), call.param(1)); !s.ok()) return call.Fail(s);
    call.res.status = 204;
  });
}

}  // namespace switchboard::api
