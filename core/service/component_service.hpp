// The rules of components (flows, deployments): what a component body may say, and the
// connections its integrations create or reuse.
//
// An integration configured inside a component ({provider, name, config}, no connection
// id) reuses the project's connection of that name when it has the same provider, and
// otherwise creates it. The component and the connections it creates are stored in one
// store call (Store::PutComponent), so a component is never stored without them; when
// another writer created a connection of the same name first (name_taken), the put is
// planned again and reuses the connection that won. Two puts racing over a new
// integration therefore end with exactly one connection that both reference.
//
// Failures: invalid_body (422, field errors in the Status), unknown_connection (422, a
// "connections" field error), name_taken (409) when the race is lost repeatedly, and the
// store's own codes.
// THREADS: safe for concurrent use.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "service/component_kinds.hpp"
#include "service/connection_service.hpp"
#include "model/records.hpp"
#include "service/store_memo.hpp"

namespace switchboard {

class Store;  // store/store.hpp: the service's .cpp files use it, its clients never do

struct StoredComponent {
  ComponentRecord component;
  bool created = false;  // true: no component of that id existed before this put
};

class ComponentService {
 public:
  // Called once for each connection an integration created, after it is stored: the
  // host queues its first probe there (the put does not wait for the verdict).
  using ConnectionCreated = std::function<void(const ConnectionRecord&)>;

  ComponentService(Store& store, const ConnectionService& connections) : store_(store), connections_(connections) {}

  // Set before the service is used.
  void set_on_connection_created(ConnectionCreated hook) { on_connection_created_ = std::move(hook); }

  // Creates or replaces component `id` of `kind` from a request body
  // {name, connections: [ids], integrations: [{provider, name, config}]}.
  Result<StoredComponent> Put(const std::string& project, const std::string& kind, const std::string& id,
                              const nlohmann::json& body);
  Result<ComponentRecord> Get(const std::string& project, const std::string& kind, const std::string& id);
  // Every component of `kind`; with `connection` set, those referencing that connection
  // (not_found when it does not exist).
  Result<std::vector<ComponentRecord>> List(const std::string& project, const std::string& kind,
                                            const std::string& connection = "");
  // Deletes it, releases its references and revokes its runtime tokens.
  Status Delete(const std::string& project, const std::string& kind, const std::string& id);

  // Whether the runtime of `component` may use connection `connection` now: ok when the
  // very component the binding names (same created_at) exists and references it;
  // forbidden when the component is gone, connection_not_referenced when it does not
  // reference the connection, or the store's failure. Called on every use: the component
  // is kept in memory until the store changes.
  Status CheckUse(const std::string& project, const ComponentBinding& component, const std::string& connection);

 private:
  struct Plan;
  Result<Plan> PlanPut(const std::string& project, const std::string& kind, const std::string& id,
                       const nlohmann::json& body) const;

  Store& store_;
  const ConnectionService& connections_;
  ConnectionCreated on_connection_created_;
  StoreMemo<ComponentRecord> in_use_;
};

}  // namespace switchboard
