#include "service/host_service.hpp"

#include "store/store.hpp"

namespace switchboard {

StorageReport HostService::StorageHealth() const { return store_.Health(); }

std::map<std::string, Result<SchemaCompatibility>> HostService::CheckReloaded(const ReloadReport& report,
                                                                              const StopRequested& stop_requested) const {
  return CheckReloadedProviders(report, store_, connections_, stop_requested);
}

HostService::PluginReload HostService::ReloadPlugins(const StopRequested& stop_requested) const {
  PluginReload reload;
  reload.report = reloader_->Reload();
  reload.compatibility = CheckReloaded(reload.report, stop_requested);
  return reload;
}

}  // namespace switchboard
