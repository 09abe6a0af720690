// Which stored connections a provider's field schema no longer accepts: after a reload
// put a new version of a plugin in place, every stored connection of that provider (in
// every project) is checked against the new version's schema, and those it refuses are
// reported (plugin_reloader.hpp stays free of the store; the API and the SIGHUP path call
// this for each added or updated provider). Nothing stored is changed, not even a status:
// an admin decides what to do with them. Secrets are unsealed only in memory, for the
// check, and no value (secret or not) is returned; only ids and field names.
// Only the schema is checked (field_rules.hpp and valijson), not the plugin's own
// validate: that would be one plugin call per stored connection.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "plugins/loaded_provider.hpp"
#include "plugins/plugin_reloader.hpp"
#include "service/connection_service.hpp"
#include "model/records.hpp"

namespace switchboard {

class Store;  // store/store.hpp: the service's .cpp files use it, its clients never do

struct IncompatibleConnection {
  std::string project;
  std::string id;
  std::vector<std::string> fields;  // the fields the schema refuses ("" for the config as a whole)
};

struct SchemaCompatibility {
  size_t checked = 0;     // stored connections of the provider that were checked
  size_t count = 0;       // how many of them the schema refuses
  size_t unreadable = 0;  // connections that could not be read or unsealed, so not checked
  std::vector<IncompatibleConnection> connections;  // the first `max_ids` of `count`, by project then name
  bool truncated() const { return count > connections.size(); }
};

inline constexpr size_t kMaxIncompatibleIds = 100;

// Asked now and then during a long check; true stops it ("cancelled"), e.g. when the host
// is told to stop while a SIGHUP reload checks 100k connections.
using StopRequested = std::function<bool()>;

// Checks every stored connection of `provider` against its compiled field schema. Fails
// only when the store cannot list the projects or a project's connections, or "cancelled".
Result<SchemaCompatibility> CheckStoredConnections(Store& store, const ConnectionService& connections,
                                                   const LoadedProvider& provider,
                                                   size_t max_ids = kMaxIncompatibleIds,
                                                   const StopRequested& stop_requested = {});

// CheckStoredConnections for each provider `report` added or updated, against the version
// of it the registry (connections.providers()) now serves; by provider id. Logs a warning
// with the count for each provider that has such connections (ids stay out of the log).
std::map<std::string, Result<SchemaCompatibility>> CheckReloadedProviders(const ReloadReport& report, Store& store,
                                                                          const ConnectionService& connections,
                                                                          const StopRequested& stop_requested = {});

}  // namespace switchboard
