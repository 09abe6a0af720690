#include "service/host_service.hpp"

#include "store/store.hpp"

namespace switchboard {

StorageReport HostService::StorageHealth() const { return store_.Health(); }

HostService::PluginReload HostService::ReloadPlugins(const StopRequested& stop_requested) const {
  PluginReload reload;
  reload.report = reloader_->Reload();
  reload.compatibility = CheckReloadedProviders(reload.report, store_, connections_, stop_requested);
  return reload;
}

}  // namespace switchboard
