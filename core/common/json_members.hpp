// The members a request body may have: every other member is an error, so a typo is
// never silently ignored. Shared by the API's parsers and the services that read bodies.
#pragma once

#include <initializer_list>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace switchboard {

// Appends an unknown_field error for every member of `body` not in `allowed`.
inline void CheckKnownMembers(const nlohmann::json& body, std::initializer_list<const char*> allowed,
                              std::vector<FieldError>& errors) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (const char* name : allowed) known |= it.key() == name;
    if (!known) errors.push_back({it.key(), "unknown_field", "'" + it.key() + "' is not accepted here."});
  }
}

}  // namespace switchboard
