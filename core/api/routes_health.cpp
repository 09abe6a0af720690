// GET /healthz, GET /metrics
#include "api/app.hpp"
#include "api/plugin_views.hpp"
#include "api/views.hpp"

namespace switchboard::api {
void RegisterHealthRoutes(Router& router, App& app) {
  // 503 while the storage refuses writes or holds unreadable data, so a load balancer or
  // monitor sees it; the host still answers everything it can.
  router.Handle("GET", "/healthz", Access::kPublic, [&app](Call& call) {
    const StorageReport storage = app.host.StorageHealth();
    call.Reply(storage.ok() ? 200 : 503, HealthView(storage, app.providers));
  });
  router.Handle("GET", "/metrics", Access::kPublic, [&app](Call& call) {
    auto counts = app.connections.CountByStatus();
    if (!counts.ok()) return call.Fail(counts.status());
    call.res.set_content(app.metrics.Render(*counts) + PluginMetrics(app.providers), "text/plain; version=0.0.4");
  });
}

}  // namespace switchboard::api
