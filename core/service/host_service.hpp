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
  // `reloader` null: this host does not rescan its plugin folders.
  HostService(Store& store, const ConnectionService& connections, PluginReloader* reloader = nullptr)
      : store_(store), connections_(connections), reloader_(reloader) {}

  // Whether writes currently fail and whether stored data failed a checksum.
  StorageReport StorageHealth() const;

  // What a rescan of the plugin folders did, and for each provider it added or updated,
  // the stored connections its new schema no longer fits.
  struct PluginReload {
    ReloadReport report;
    std::map<std::string, Result<SchemaCompatibility>> compatibility;
  };
  bool CanReloadPlugins() const { return reloader_ != nullptr; }
  // Rescans the plugin folders (plugin_reloader.hpp), then checks the stored connections
  // of each added or updated provider against its new schema (schema_compatibility.hpp;
  // `stop_requested` ends the check early). Only when CanReloadPlugins().
  PluginReload ReloadPlugins(const StopRequested& stop_requested = {}) const;

 private:
  Store& store_;
  const ConnectionService& connections_;
  PluginReloader* reloader_;
};

}  // namespace switchboard
