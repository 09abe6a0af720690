#include "plugins/plugin_reloader.hpp"

#include <sys/stat.h>

#include <set>

#include "common/log.hpp"
#include "plugins/unavailable_channel.hpp"

namespace switchboard {

namespace fs = std::filesystem;

const char* ReloadActionName(ReloadOutcome::Action action) {
  switch (action) {
    case ReloadOutcome::Action::kAdded: return "added";
    case ReloadOutcome::Action::kUpdated: return "updated";
    case ReloadOutcome::Action::kUnchanged: return "unchanged";
    case ReloadOutcome::Action::kRemoved: return "removed";
    case ReloadOutcome::Action::kRefused: return "refused";
  }
  return "unknown";
}

PluginReloader::PluginReloader(std::vector<fs::path> directories, PluginHostOptions options,
                               ProviderRegistry& registry)
    : directories_(std::move(directories)), options_(std::move(options)), registry_(registry) {}

PluginReloader::FileIdentity PluginReloader::IdentityOf(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return {};
  return {static_cast<uintmax_t>(info.st_size),
          static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
          static_cast<uint64_t>(info.st_ino)};
}

void PluginReloader::Remember(const LoadReport& initial) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& provider : initial.loaded) loaded_[provider->file()] = {IdentityOf(provider->file()), provider->id()};
}

ReloadReport PluginReloader::Reload() {
  std::lock_guard<std::mutex> lock(mutex_);
  ReloadReport report;
  const std::vector<fs::path> files = PluginFiles(directories_);
  const std::set<fs::path> present(files.begin(), files.end());

  for (const auto& file : files) {
    ReloadOutcome outcome;
    outcome.file = file;
    const FileIdentity identity = IdentityOf(file);
    auto known = loaded_.find(file);
    if (known != loaded_.end() && known->second.identity == identity) {
      outcome.id = known->second.id;
      report.outcomes.push_back(std::move(outcome));
      continue;
    }
    auto loaded = LoadPlugin(file, options_);
    Status refusal = loaded.ok() ? Status::Ok() : loaded.status();
    if (loaded.ok()) {
      // Another library that is still here already serves this id.
      auto current = registry_.Find((*loaded)->id());
      if (current && current->file() != file && present.count(current->file()) && loaded_.count(current->file())) {
        refusal = Status::Error(Code::kDuplicateId, file.string() + ": provider id '" + (*loaded)->id() +
                                                    "' is already loaded from " + current->file().string());
      }
    }
    if (!refusal.ok()) {
      outcome.action = ReloadOutcome::Action::kRefused;
      outcome.reason = refusal.code();
      outcome.message = refusal.message();
      if (known != loaded_.end()) outcome.id = known->second.id;  // still serving
      log::Warn("reload: refused plugin " + refusal.message() + " [" + refusal.code_name() + "]");
      report.outcomes.push_back(std::move(outcome));
      continue;
    }
    outcome.id = (*loaded)->id();
    outcome.action = known != loaded_.end() ? ReloadOutcome::Action::kUpdated : ReloadOutcome::Action::kAdded;
    registry_.Replace(*loaded);
    log::Info("reload: provider " + outcome.id + " " + ReloadActionName(outcome.action) + " from " + file.string());
    loaded_[file] = {identity, outcome.id};
    report.outcomes.push_back(std::move(outcome));
  }

  for (auto it = loaded_.begin(); it != loaded_.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    ReloadOutcome outcome;
    outcome.action = ReloadOutcome::Action::kRemoved;
    outcome.file = it->first;
    outcome.id = it->second.id;
    auto current = registry_.Find(outcome.id);
    if (current && current->file() == it->first) {
      const std::string reason = "its library " + it->first.string() + " was removed";
      registry_.Replace(current->WithChannel(std::make_shared<UnavailableChannel>(reason, current->abi_version(), current->channel().methods())));
      log::Warn("reload: provider " + outcome.id + " is unavailable: " + reason);
    }
    report.outcomes.push_back(std::move(outcome));
    it = loaded_.erase(it);
  }
  return report;
}

}  // namespace switchboard
