// POST /v1/admin/plugins/reload    rescan the plugin folders (plugin_reloader.hpp)
#include "api/app.hpp"

namespace switchboard::api {

nlohmann::json ReloadReportView(const ReloadReport& report) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& outcome : report.outcomes) {
    nlohmann::json item = {{"file", outcome.file.filename().string()},
                           {"id", outcome.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(outcome.id)},
                           {"action", ReloadActionName(outcome.action)}};
    if (outcome.action == ReloadOutcome::Action::kRefused) {
      item["reason"] = outcome.reason;
      // The loader's message starts with the library's path: the file name says enough.
      const std::string prefix = outcome.file.string() + ": ";
      item["message"] = outcome.message.rfind(prefix, 0) == 0 ? outcome.message.substr(prefix.size()) : outcome.message;
    }
    items.push_back(std::move(item));
  }
  return {{"plugins", items}};
}

void RegisterAdminRoutes(Router& router, App& app) {
  // Loading a library runs it in a new runner: the plugin lane, like other plugin calls.
  router.Handle("POST", "/v1/admin/plugins/reload", Access::kServerAdmin, Lane::kPlugin, [&app](Call& call) {
    if (app.reloader == nullptr) return call.Fail(503, "reload_unavailable", "this host does not reload plugins");
    call.Reply(200, ReloadReportView(app.reloader->Reload()));
  });
}

}  // namespace switchboard::api
