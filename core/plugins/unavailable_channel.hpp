// The channel of a provider whose library is gone (removed from its folder, then a
// reload): every call fails plugin_unavailable with the reason, and the provider reads
// as unavailable, while its manifest still shows its connections in lists and forms.
#pragma once

#include <string>

#include "plugins/provider_channel.hpp"

namespace switchboard {

class UnavailableChannel final : public ProviderChannel {
 public:
  // `abi_version` and `methods` are those of the plugin that was there: a call it could
  // answer fails plugin_unavailable, like the others, rather than as absent.
  UnavailableChannel(std::string reason, uint32_t abi_version, PluginMethods methods = PluginMethods::Required())
      : reason_(std::move(reason)), abi_version_(abi_version), methods_(methods) {}

  void Start(PluginMethod, std::string, CallOptions, Done done) override {
    done(Status::Error(Code::kPluginUnavailable, reason_));
  }
  uint32_t abi_version() const override { return abi_version_; }
  PluginMethods methods() const override { return methods_; }
  PluginAvailability availability() const override {
    PluginAvailability availability;
    availability.state = PluginAvailability::State::kUnavailable;
    availability.reason = reason_;
    return availability;
  }
  bool in_process() const override { return false; }

 private:
  const std::string reason_;
  const uint32_t abi_version_;
  const PluginMethods methods_;
};

}  // namespace switchboard
