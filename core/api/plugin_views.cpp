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

}  // namespace switchboard::api
