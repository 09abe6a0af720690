// The JSON clients see for a probe verdict.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>

namespace switchboard::api {

// {outcome, reason, message, field, retry_after_seconds, checked_at}
nlohmann::json ProbeJson(const ProbeResult& result, const std::string& checked_at);

}  // namespace switchboard::api
