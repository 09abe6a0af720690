#include "api/plugin_views.hpp"

#include <sstream>

namespace switchboard::api {

nlohmann::json AvailabilityView(const LoadedProvider& provider) {
  const PluginAvailability availability = provider.availability();
  nlohmann::json view = {{"state", AvailabilityStateName(availability.state)},
                         {"isolation", provider.isolated() ? "process" : "in-process"},
                         {"restarts", availability.restarts},
                         {"sandbox_denials", availability.sandbox_denials}};
  if (!availability.reason.empty()) view["reason"] = availability.reason;
  return view;
}

nlohmann::json PluginHealthView(const ProviderRegistry& providers) {
  size_t available = 0;
  nlohmann::json not_available = nlohmann::json::array();
  for (const auto& provider : providers.List()) {
    const PluginAvailability availability = provider->availability();
    if (availability.state == PluginAvailability::State::kAvailable) {
      ++available;
      continue;
    }
    not_available.push_back({{"id", provider->id()},
                             {"state", AvailabilityStateName(availability.state)},
                             {"reason", availability.reason}});
  }
  return {{"available", available}, {"not_available", not_available}};
}

std::string PluginMetrics(const ProviderRegistry& providers) {
  std::ostringstream up, restarts, denials;
  up << "# HELP switchboard_plugin_up Whether a provider's plugin answers (0 while it restarts or is unavailable).\n"
     << "# TYPE switchboard_plugin_up gauge\n";
  restarts << "# HELP switchboard_plugin_restarts_total Plugin runners started after the first.\n"
           << "# TYPE switchboard_plugin_restarts_total counter\n";
  denials << "# HELP switchboard_plugin_sandbox_denials_total System calls a plugin's sandbox refused.\n"
          << "# TYPE switchboard_plugin_sandbox_denials_total counter\n";
  for (const auto& provider : providers.List()) {
    // Provider ids are [a-z][a-z0-9_]*: nothing to escape in a label.
    const std::string label = "{provider=\"" + provider->id() + "\"}";
    const PluginAvailability availability = provider->availability();
    up << "switchboard_plugin_up" << label << " "
       << (availability.state == PluginAvailability::State::kAvailable ? 1 : 0) << "\n";
    restarts << "switchboard_plugin_restarts_total" << label << " " << availability.restarts << "\n";
    denials << "switchboard_plugin_sandbox_denials_total" << label << " " << availability.sandbox_denials << "\n";
  }
  return up.str() + restarts.str() + denials.str();
}

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

nlohmann::json ProviderSummaryView(const LoadedProvider& p) {
  const nlohmann::json& m = p.manifest();
  return {{"id", p.id()}, {"name", m["name"]}, {"version", m["version"]},
          {"description", m["description"]}, {"icon_url", "/v1/providers/" + p.id() + "/icon.svg"},
          {"icon_svg", m["icon_svg"]}, {"availability", AvailabilityView(p)}};
}

nlohmann::json ProviderDetailView(const LoadedProvider& p) {
  nlohmann::json view = ProviderSummaryView(p);
  view["schema"] = p.field_schema();
  view["secret_fields"] = p.secret_fields();
  return view;
}

}  // namespace switchboard::api
