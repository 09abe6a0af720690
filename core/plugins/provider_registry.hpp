// The loaded providers by id. Filled at start-up and changed by a reload
// (plugin_reloader.hpp) while the host serves.
// THREADS: every method is safe to call concurrently. A provider handed out stays valid
// while its holder keeps it, so a call in flight finishes on the version it started on.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"

namespace switchboard {

class ProviderRegistry {
 public:
  // Fails with "duplicate_id" when a provider with that id is already registered.
  Status Add(std::shared_ptr<const LoadedProvider> provider);

  // Registers `provider`, in place of the one with its id if there is one.
  void Replace(std::shared_ptr<const LoadedProvider> provider);

  // The provider, or nullptr when none has that id.
  std::shared_ptr<const LoadedProvider> Find(const std::string& id) const;

  // All providers ordered by id.
  std::vector<std::shared_ptr<const LoadedProvider>> List() const;

  size_t size() const;

  // The host is stopping: every provider's channel shuts down (provider_channel.hpp).
  void ShutdownPlugins() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const LoadedProvider>> providers_;
};

}  // namespace switchboard
