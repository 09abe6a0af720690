// A provider plugin that passed every loading stage, ready to use.
//
// It owns the plugin's library: the library stays loaded as long as this object (or a
// shared_ptr to it) lives, and the provider is destroyed before the library is unloaded.
// THREADS: every method may be called concurrently; the plugin contract requires its
// functions to be reentrant.
#pragma once

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/provider_abi.h>

#include "common/status.hpp"
#include "common/bounded_json.hpp"
#include "schema/compiled_field_schema.hpp"

namespace boost::dll {
class shared_library;
}

namespace switchboard {

class LoadedProvider {
 public:
  LoadedProvider(std::shared_ptr<boost::dll::shared_library> library, sb_provider_v1 table,
                 std::filesystem::path file, nlohmann::json manifest,
                 std::shared_ptr<const CompiledFieldSchema> schema);
  ~LoadedProvider();
  LoadedProvider(const LoadedProvider&) = delete;
  LoadedProvider& operator=(const LoadedProvider&) = delete;

  const std::string& id() const { return id_; }
  const std::filesystem::path& file() const { return file_; }
  uint32_t abi_version() const { return table_.abi_version; }
  // {id, name, version, description, icon_svg, schema}
  const nlohmann::json& manifest() const { return manifest_; }
  const nlohmann::json& field_schema() const { return manifest_["schema"]; }
  const CompiledFieldSchema& compiled_schema() const { return *schema_; }

  // Names of the fields the schema marks writeOnly (secrets).
  const std::vector<std::string>& secret_fields() const { return secret_fields_; }
  bool IsSecret(const std::string& field) const {
    return std::find(secret_fields_.begin(), secret_fields_.end(), field) != secret_fields_.end();
  }

  // The plugin's own checks (after the schema). Fails with "plugin_error" when the plugin
  // returns an error, "plugin_output_invalid" when its output is malformed or exceeds
  // plugin_limits.hpp.
  Result<std::vector<FieldError>> ValidateWithPlugin(const nlohmann::json& config) const;

  // One probe step; see sb_provider_v1.probe_step. Fails like ValidateWithPlugin, and
  // with "plugin_output_invalid" when the request it asks for exceeds plugin_limits.hpp.
  Result<ProbeStep> ProbeStepWithPlugin(const nlohmann::json& input) const;

 private:
  // Takes back `out` and parses it under `limits`.
  Result<nlohmann::json> Call(const char* function, sb_result_code code, sb_buffer& out,
                              const JsonLimits& limits) const;

  // Declared first so it is destroyed last: the library must outlive the provider.
  std::shared_ptr<boost::dll::shared_library> library_;
  sb_provider_v1 table_;
  std::filesystem::path file_;
  nlohmann::json manifest_;
  std::string id_;
  std::shared_ptr<const CompiledFieldSchema> schema_;
  std::vector<std::string> secret_fields_;
};

}  // namespace switchboard
