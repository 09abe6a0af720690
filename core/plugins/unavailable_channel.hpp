// The channel of a provider whose library is gone (removed from its folder, then a
// reload): every call fails plugin_unavailable with the reason, and the provider reads
// as unavailable, while its manifest still shows its connections in lists and forms.
#pragma once

#include <string>

#include "plugins/provider_channel.hpp"

namespace switchboard {

class UnavailableChannel final : public ProviderChannel {
 public:
  UnavailableChannel(std::string reason, uint32_t abi_version) : reason_(std::move(reason)), abi_version_(abi_version) {}

  void Start(PluginMethod, std::string, CallOptions, Done done) override {
    done(Status::Error(Code::kPluginUnavailable, reason_));
  }
  uint32_t abi_version() const override { return abi_version_; }
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
};

}  // namespace switchboard
