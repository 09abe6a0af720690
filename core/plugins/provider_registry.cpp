#include "plugins/provider_registry.hpp"

namespace switchboard {

Status ProviderRegistry::Add(std::shared_ptr<const LoadedProvider> provider) {
  const std::string& id = provider->id();
  auto existing = providers_.find(id);
  if (existing != providers_.end()) {
    return Status::Error("duplicate_id", "provider id '" + id + "' is already loaded from " +
                                             existing->second->file().string());
  }
  providers_.emplace(id, std::move(provider));
  return Status::Ok();
}

std::shared_ptr<const LoadedProvider> ProviderRegistry::Find(const std::string& id) const {
  auto it = providers_.find(id);
  return it == providers_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const LoadedProvider>> ProviderRegistry::List() const {
  std::vector<std::shared_ptr<const LoadedProvider>> out;
  out.reserve(providers_.size());
  for (const auto& [id, provider] : providers_) out.push_back(provider);
  return out;
}

}  // namespace switchboard
