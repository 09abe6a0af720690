#include "plugins/provider_registry.hpp"

#include <mutex>

namespace switchboard {

Status ProviderRegistry::Add(std::shared_ptr<const LoadedProvider> provider) {
  const std::string& id = provider->id();
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto existing = providers_.find(id);
  if (existing != providers_.end()) {
    return Status::Error(Code::kDuplicateId, "provider id '" + id + "' is already loaded from " +
                                             existing->second->file().string());
  }
  providers_.emplace(id, std::move(provider));
  return Status::Ok();
}

void ProviderRegistry::Replace(std::shared_ptr<const LoadedProvider> provider) {
  std::shared_ptr<const LoadedProvider> previous;  // released after the lock
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto& slot = providers_[provider->id()];
  previous = std::move(slot);
  slot = std::move(provider);
}

std::shared_ptr<const LoadedProvider> ProviderRegistry::Find(const std::string& id) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  auto it = providers_.find(id);
  return it == providers_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const LoadedProvider>> ProviderRegistry::List() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  std::vector<std::shared_ptr<const LoadedProvider>> out;
  out.reserve(providers_.size());
  for (const auto& [id, provider] : providers_) out.push_back(provider);
  return out;
}

void ProviderRegistry::ShutdownPlugins() const {
  for (const auto& provider : List()) provider->channel().Shutdown();
}

size_t ProviderRegistry::size() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return providers_.size();
}

}  // namespace switchboard
