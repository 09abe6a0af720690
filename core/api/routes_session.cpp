// GET /v1/session   who the bearer token is:
//   {kind: "server_admin", project: null, role: null}
//   {kind: "project", project: "<id>", role: "admin"|"member"}
// The web page uses it after sign-in to choose a project and to know whether to offer
// the actions that change things.
#include "api/routes_web.hpp"

namespace switchboard::api {

void RegisterSessionRoutes(Router& router, App& /*app*/) {
  router.Handle("GET", "/v1/session", Access::kAuthenticated, [](Call& call) {
    const Principal& who = call.principal;
    if (who.server_admin) {
      return call.Reply(200, {{"kind", "server_admin"}, {"project", nullptr}, {"role", nullptr}});
    }
    call.Reply(200, {{"kind", "project"}, {"project", who.project}, {"role", RoleName(who.role)}});
  });
}

}  // namespace switchboard::api
