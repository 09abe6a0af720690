// The JSON clients see for each stored object, in one place: services return domain
// types, routes render them with these. Secrets never appear in a view.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include <switchboard/probe.hpp>

#include "store/store.hpp"

namespace switchboard::api {

// A connection with its flow count: secrets shown only as {"set": true}.
nlohmann::json ConnectionView(const ConnectionRow& row);
// A probe verdict: {outcome, reason, message, field, retry_after_seconds, checked_at}
nlohmann::json ProbeJson(const ProbeResult& result, const std::string& checked_at);
// {id, name, created_at}
nlohmann::json ProjectView(const Project& project);
// {id, project, role, name, created_at}: never the token or its hash.
nlohmann::json TokenView(const TokenRecord& token);
// {id, kind, name, connections, integrations, created_at, updated_at}
nlohmann::json ComponentView(const ComponentRecord& component);
// [{kind, id, name}]: the components using a connection.
nlohmann::json ReferencesView(const std::vector<Reference>& references);

}  // namespace switchboard::api
