// How the API shows plugins: whether providers' plugins are answering (provider_channel.hpp's
// PluginAvailability) in GET /v1/providers, /healthz and /metrics, and what a reload did.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "plugins/loaded_provider.hpp"
#include "plugins/plugin_reloader.hpp"
#include "plugins/provider_registry.hpp"
#include "service/schema_compatibility.hpp"

namespace switchboard::api {

// {id, name, version, description, icon_url, icon_svg, availability}: GET /v1/providers.
nlohmann::json ProviderSummaryView(const LoadedProvider& provider);
// The summary plus {schema, secret_fields}: GET /v1/providers/{id}.
nlohmann::json ProviderDetailView(const LoadedProvider& provider);

// {"state", "reason"?, "isolation", "restarts", "sandbox_denials"}
nlohmann::json AvailabilityView(const LoadedProvider& provider);

// {"available": n, "not_available": [{"id", "state", "reason"}]}
nlohmann::json PluginHealthView(const ProviderRegistry& providers);

// switchboard_plugin_up, switchboard_plugin_restarts_total and
// switchboard_plugin_sandbox_denials_total, per provider, in the Prometheus text format.
std::string PluginMetrics(const ProviderRegistry& providers);

// {count, ids: [{project, id, fields}], truncated, checked, unreadable}; null when the
// store could not be listed.
nlohmann::json CompatibilityView(const Result<SchemaCompatibility>& check);

// {plugins: [{file, id, action, reason?, message?, incompatible_connections?}]}, where
// `compatibility` holds, for the added and updated providers, their stored connections
// checked against the new schema (schema_compatibility.hpp).
nlohmann::json ReloadReportView(const ReloadReport& report,
                                const std::map<std::string, Result<SchemaCompatibility>>& compatibility);

}  // namespace switchboard::api
