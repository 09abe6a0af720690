#include "plugins/config_validation.hpp"

#include <set>
#include <utility>

#include "schema/config_limits.hpp"
#include "schema/config_validator.hpp"

namespace switchboard {

using nlohmann::json;

Result<std::vector<FieldError>> ValidateConfig(const LoadedProvider& provider, const json& config) {
  std::vector<FieldError> errors = CheckAgainstFieldSchema(provider.compiled_schema(), config);
  // A config refused as a whole never reaches the plugin: one over the field limit could
  // be of any size, and the plugin would parse all of it.
  if (!config.is_object() || config.size() > kMaxConfigFields) return errors;

  // The plugin sees only fields that passed the schema, so its checks never trip over a
  // wrong type; a field already flagged is not flagged twice.
  std::set<std::string> flagged;
  for (const auto& e : errors) flagged.insert(e.field);
  json clean = json::object();
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (!flagged.count(it.key())) clean[it.key()] = it.value();
  }
  auto own = provider.ValidateWithPlugin(clean);
  if (!own.ok()) return own.status();
  for (auto& e : *own) {
    if (!flagged.count(e.field)) errors.push_back(std::move(e));
  }
  return errors;
}

}  // namespace switchboard
