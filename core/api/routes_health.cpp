// GET /healthz, GET /metrics
#include "api/app.hpp"
#include "api/plugin_views.hpp"

namespace switchboard::api {
namespace {

// What /healthz says of the storage: states and times, never paths or RocksDB's text.
nlohmann::json StorageJson(const StorageReport& report) {
  nlohmann::json out = {{"status", StorageStateName(report)},
                        {"writable", report.writes == WriteState::kOk},
                        {"integrity", report.corrupt ? "corrupt" : report.verified ? "verified" : "verifying"},
                        {"unreadable_rows", report.unreadable_rows}};
  if (!report.writes_failing_since.empty()) out["writes_failing_since"] = report.writes_failing_since;
  if (report.corrupt) out["corrupt_since"] = report.corrupt_since;
  return out;
}

}  // namespace

void RegisterHealthRoutes(Router& router, App& app) {
  // 503 while the storage refuses writes or holds unreadable data, so a load balancer or
  // monitor sees it; the host still answers everything it can.
  router.Handle("GET", "/healthz", Access::kPublic, [&app](Call& call) {
    const StorageReport storage = app.host.StorageHealth();
    call.Reply(storage.ok() ? 200 : 503, {{"status", storage.ok() ? "ok" : "degraded"},
                                          {"providers", app.providers.size()},
                                          {"plugins", PluginHealthView(app.providers)},
                                          {"storage", StorageJson(storage)}});
  });
  router.Handle("GET", "/metrics", Access::kPublic, [&app](Call& call) {
    auto counts = app.connections.CountByStatus();
    if (!counts.ok()) return call.Fail(counts.status());
    call.res.set_content(app.metrics.Render(*counts) + PluginMetrics(app.providers), "text/plain; version=0.0.4");
  });
}

}  // namespace switchboard::api
