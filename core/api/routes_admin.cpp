// POST /v1/admin/plugins/reload    rescan the plugin folders (plugin_reloader.hpp)
#include "api/app.hpp"
#include "api/plugin_views.hpp"

namespace switchboard::api {

void RegisterAdminRoutes(Router& router, App& app) {
  // Loading a library runs it in a new runner: the plugin lane, like other plugin calls.
  router.Handle("POST", "/v1/admin/plugins/reload", Access::kServerAdmin, Lane::kPlugin, [&app](Call& call) {
    if (!app.host.CanReloadPlugins()) return call.Fail(503, "reload_unavailable", "this host does not reload plugins");
    const HostService::PluginReload reload = app.host.ReloadPlugins();
    call.Reply(200, ReloadReportView(reload.report, reload.compatibility));
  });
}

}  // namespace switchboard::api
