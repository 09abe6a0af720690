// POST /v1/admin/plugins/reload    rescan the plugin folders (plugin_reloader.hpp)
#include "api/app.hpp"
#include "service/schema_compatibility.hpp"

namespace switchboard::api {
namespace {

// {count, ids: [{project, id, fields}], truncated, checked, unreadable}; null when the
// store could not be listed.
nlohmann::json CompatibilityView(const Result<SchemaCompatibility>& check) {
  if (!check.ok()) return nullptr;
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& c : check->connections) ids.push_back({{"project", c.project}, {"id", c.id}, {"fields", c.fields}});
  return {{"count", check->count},
          {"ids", std::move(ids)},
          {"truncated", check->truncated()},
          {"checked", check->checked},
          {"unreadable", check->unreadable}};
}

}  // namespace

// `compatibility`: for the added and updated providers, their stored connections checked
// against the new schema (schema_compatibility.hpp).
nlohmann::json ReloadReportView(const ReloadReport& report,
                                const std::map<std::string, Result<SchemaCompatibility>>& compatibility) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& outcome : report.outcomes) {
    nlohmann::json item = {{"file", outcome.file.filename().string()},
                           {"id", outcome.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(outcome.id)},
                           {"action", ReloadActionName(outcome.action)}};
    if (outcome.action == ReloadOutcome::Action::kRefused) {
      item["reason"] = CodeName(outcome.reason);
      // The loader's message starts with the library's path: the file name says enough.
      const std::string prefix = outcome.file.string() + ": ";
      item["message"] = outcome.message.rfind(prefix, 0) == 0 ? outcome.message.substr(prefix.size()) : outcome.message;
    }
    if (auto check = compatibility.find(outcome.id); check != compatibility.end() &&
        (outcome.action == ReloadOutcome::Action::kAdded || outcome.action == ReloadOutcome::Action::kUpdated)) {
      item["incompatible_connections"] = CompatibilityView(check->second);
    }
    items.push_back(std::move(item));
  }
  return {{"plugins", items}};
}

void RegisterAdminRoutes(Router& router, App& app) {
  // Loading a library runs it in a new runner: the plugin lane, like other plugin calls.
  router.Handle("POST", "/v1/admin/plugins/reload", Access::kServerAdmin, Lane::kPlugin, [&app](Call& call) {
    if (app.reloader == nullptr) return call.Fail(503, "reload_unavailable", "this host does not reload plugins");
    const ReloadReport report = app.reloader->Reload();
    call.Reply(200, ReloadReportView(report, app.host.CheckReloaded(report)));
  });
}

}  // namespace switchboard::api
