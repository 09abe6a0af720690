// Opens a plugin's shared library and registers its provider: the first four stages of
// loading (plugin_loader.hpp), the ones that run the plugin's own code in the process
// that opens it. The host runs them in-process; the plugin runner runs them in its own
// process.
//   open the library     -> "open_failed"
//   find the entry point  -> "not_a_plugin"
//   register              -> "registration_failed"
//   check the ABI version -> "abi_incompatible"
#pragma once

#include <filesystem>
#include <memory>

#include <switchboard/provider_abi.h>

#include "common/status.hpp"

namespace boost::dll {
class shared_library;
}

namespace switchboard {

// A registered provider and the library its code lives in. Destroying it calls the
// provider's destroy, then unloads the library.
class OpenedPlugin {
 public:
  OpenedPlugin(std::shared_ptr<boost::dll::shared_library> library, sb_provider_v1 table);
  ~OpenedPlugin();
  OpenedPlugin(const OpenedPlugin&) = delete;
  OpenedPlugin& operator=(const OpenedPlugin&) = delete;

  // Only the members the plugin's struct_size covers whole, and its ABI version has,
  // are set; the rest are null (absent): a 1.0 plugin has no authorize_step.
  const sb_provider_v1& table() const { return table_; }
  bool has_authorize_step() const { return table_.authorize_step != nullptr; }
  bool has_classify_response() const { return table_.classify_response != nullptr; }

  // Calls a function of the table and hands back what it wrote (released already). The
  // output is copied into `out` only when it is at most `max_output` bytes: a plugin that
  // writes 100 MB costs the caller no copy (and, under a memory limit, no failure).
  struct Output {
    sb_result_code code = SB_ERROR;
    size_t size = 0;  // what the plugin wrote
    bool too_large = false;
  };
  Output Describe(size_t max_output, std::string& out) const;
  Output Validate(const std::string& config, size_t max_output, std::string& out) const;
  Output ProbeStep(const std::string& input, size_t max_output, std::string& out) const;
  // ABI 1.1, optional: a plugin without the function is not called; the answer is
  // SB_ERROR with {"code": "provider_cannot_authorize"} (authorize_step) or
  // {"code": "function_absent"} (classify_response).
  Output AuthorizeStep(const std::string& input, size_t max_output, std::string& out) const;
  Output ClassifyResponse(const std::string& input, size_t max_output, std::string& out) const;

 private:
  // Declared first so it is destroyed last: the library must outlive the provider.
  std::shared_ptr<boost::dll::shared_library> library_;
  sb_provider_v1 table_;
};

// `host` must outlive the returned plugin. The Status code is the refusal reason.
Result<std::unique_ptr<OpenedPlugin>> OpenPluginLibrary(const std::filesystem::path& file, const sb_host_v1* host);

}  // namespace switchboard
