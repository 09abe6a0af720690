// Flows and deployments: the components that use connections.
//   PUT    /v1/projects/{p}/flows/{id}      {name, connections: [ids], integrations: [{provider, name, config}]}
//   GET    /v1/projects/{p}/flows           ?connection={id} lists the flows using it
//   GET    /v1/projects/{p}/flows/{id}
//   DELETE /v1/projects/{p}/flows/{id}      releases its references
// and the same under /deployments.
//
// An integration configured inside a component (provider + config, no connection id)
// creates its connection — or reuses the project's connection of that name and
// provider — and references it. A connection created so is probed at once in the
// background; the PUT does not wait for the verdict (docs/probes.md, "Creating").
#include <set>

#include "api/app.hpp"
#include "api/request_parts.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

json ComponentView(const ComponentRecord& c) {
  return {{"id", c.id},
          {"kind", c.kind},
          {"name", c.name},
          {"connections", c.connections},
          {"integrations", c.integrations},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

// The status rule for a connection a flow's integration creates: the flow's deployer
// declares it together with the flow that uses it, and the PUT does not wait for a probe,
// so it starts as it always did, active with checked_at null (the page says "not checked
// yet"), and the probe queued right after the PUT decides within seconds.
void DeclaredByTheFlow(ConnectionRecord& record) {
  record.status = kStatusActive;
  record.status_reason.clear();
  record.connected_at = record.created_at;
}

struct Plan {
  ComponentRecord component;
  std::vector<ConnectionRecord> new_connections;
};

// Reads the body into a component to store; on failure a problem has been sent.
std::optional<Plan> PlanComponent(App& app, Call& call, const std::string& kind, const json& body) {
  const std::string project = call.param(0);
  std::vector<FieldError> errors;
  Plan plan;
  plan.component.kind = kind;
  plan.component.id = call.param(1);
  plan.component.project = project;
  plan.component.name = plan.component.id;
  CheckKnownMembers(body, {"name", "connections", "integrations", "id"}, errors);
  if (body.contains("id") && body["id"] != plan.component.id) {
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
        const json& id = body["connections"][i];
        if (!id.is_string()) {
          errors.push_back({"connections[" + std::to_string(i) + "]", "wrong_type", "a connection id is a string."});
        } else if (seen.insert(id).second) {
          plan.component.connections.push_back(id);
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
        auto existing = app.store.FindConnectionByName(project, input.name);
        if (!existing.ok()) {
          call.Fail(existing.status());
          return std::nullopt;
        }
        std::string connection_id;
        if (*existing) {
          if ((*existing)->provider != input.provider) {
            errors.push_back({at + ".name", "name_taken",
                              "A " + (*existing)->provider + " connection is already named '" + input.name + "'."});
            continue;
          }
          connection_id = (*existing)->id;
        } else {
          std::vector<FieldError> config_errors;
          auto prepared = app.connections.Prepare(project, input, at + ".config.", &config_errors);
          if (!prepared.ok()) {
            for (auto& e : config_errors) {
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
  if (!errors.empty()) {
    call.Fail(422, "invalid_body", "the " + kind + " is not valid", errors);
    return std::nullopt;
  }
  plan.component.integrations = integrations;
  plan.component.updated_at = NowRfc3339();
  return plan;
}

void Put(App& app, Call& call, const std::string& kind) {
  auto body = call.JsonBody();
  if (!body) return;
  // A connection an integration would create may be created by someone else meanwhile;
  // planning again then reuses it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto plan = PlanComponent(app, call, kind, *body);
    if (!plan) return;
    bool existed = app.store.GetComponent(call.param(0), kind, call.param(1)).ok();
    auto stored = app.store.PutComponent(plan->component, plan->new_connections);
    if (stored.ok()) {
      for (const auto& created : plan->new_connections) {
        app.probes.ProbeStored(created.project, created.id, [](Result<probe::ProbeReport>) {}, created.provider);
      }
      return call.Reply(existed ? 200 : 201, ComponentView(*stored));
    }
    if (stored.status().Is(Code::kNameTaken) && attempt < 2) continue;
    Problem p = ProblemFrom(stored.status());
    if (stored.status().Is(Code::kUnknownConnection)) {
      p.errors.push_back({"connections", "unknown_connection", stored.status().message()});
    }
    return call.Fail(p);
  }
}

void List(App& app, Call& call, const std::string& kind) {
  const std::string project = call.param(0);
  json items = json::array();
  if (std::string connection = call.query("connection"); !connection.empty()) {
    if (auto row = app.store.GetConnection(project, connection); !row.ok()) return call.Fail(row.status());
    auto refs = app.store.ListReferences(project, connection, kind);
    if (!refs.ok()) return call.Fail(refs.status());
    for (const auto& r : *refs) {
      auto component = app.store.GetComponent(project, kind, r.id);
      if (component.ok()) items.push_back(ComponentView(*component));
    }
  } else {
    auto components = app.store.ListComponents(project, kind);
    if (!components.ok()) return call.Fail(components.status());
    for (const auto& c : *components) items.push_back(ComponentView(c));
  }
  call.Reply(200, {{"items", items}, {"next_cursor", nullptr}});
}

void RegisterKind(Router& router, App& app, const std::string& plural, const std::string& kind) {
  const std::string base = "/v1/projects/{p}/" + plural;
  router.Handle("GET", base, Access::kProjectRead, [&app, kind](Call& call) { List(app, call, kind); });
  router.Handle("PUT", base + "/{id}", Access::kProjectWrite, Lane::kPlugin, [&app, kind](Call& call) { Put(app, call, kind); });
  router.Handle("GET", base + "/{id}", Access::kProjectRead, [&app, kind](Call& call) {
    auto component = app.store.GetComponent(call.param(0), kind, call.param(1));
    if (!component.ok()) return call.Fail(component.status());
    call.Reply(200, ComponentView(*component));
  });
  router.Handle("DELETE", base + "/{id}", Access::kProjectWrite, [&app, kind](Call& call) {
    if (Status s = app.store.DeleteComponent(call.param(0), kind, call.param(1)); !s.ok()) return call.Fail(s);
    call.res.status = 204;
  });
}

}  // namespace

void RegisterComponentRoutes(Router& router, App& app) {
  RegisterKind(router, app, "flows", "flow");
  RegisterKind(router, app, "deployments", "deployment");
}

}  // namespace switchboard::api
