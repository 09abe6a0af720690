// Decides whether a provider's field schema is one Switchboard can render and enforce:
// it must conform to the meta-schema (schemas/provider-field-schema.json) and to the
// rules a meta-schema cannot state (x-order lists every field once, required names
// exist, defaults fit their field, patterns compile...).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchboard {

// Every problem with `schema`, each as "path: what is wrong"; empty when it is usable.
std::vector<std::string> CheckFieldSchema(const nlohmann::json& schema);

}  // namespace switchboard
