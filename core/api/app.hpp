// Everything the HTTP routes use, wired once at start-up.
#pragma once

#include "api/metrics.hpp"
#include "api/router.hpp"
#include "plugins/provider_registry.hpp"
#include "probe/connection_use.hpp"
#include "probe/probe_jobs.hpp"
#include "probe/probe_service.hpp"
#include "service/component_service.hpp"
#include "service/connection_service.hpp"
#include "service/host_service.hpp"
#include "service/project_service.hpp"

namespace switchboard::api {

// Routes reach stored data only through the services: never the store itself.
struct App {
  const ProviderRegistry& providers;
  ProjectService& projects;
  ConnectionService& connections;
  ComponentService& components;
  HostService& host;
  Metrics& metrics;
  probe::ProbeService& probes;
  probe::ProbeJobs& jobs;
  probe::ConnectionUse& use;
};

void RegisterHealthRoutes(Router& router, App& app);
void RegisterProjectRoutes(Router& router, App& app);
void RegisterProviderRoutes(Router& router, App& app);
void RegisterConnectionRoutes(Router& router, App& app);
void RegisterConnectionUseRoutes(Router& router, App& app);
void RegisterComponentRoutes(Router& router, App& app);
void RegisterProbeRoutes(Router& router, App& app);
void RegisterAdminRoutes(Router& router, App& app);

}  // namespace switchboard::api
