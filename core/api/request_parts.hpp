// The parts of a request many routes read alike: ?limit=, ?cursor= and a body's members.
// The Parse functions reply with a problem and return false on a bad value.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/router.hpp"
#include "common/json_members.hpp"

namespace switchboard::api {

// ?limit= from 1 to 200; `limit` keeps its value when the parameter is absent.
bool ParseLimit(Call& call, size_t& limit);

// ?cursor= decoded into the position after which the page starts; "" when absent.
bool ParseCursor(Call& call, std::string& after);

// Every member of a body not in an allowed list is an unknown_field error.
using switchboard::CheckKnownMembers;

}  // namespace switchboard::api
