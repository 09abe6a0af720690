// Plugin manifests (the describe output) through the host's loader, stages "read the
// manifest" and "check the field schema" (plugins/plugin_loader.hpp): a fixture plugin
// (manifest_plugin.cpp) describes itself with the fuzzer's bytes.
//
// Invariants: a refusal is one of the loader's reasons for a manifest; an accepted
// provider has an id and a usable schema (an empty config validates without failing).
#include <dlfcn.h>

#include <nlohmann/json.hpp>

#include "plugins/plugin_loader.hpp"
#include "plugins/config_validation.hpp"
#include "support/fuzz_check.hpp"

using switchboard::Code;

namespace {

using SetManifest = void (*)(const char*, size_t);

// Held open for the whole run, so each LoadPlugin only takes another reference to the
// same loaded library (and sees the manifest set through this handle).
SetManifest OpenManifestPlugin() {
  void* handle = dlopen(SWITCHBOARD_MANIFEST_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  FUZZ_CHECK(handle != nullptr, std::string("manifest plugin loads: ") + dlerror());
  auto set = reinterpret_cast<SetManifest>(dlsym(handle, "sb_fuzz_set_manifest"));
  FUZZ_CHECK(set != nullptr, "manifest plugin exports sb_fuzz_set_manifest");
  return set;
}

SetManifest set_manifest = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  set_manifest = OpenManifestPlugin();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  set_manifest(reinterpret_cast<const char*>(data), size);
  switchboard::PluginHostOptions in_process;
  in_process.isolation = switchboard::PluginIsolation::kInProcess;
  auto loaded = switchboard::LoadPlugin(SWITCHBOARD_MANIFEST_PLUGIN, in_process);
  if (!loaded.ok()) {
    const switchboard::Code code = loaded.status().code();
    FUZZ_CHECK(code == switchboard::Code::kInvalidManifest || code == switchboard::Code::kSchemaInvalid,
               "a manifest is refused as a manifest: " + loaded.status().ToString());
    return 0;
  }
  const auto& provider = **loaded;
  FUZZ_CHECK(!provider.id().empty(), "an accepted provider has an id");
  auto errors = switchboard::ValidateConfig(provider, nlohmann::json::object());
  FUZZ_CHECK(errors.ok(), "an accepted schema validates a config: " + errors.status().ToString());
  return 0;
}
