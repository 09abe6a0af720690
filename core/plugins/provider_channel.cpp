#include "plugins/provider_channel.hpp"

#include <future>

namespace switchboard {

const char* PluginMethodName(PluginMethod method) {
  switch (method) {
    case PluginMethod::kDescribe: return "describe";
    case PluginMethod::kValidate: return "validate";
    case PluginMethod::kProbeStep: return "probe_step";
  }
  return "unknown";
}

const char* AvailabilityStateName(PluginAvailability::State state) {
  switch (state) {
    case PluginAvailability::State::kAvailable: return "available";
    case PluginAvailability::State::kRestarting: return "restarting";
    case PluginAvailability::State::kUnavailable: return "unavailable";
  }
  return "unknown";
}

Result<PluginOutput> ProviderChannel::Call(PluginMethod method, std::string input, CallOptions options) {
  auto answer = std::make_shared<std::promise<Result<PluginOutput>>>();
  auto future = answer->get_future();
  Start(method, std::move(input), std::move(options),
        [answer](Result<PluginOutput> result) { answer->set_value(std::move(result)); });
  return future.get();
}

}  // namespace switchboard
