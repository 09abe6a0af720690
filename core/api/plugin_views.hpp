// How the API shows whether providers' plugins are answering (provider_channel.hpp's
// PluginAvailability): in GET /v1/providers, /healthz and /metrics.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "plugins/loaded_provider.hpp"
#include "plugins/provider_registry.hpp"

namespace switchboard::api {

// {"state", "reason"?, "isolation", "restarts", "sandbox_denials"}
nlohmann::json AvailabilityView(const LoadedProvider& provider);

// {"available": n, "not_available": [{"id", "state", "reason"}]}
nlohmann::json PluginHealthView(const ProviderRegistry& providers);

// switchboard_plugin_up, switchboard_plugin_restarts_total and
// switchboard_plugin_sandbox_denials_total, per provider, in the Prometheus text format.
std::string PluginMetrics(const ProviderRegistry& providers);

}  // namespace switchboard::api
