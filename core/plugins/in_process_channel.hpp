// The plugin's library loaded into the host's own process: calls are plain function
// calls on the caller's thread, deadlines are not enforced, and a crash in the plugin is
// a crash of the host. For debugging a plugin (--plugin-isolation in-process) and for
// measuring what isolation costs.
#pragma once

#include <filesystem>
#include <memory>

#include "plugins/plugin_library.hpp"
#include "plugins/provider_channel.hpp"

namespace switchboard {

class InProcessChannel final : public ProviderChannel {
 public:
  // Opens `file` (plugin_library.hpp's stages); the Status code is the refusal reason.
  static Result<std::shared_ptr<InProcessChannel>> Open(const std::filesystem::path& file);

  explicit InProcessChannel(std::unique_ptr<OpenedPlugin> plugin);

  void Start(PluginMethod method, std::string input, CallOptions options, Done done) override;
  uint32_t abi_version() const override { return plugin_->table().abi_version; }
  PluginMethods methods() const override;
  PluginAvailability availability() const override { return {}; }
  bool in_process() const override { return true; }

 private:
  std::unique_ptr<OpenedPlugin> plugin_;
};

// The host's table for plugins in its own process: their log lines go to the host log.
const sb_host_v1* InProcessHostTable();

}  // namespace switchboard
