// The built-in provider plugins of the fuzz build, loaded by the host's own loader (so
// every harness sees them exactly as the host does: manifest checked, schema compiled).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "plugins/loaded_provider.hpp"
#include "plugins/plugin_loader.hpp"
#include "support/fuzz_check.hpp"

namespace switchboard::fuzz {

inline const std::vector<std::string>& BuiltinProviderNames() {
  static const std::vector<std::string> names = {"openai", "google_calendar", "trello", "outlook"};
  return names;
}

// Aborts when the plugin does not load: a harness without its plugin tests nothing.
inline std::shared_ptr<const LoadedProvider> LoadBuiltinProvider(const std::string& name) {
  // In-process: the fuzzer sees the plugin's coverage and crashes in its own process.
  PluginHostOptions options;
  options.isolation = PluginIsolation::kInProcess;
  auto loaded = LoadPlugin(std::filesystem::path(SWITCHBOARD_PLUGIN_DIR) / (name + ".so"), options);
  FUZZ_CHECK(loaded.ok(), "built-in plugin loads: " + loaded.status().ToString());
  // Plugins' warnings (one per odd reply) would cost more than the run itself.
  log::SetLevel(log::Level::kError);
  return *loaded;
}

inline std::vector<std::shared_ptr<const LoadedProvider>> LoadBuiltinProviders() {
  std::vector<std::shared_ptr<const LoadedProvider>> providers;
  for (const auto& name : BuiltinProviderNames()) providers.push_back(LoadBuiltinProvider(name));
  return providers;
}

}  // namespace switchboard::fuzz
