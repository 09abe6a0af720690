// Everything the HTTP routes use, wired once at start-up.
#pragma once

#include "api/metrics.hpp"
#include "api/router.hpp"
#include "plugins/plugin_reloader.hpp"
#include "plugins/provider_registry.hpp"
#include "probe/probe_jobs.hpp"
#include "probe/probe_service.hpp"
#include "service/connection_service.hpp"
#include "store/store.hpp"

namespace switchboard::api {

struct App {
  Store& store;
  const ProviderRegistry& providers;
  ConnectionService& connections;
  Metrics& metrics;
  probe::ProbeService& probes;
  probe::ProbeJobs& jobs;
  PluginReloader* reloader = nullptr;  // null: the plugin folders are not rescanned
};

void RegisterHealthRoutes(Router& router, App& app);
void RegisterProjectRoutes(Router& router, App& app);
void RegisterProviderRoutes(Router& router, App& app);
void RegisterConnectionRoutes(Router& router, App& app);
void RegisterComponentRoutes(Router& router, App& app);
void RegisterProbeRoutes(Router& router, App& app);
void RegisterAdminRoutes(Router& router, App& app);

}  // namespace switchboard::api
