#include "plugins/provider_channel.hpp"

#include <future>

namespace switchboard {

const char* PluginMethodName(PluginMethod method) {
  switch (method) {
    case PluginMethod::kDescribe: return "describe";
    case PluginMethod::kValidate: return "validate";
    case PluginMethod::kProbeStep: return "probe_step";
    case PluginMethod::kAuthorizeStep: return "authorize_step";
    case PluginMethod::kClassifyResponse: return "classify_response";
  }
  return "unknown";
}

std::optional<PluginMethod> PluginMethodNamed(std::string_view name) {
  for (auto method : {PluginMethod::kDescribe, PluginMethod::kValidate, PluginMethod::kProbeStep,
                      PluginMethod::kAuthorizeStep, PluginMethod::kClassifyResponse}) {
    if (name == PluginMethodName(method)) return method;
  }
  return std::nullopt;
}

PluginMethods PluginMethods::Required() {
  PluginMethods methods;
  methods.Add(PluginMethod::kDescribe);
  methods.Add(PluginMethod::kValidate);
  methods.Add(PluginMethod::kProbeStep);
  return methods;
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
