// Drives one provider's probe the way the probe runner does (core/probe/probe_runner.cpp,
// which needs the whole API library, hence this twin of its ten-line loop): the first
// step without a response, then each fuzzed reply in turn as the answer to the request
// the plugin asked for, until the plugin gives its verdict, the replies run out, or the
// runner's step limit is reached.
//
// Invariants beyond "does not crash": every step is well-formed (a plugin error is a
// transient "plugin_error" to the user, so a reply must never cause one), and the
// verdict is one the host can store and schedule by.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/utf8.hpp"
#include "plugins/loaded_provider.hpp"
#include "support/fuzz_check.hpp"
#include "support/http_replies.hpp"

namespace switchboard::fuzz {

inline constexpr int kMaxProbeSteps = 8;  // probe::ProbeLimits::max_steps

inline void CheckVerdict(const LoadedProvider& provider, const ProbeResult& result) {
  FUZZ_CHECK(!result.reason.empty(), "a verdict has a reason");
  FUZZ_CHECK(!result.message.empty(), "a verdict has a message (" + result.reason + ")");
  if (result.retry_after_seconds) {
    FUZZ_CHECK(std::isfinite(*result.retry_after_seconds) && *result.retry_after_seconds >= 0,
               "retry_after_seconds is a finite, non-negative delay");
  }
  // A reply may rotate a stored credential, never add fields the schema does not have.
  const auto& properties = provider.field_schema()["properties"];
  for (auto it = result.config_update.begin(); it != result.config_update.end(); ++it) {
    FUZZ_CHECK(properties.contains(it.key()), "config_update names a schema field: " + it.key());
  }
  if (!result.field.empty()) {
    FUZZ_CHECK(properties.contains(result.field), "the verdict's field is a schema field: " + result.field);
  }
}

// What the runner hands a plugin for a reply (ResponseForPlugin in probe_runner.cpp):
// every string made valid UTF-8.
inline nlohmann::json ReplyForPlugin(const HttpResponse& reply) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : reply.headers) headers[ToValidUtf8(name)] = ToValidUtf8(value);
  return {{"status", reply.status}, {"headers", headers}, {"body", ToValidUtf8(reply.body)}};
}

inline int FuzzProbeReplies(const LoadedProvider& provider, const nlohmann::json& config,
                            const uint8_t* data, size_t size) {
  auto replies = ParseReplies(std::string_view(reinterpret_cast<const char*>(data), size));
  nlohmann::json state = nullptr;
  const HttpResponse* response = nullptr;
  for (int step = 0; step <= kMaxProbeSteps; ++step) {
    nlohmann::json input = {{"config", config}, {"state", state}, {"response", nullptr}};
    if (response != nullptr) input["response"] = ReplyForPlugin(*response);
    auto next = provider.ProbeStepWithPlugin(input);
    FUZZ_CHECK(next.ok(), "the plugin answers every reply with a step: " + next.status().message());
    if (next->finished()) {
      CheckVerdict(provider, *next->result());
      return 0;
    }
    FUZZ_CHECK(!next->request()->url.empty(), "a request has a URL");
    if (static_cast<size_t>(step) >= replies.size()) return 0;
    response = &replies[step];
    state = next->state();
  }
  return 0;
}

}  // namespace switchboard::fuzz
