// Checks a connection config against its provider: the field schema's checks
// (schema/config_validator.hpp), then the plugin's own checks of the fields that passed
// them. Returns every problem at once, each tied to the field a form shows it beside.
//
// Codes: those of schema/config_validator.hpp, plus whatever codes the plugin defines.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/provider.hpp>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"

namespace switchboard {

// Schema problems, then the plugin's problems with the fields that passed the schema.
// Fails only when the plugin itself fails ("plugin_error").
Result<std::vector<FieldError>> ValidateConfig(const LoadedProvider& provider,
                                               const nlohmann::json& config);

}  // namespace switchboard
