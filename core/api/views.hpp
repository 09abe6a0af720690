// The JSON clients see for each stored object, in one place: services return domain
// types, routes render them with these. Secrets never appear in a view.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "store/records.hpp"

namespace switchboard::api {

// {id, name, created_at}
nlohmann::json ProjectView(const Project& project);
// {id, project, role, name, created_at}: never the token or its hash.
nlohmann::json TokenView(const TokenRecord& token);
// {id, kind, name, connections, integrations, created_at, updated_at}
nlohmann::json ComponentView(const ComponentRecord& component);
// [{kind, id, name}]: the components using a connection.
nlohmann::json ReferencesView(const std::vector<Reference>& references);

}  // namespace switchboard::api
