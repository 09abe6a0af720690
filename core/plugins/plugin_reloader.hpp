// Rescans the plugin folders while the host serves (POST /v1/admin/plugins/reload,
// `switchboard plugins reload`, SIGHUP):
//   - a new library, or one whose file changed (size, time, inode), loads in a new runner
//     through every stage of the loader before it is swapped into the registry; calls in
//     flight finish on the version they started on (they hold it), later calls go to the
//     new one;
//   - a new version the loader refuses leaves the old one serving, reported with its
//     refusal code;
//   - a library that is gone leaves its provider unavailable (unavailable_channel.hpp):
//     still listed, its connections untouched, every call plugin_unavailable.
// Install a new version by writing it beside the old and renaming it over (the runner of
// the old one keeps its own mapping; in-process, a library is never unloaded while the
// host runs, so reloads take new files only).
// THREADS: Reload is serialized; safe to call from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/plugin_host_options.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/provider_registry.hpp"

namespace switchboard {

struct ReloadOutcome {
  enum class Action { kAdded, kUpdated, kUnchanged, kRemoved, kRefused };
  Action action = Action::kUnchanged;
  std::string id;  // the provider's id; for a refusal, that of the version still serving (or "")
  std::filesystem::path file;
  Code reason = Code::kOk;  // a refusal's code (plugin_loader.hpp)
  std::string message;  // a refusal's message
};
const char* ReloadActionName(ReloadOutcome::Action action);

struct ReloadReport {
  std::vector<ReloadOutcome> outcomes;  // ordered by file
};

class PluginReloader {
 public:
  PluginReloader(std::vector<std::filesystem::path> directories, PluginHostOptions options,
                 ProviderRegistry& registry);

  // Takes note of what start-up loaded, so a reload changes only what changed since.
  void Remember(const LoadReport& initial);

  ReloadReport Reload();

 private:
  struct FileIdentity {
    uintmax_t size = 0;
    int64_t mtime_ns = 0;
    uint64_t inode = 0;
    bool operator==(const FileIdentity& other) const {
      return size == other.size && mtime_ns == other.mtime_ns && inode == other.inode;
    }
  };
  struct Loaded {
    FileIdentity identity;
    std::string id;
  };
  static FileIdentity IdentityOf(const std::filesystem::path& file);

  const std::vector<std::filesystem::path> directories_;
  const PluginHostOptions options_;
  ProviderRegistry& registry_;
  std::mutex mutex_;
  std::map<std::filesystem::path, Loaded> loaded_;  // by file; guarded by mutex_
};

}  // namespace switchboard
