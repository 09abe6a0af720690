// GET /healthz, GET /metrics
#include "api/app.hpp"

namespace switchboard::api {

void RegisterHealthRoutes(Router& router, App& app) {
  router.Handle("GET", "/healthz", Access::kPublic, [&app](Call& call) {
    call.Reply(200, {{"status", "ok"}, {"providers", app.providers.size()}});
  });
  router.Handle("GET", "/metrics", Access::kPublic, [&app](Call& call) {
    auto counts = app.store.CountConnectionsByStatus();
    if (!counts.ok()) return call.Fail(counts.status());
    call.res.set_content(app.metrics.Render(*counts), "text/plain; version=0.0.4");
  });
}

}  // namespace switchboard::api
