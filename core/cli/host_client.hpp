// What the commands that talk to a running host share: the token they send, and how
// they read its answers.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"

namespace switchboard::cli {

// --token, else SWITCHBOARD_TOKEN, else SWITCHBOARD_ADMIN_TOKEN, else the first line of
// <--data or ./data>/admin.token; "" when none.
std::string TokenFrom(const Arguments& args);

// The host's answer as JSON, or null when it is not JSON the CLI accepts.
nlohmann::json ParseAnswer(const std::string& body);

// "HTTP 403: <detail>", or why the host could not be reached.
std::string ProblemText(const httplib::Result& res);

}  // namespace switchboard::cli
