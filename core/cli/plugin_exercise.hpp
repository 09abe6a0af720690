// What `plugins check` does with a library that loads: calls each of its functions once,
// in the way the host will (through the same channel, under the same deadlines), so a
// plugin that crashes, hangs or answers nonsense there is reported with its reason
// instead of "ok".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugins/loaded_provider.hpp"

namespace switchboard::cli {

struct ExerciseStep {
  std::string name;    // "validate {}", "validate sample", "probe step", "probe reply"
  bool ok = false;
  std::string detail;  // what it answered, or why it failed (with its code)
};

// A config built from the schema: each field's default, else its first example, else
// its placeholder, else a value of its type.
nlohmann::json SampleConfig(const nlohmann::json& field_schema);

// Validate with {} and with the sample config, then the first probe step, then the step
// after a canned reply (200, "{}"). Nothing leaves this machine: the plugin only asks
// for requests, and none is made.
std::vector<ExerciseStep> ExercisePlugin(const LoadedProvider& provider);

}  // namespace switchboard::cli
