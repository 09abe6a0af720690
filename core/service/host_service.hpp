// What the host's own endpoints need of the storage (/healthz, a plugin reload), so the
// API reaches it through a service and never holds the store.
// THREADS: safe for concurrent use.
#pragma once

#include <map>
#include <string>

#include "plugins/plugin_reloader.hpp"
#include "service/connection_service.hpp"
#include "service/schema_compatibility.hpp"
#include "model/records.hpp"
#include "model/storage_report.hpp"

namespace switchboard {

class Store;  // store/store.hpp: the service's .cpp files use it, its clients never do

class HostService {
 public:
  HostService(Store& store, const ConnectionService& connections) : store_(store), connections_(connections) {}

  // Whether writes currently fail and whether stored data failed a checksum.
  StorageReport StorageHealth() const;

  // The stored connections each provider `report` added or updated no longer fit
  // (schema_compatibility.hpp).
  std::map<std::string, Result<SchemaCompatibility>> CheckReloaded(const ReloadReport& report,
                                                                   const StopRequested& stop_requested = {}) const;

 private:
  Store& store_;
  const ConnectionService& connections_;
};

}  // namespace switchboard
