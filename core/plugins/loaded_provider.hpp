// A provider plugin that passed every loading stage, ready to use: its manifest, its
// compiled field schema, and the channel its calls go through (in the host's process or
// in a runner of its own, provider_channel.hpp), each under its deadline.
// THREADS: every method may be called concurrently; the plugin contract requires its
// functions to be reentrant.
#pragma once

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/authorize.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/provider_abi.h>

#include "common/status.hpp"
#include "common/bounded_json.hpp"
#include "plugins/plugin_host_options.hpp"
#include "plugins/provider_channel.hpp"
#include "schema/compiled_field_schema.hpp"

namespace switchboard {

class LoadedProvider : public std::enable_shared_from_this<LoadedProvider> {
 public:
  LoadedProvider(std::shared_ptr<ProviderChannel> channel, const PluginHostOptions& options,
                 std::filesystem::path file, nlohmann::json manifest,
                 std::shared_ptr<const CompiledFieldSchema> schema);
  LoadedProvider(const LoadedProvider&) = delete;
  LoadedProvider& operator=(const LoadedProvider&) = delete;

  // The same provider (manifest, schema, file) answering through `channel`: what a
  // reload leaves of a provider whose library was removed.
  std::shared_ptr<const LoadedProvider> WithChannel(std::shared_ptr<ProviderChannel> channel) const;

  const std::string& id() const { return id_; }
  const std::filesystem::path& file() const { return file_; }
  uint32_t abi_version() const { return channel_->abi_version(); }
  PluginAvailability availability() const { return channel_->availability(); }
  bool isolated() const { return !channel_->in_process(); }
  ProviderChannel& channel() const { return *channel_; }
  // {id, name, version, description, icon_svg, schema}
  const nlohmann::json& manifest() const { return manifest_; }
  const nlohmann::json& field_schema() const { return manifest_["schema"]; }
  const CompiledFieldSchema& compiled_schema() const { return *schema_; }

  // Names of the fields the schema marks writeOnly (secrets).
  const std::vector<std::string>& secret_fields() const { return secret_fields_; }
  bool IsSecret(const std::string& field) const {
    return std::find(secret_fields_.begin(), secret_fields_.end(), field) != secret_fields_.end();
  }

  // Names of the fields marked x-credential-destination: they decide where the secrets
  // are sent, so a secret is bound to the values they had when it was entered.
  const std::vector<std::string>& destination_fields() const { return destination_fields_; }
  bool IsDestination(const std::string& field) const {
    return std::find(destination_fields_.begin(), destination_fields_.end(), field) != destination_fields_.end();
  }

  // The plugin's own checks (after the schema), under the validate deadline. Fails with
  // "plugin_error" when the plugin returns an error, "plugin_output_invalid" when its
  // output is malformed or exceeds plugin_limits.hpp, "plugin_unavailable" when it
  // crashed, overran its deadline or is not running.
  Result<std::vector<FieldError>> ValidateWithPlugin(const nlohmann::json& config) const;

  // One probe step; see sb_provider_v1.probe_step. Fails like ValidateWithPlugin, and
  // with "plugin_output_invalid" when the request it asks for exceeds plugin_limits.hpp;
  // a crash is "plugin_crashed", an overrun "plugin_timeout".
  Result<ProbeStep> ProbeStepWithPlugin(const nlohmann::json& input) const;
  // The same, answered through `done` (on the channel's thread, or this one in-process);
  // `redact_log` filters what the plugin logs during the step.
  using StepDone = std::function<void(Result<ProbeStep>)>;
  void StartProbeStep(const nlohmann::json& input, std::function<std::string(std::string_view)> redact_log,
                      StepDone done) const;

  // Whether the plugin was built for ABI 1.1 or later: only such a plugin can say how its
  // credentials are applied (authorize_step, classify_response).
  bool CanAuthorize() const;

  // One authorize step; see sb_provider_v1.authorize_step. Input {config, state,
  // response} as for a probe step. A grant has passed CheckAuthorization
  // (plugins/authorization_check.hpp); a request the plugin asks for, the probe limits.
  // Fails like StartProbeStep, and with provider_cannot_authorize (naming the ABI the
  // plugin was built for) when it predates 1.1 or says it cannot.
  using AuthorizeDone = std::function<void(Result<AuthorizeStep>)>;
  void StartAuthorizeStep(const nlohmann::json& input, std::function<std::string(std::string_view)> redact_log,
                          AuthorizeDone done) const;

  // Reads a provider's error answer to a proxied request; see
  // sb_provider_v1.classify_response. Input {config, request, response}. A plugin built
  // for ABI 1.0 is answered by ClassifyByStatus without a call. The classification's
  // reason and message have the config's secrets redacted.
  using ClassifyDone = std::function<void(Result<Classification>)>;
  void StartClassifyResponse(const nlohmann::json& input, ClassifyDone done) const;

 private:
  // The plugin's output parsed under `limits`, or the failure in the host's words.
  Result<nlohmann::json> Parse(PluginMethod method, Result<PluginOutput> output, const JsonLimits& limits) const;
  Result<ProbeStep> ToProbeStep(Result<PluginOutput> output) const;
  using Redact = std::function<std::string(std::string_view)>;
  // The authorize_step or classify_response output checked, every text the host passes on
  // (its error messages included) put through `redact`.
  Result<AuthorizeStep> ToAuthorizeStep(Result<PluginOutput> output, const Redact& redact) const;
  Result<Classification> ToClassification(Result<PluginOutput> output, const Redact& redact) const;
  // provider_cannot_authorize, naming the ABI the plugin was built for; `detail` (the
  // plugin's own words, redacted) after it when there is one.
  Status CannotAuthorize(const std::string& detail) const;

  std::shared_ptr<ProviderChannel> channel_;
  std::chrono::milliseconds validate_timeout_;
  std::chrono::milliseconds probe_timeout_;
  std::filesystem::path file_;
  nlohmann::json manifest_;
  std::string id_;
  std::shared_ptr<const CompiledFieldSchema> schema_;
  std::vector<std::string> secret_fields_;
  std::vector<std::string> destination_fields_;
};

}  // namespace switchboard
