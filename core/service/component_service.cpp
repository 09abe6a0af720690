#include "service/component_service.hpp"

#include <algorithm>

#include <set>

#include "common/json_members.hpp"
#include "store/store.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// How often a put is planned again after losing a race for a connection name. Each
// retry reuses what the winner stored, so a second attempt normally succeeds; the bound
// only ends a put whose own integrations keep colliding (two of the same name).
constexpr int kPutAttempts = 3;

// The status rule for a connection a flow's integration creates: the flow's deployer
// declares it together with the flow that uses it, and the put does not wait for a probe,
// so it starts as it always did, active with checked_at null (the page says "not checked
// yet"), and the probe queued right after the put decides within seconds.
void DeclaredByTheFlow(ConnectionRecord& record) {
  record.status = kStatusActive;
  record.status_reason.clear();
  record.connected_at = record.created_at;
}

}  // namespace

struct ComponentService::Plan {
  ComponentRecord component;
  std::vector<ConnectionRecord> new_connections;
  // Connections the plan found by name and reuses: if one is deleted before the put,
  // planning again creates it instead.
  std::set<std::string> reused;
};

Result<ComponentService::Plan> ComponentService::PlanPut(const std::string& project, const std::string& kind,
                                                         const std::string& id, const json& body) const {
  std::vector<FieldError> errors;
  Plan plan;
  plan.component.kind = kind;
  plan.component.id = id;
  plan.component.project = project;
  plan.component.name = id;
  CheckKnownMembers(body, {"name", "connections", "integrations", "id"}, errors);
  if (body.contains("id") && body["id"] != id) {
    errors.push_back({"id", "not_allowed_value", "id must match the id in the path."});
  }
  if (body.contains("name")) {
    if (!body["name"].is_string()) errors.push_back({"name", "wrong_type", "name must be a string."});
    else {
      std::string name = body["name"];
      if (auto bad = ConnectionService::CheckName(name, "name")) errors.push_back(*bad);
      else plan.component.name = name;
    }
  }
  std::set<std::string> seen;
  if (body.contains("connections")) {
    if (!body["connections"].is_array()) {
      errors.push_back({"connections", "wrong_type", "connections must be an array of connection ids."});
    } else {
      for (size_t i = 0; i < body["connections"].size(); ++i) {
        const json& connection = body["connections"][i];
        if (!connection.is_string()) {
          errors.push_back({"connections[" + std::to_string(i) + "]", "wrong_type", "a connection id is a string."});
        } else if (seen.insert(connection).second) {
          plan.component.connections.push_back(connection);
        }
      }
    }
  }
  json integrations = json::array();
  if (body.contains("integrations")) {
    if (!body["integrations"].is_array()) {
      errors.push_back({"integrations", "wrong_type", "integrations must be an array."});
    } else {
      for (size_t i = 0; i < body["integrations"].size(); ++i) {
        const json& item = body["integrations"][i];
        const std::string at = "integrations[" + std::to_string(i) + "]";
        if (!item.is_object() || !item.contains("provider") || !item["provider"].is_string() ||
            !item.contains("name") || !item["name"].is_string()) {
          errors.push_back({at, "invalid", "an integration is {provider, name, config}."});
          continue;
        }
        std::string name = item["name"];
        if (auto bad = ConnectionService::CheckName(name, at + ".name")) {
          errors.push_back(*bad);
          continue;
        }
        ConnectionInput input{name, item["provider"], item.value("config", json::object())};
        auto existing = store_.FindConnectionByName(project, input.name);
        if (!existing.ok()) return existing.status();
        std::string connection_id;
        if (*existing) {
          if ((*existing)->provider != input.provider) {
            errors.push_back({at + ".name", "name_taken",
                              "A " + (*existing)->provider + " connection is already named '" + input.name + "'."});
            continue;
          }
          connection_id = (*existing)->id;
          plan.reused.insert(connection_id);
        } else {
          auto prepared = connections_.Prepare(project, input, at + ".config.");
          if (!prepared.ok()) {
            for (FieldError e : prepared.status().field_errors()) {
              if (e.field == "name" || e.field == "provider") e.field = at + "." + e.field;
              errors.push_back(e);
            }
            continue;
          }
          connection_id = prepared->id;
          DeclaredByTheFlow(*prepared);
          plan.new_connections.push_back(std::move(prepared).value());
        }
        integrations.push_back({{"provider", input.provider}, {"name", input.name}, {"connection", connection_id}});
        if (seen.insert(connection_id).second) plan.component.connections.push_back(connection_id);
      }
    }
  }
  if (!errors.empty()) return Status::Invalid(Code::kInvalidBody, "the " + kind + " is not valid", std::move(errors));
  plan.component.integrations = integrations;
  plan.component.updated_at = NowRfc3339();
  return plan;
}

Result<StoredComponent> ComponentService::Put(const std::string& project, const std::string& kind,
                                              const std::string& id, const json& body) {
  for (int attempt = 1;; ++attempt) {
    auto plan = PlanPut(project, kind, id, body);
    if (!plan.ok()) return plan.status();
    // One store call creates the connections and stores the component, and says whether
    // the component existed: nothing is checked before and written after.
    bool created = false;
    auto stored = store_.PutComponent(plan->component, plan->new_connections, &created);
    if (stored.ok()) {
      if (on_connection_created_) {
        for (const auto& connection : plan->new_connections) on_connection_created_(connection);
      }
      return StoredComponent{std::move(stored).value(), created};
    }
    const Status& s = stored.status();
    // Lost a race: another writer created a connection of that name (reuse it), or
    // deleted one this plan reused (create it). Planning again sees what won.
    const bool raced = s.Is(Code::kNameTaken) || (s.Is(Code::kUnknownConnection) && !plan->reused.empty());
    if (raced && attempt < kPutAttempts) continue;
    if (s.Is(Code::kUnknownConnection)) {
      return Status::Invalid(Code::kUnknownConnection, s.message(), {{"connections", "unknown_connection", s.message()}});
    }
    return s;
  }
}

Result<ComponentRecord> ComponentService::Get(const std::string& project, const std::string& kind,
                                              const std::string& id) {
  return store_.GetComponent(project, kind, id);
}

Result<std::vector<ComponentRecord>> ComponentService::List(const std::string& project, const std::string& kind,
                                                            const std::string& connection) {
  if (connection.empty()) return store_.ListComponents(project, kind);
  if (auto row = store_.GetConnection(project, connection); !row.ok()) return row.status();
  auto refs = store_.ListReferences(project, connection, kind);
  if (!refs.ok()) return refs.status();
  std::vector<ComponentRecord> using_it;
  for (const auto& r : *refs) {
    // A component deleted since its reference was read is simply not listed.
    if (auto component = store_.GetComponent(project, kind, r.id); component.ok()) {
      using_it.push_back(std::move(component).value());
    }
  }
  return using_it;
}

Status ComponentService::Delete(const std::string& project, const std::string& kind, const std::string& id) {
  if (Status deleted = store_.DeleteComponent(project, kind, id); !deleted.ok()) return deleted;
  // Its runtime tokens go with it. CheckUse also compares created_at, but a component
  // created again within the same millisecond would carry the same one.
  auto tokens = store_.ListTokens(project);
  if (!tokens.ok()) return tokens.status();
  for (const TokenRecord& token : *tokens) {
    if (token.component.kind != kind || token.component.id != id) continue;
    Status revoked = store_.DeleteToken(project, token.id);
    if (!revoked.ok() && !revoked.Is(Code::kNotFound)) return revoked;
  }
  return Status::Ok();
}

Status ComponentService::CheckUse(const std::string& project, const ComponentBinding& component,
                                  const std::string& connection) {
  const std::string key = project + '\0' + component.kind + '\0' + component.id;
  auto stored = in_use_.Get(key, store_.CurrentChangeToken(),
                            [&] { return store_.GetComponent(project, component.kind, component.id); });
  if (!stored.ok() && !stored.status().Is(Code::kNotFound)) return stored.status();
  if (!stored.ok() || (*stored)->created_at != component.created_at) {
    return Status::Error(Code::kForbidden, "the " + component.kind + " '" + component.id +
                                               "' this runtime token was issued for no longer exists");
  }
  const auto& used = (*stored)->connections;
  if (std::find(used.begin(), used.end(), connection) == used.end()) {
    return Status::Error(Code::kNotReferenced, "the " + component.kind + " '" + component.id +
                                                   "' does not reference connection '" + connection + "'");
  }
  return Status::Ok();
}

}  // namespace switchboard
