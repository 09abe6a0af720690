// Loads provider plugins in stages, one reason per refusal (the first four run the
// plugin's code: in a runner process of its own unless options say in-process):
//   open the library        -> "open_failed"        (missing file, not a shared library)
//   find the entry point     -> "not_a_plugin"       (no sb_provider_entry export)
//   register                 -> "registration_failed" (returned null, threw, bad table)
//   check the ABI version    -> "abi_incompatible"   (other major, or newer minor)
//   read the manifest        -> "invalid_manifest"   (describe failed, bad id/name/icon)
//   check the field schema   -> "schema_invalid"     (against schemas/provider-field-schema.json)
//   add to the registry      -> "duplicate_id"       (another library has that provider id)
// Isolated, a library that crashes while it loads is refused "plugin_crashed", one that
// does not finish loading "plugin_timeout", and no runner to start "runner_unavailable".
// A refusal never stops the host: the rest load and the report says what was refused.
// Called on the start-up thread only.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"
#include "plugins/plugin_host_options.hpp"
#include "plugins/provider_registry.hpp"

namespace switchboard {

struct PluginRefusal {
  std::filesystem::path file;
  Code reason;          // one of the codes above
  std::string message;  // names the file and what is wrong
};

struct LoadReport {
  std::vector<std::shared_ptr<const LoadedProvider>> loaded;
  std::vector<PluginRefusal> refused;
};

// Loads one library through every stage except the registry. The Status code is the
// refusal reason.
Result<std::shared_ptr<const LoadedProvider>> LoadPlugin(const std::filesystem::path& file,
                                                        const PluginHostOptions& options = {});

// The *.so files of each directory in turn, each directory's sorted by name (not
// recursive); a directory that does not exist is skipped.
std::vector<std::filesystem::path> PluginFiles(const std::vector<std::filesystem::path>& directories);

// Loads every *.so in each directory (sorted by name, not recursive) into `registry`.
// A directory that does not exist is skipped silently: the defaults may not all exist.
LoadReport LoadPluginDirectories(const std::vector<std::filesystem::path>& directories,
                                 ProviderRegistry& registry, const PluginHostOptions& options = {});

// The directories searched when none is configured: <exe>/../lib/switchboard/plugins and
// <exe>/plugins, then each entry of SWITCHBOARD_PLUGINS (colon-separated).
std::vector<std::filesystem::path> DefaultPluginDirectories();

}  // namespace switchboard
