// The loaded providers by id. Filled on the start-up thread before the server starts,
// then only read: reads from many threads at once are safe after that point.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"

namespace switchboard {

class ProviderRegistry {
 public:
  // Fails with "duplicate_id" when a provider with that id is already registered.
  Status Add(std::shared_ptr<const LoadedProvider> provider);

  // The provider, or nullptr when none has that id.
  std::shared_ptr<const LoadedProvider> Find(const std::string& id) const;

  // All providers ordered by id.
  std::vector<std::shared_ptr<const LoadedProvider>> List() const;

  size_t size() const { return providers_.size(); }

 private:
  std::map<std::string, std::shared_ptr<const LoadedProvider>> providers_;
};

}  // namespace switchboard
