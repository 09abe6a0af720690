// The records Switchboard keeps: projects, tokens, connections, components and status
// events. Plain domain types; how a backend stores them is the backend's business
// (RocksDB: store/rocksdb/record_codec.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchboard {

struct Project {
  std::string id;
  std::string name;
  std::string created_at;
};

enum class Role { kMember, kAdmin };
const char* RoleName(Role role);
bool ParseRole(const std::string& text, Role& role);

// A runtime token's binding: the one component (a flow, a deployment) whose runtime
// presents it. The component's created_at pins the very component the token was issued
// for: one deleted and created again under the same id is another, and the token does
// not follow it.
struct ComponentBinding {
  std::string kind;
  std::string id;
  std::string created_at;

  bool empty() const { return id.empty(); }
};

struct TokenRecord {
  std::string id;
  std::string project;
  Role role = Role::kMember;
  std::string name;  // what the token is for, chosen by whoever created it
  std::string hash;  // hex SHA-256 of the token; the token itself is never stored
  std::string created_at;
  // Set for a runtime token: it may only use the connections this component references.
  ComponentBinding component;
};

struct ConnectionRecord {
  std::string id;
  std::string project;
  std::string provider;
  std::string name;
  nlohmann::json config = nlohmann::json::object();   // non-secret fields, in clear
  nlohmann::json secrets = nlohmann::json::object();  // secret field -> sealed text
  std::string status = "active";                      // "active", "inactive" or "unverified"
  std::string status_reason;
  std::string checked_at;
  std::string connected_at;
  std::string created_at;
  std::string updated_at;
  std::string expires_at;  // when the provider says the credentials lapse, "" if unknown
  // The latest probe: {outcome, reason, message, field, at}; null before the first.
  nlohmann::json last_probe = nullptr;
  // When the plugin last authorized requests (an OAuth2 refresh, or reading an API key)
  // and until when that authorization holds; "" when never / when it does not lapse.
  std::string authorized_at;
  std::string authorization_expires_at;
  // Uses through the proxy and the credentials endpoint, counted in memory and flushed
  // now and then (usage_counter.hpp): the latest, the total, and per component
  // ("flow/daily": {"count", "last_used_at"}; "admin" for a person's proxied calls).
  std::string last_used_at;
  int64_t use_count = 0;
  nlohmann::json usage = nlohmann::json::object();
};

// A change of a connection's status (or of its reason), kept in the connection's history
// and the project's event feed.
struct StatusEvent {
  std::string at;
  std::string project;
  std::string connection;
  std::string connection_name;
  std::string provider;
  std::string outcome;  // the probe outcome that caused it, "" when none did (reconnect)
  std::string reason;
  std::string message;
  std::string status;
  std::string previous_status;
};

// A flow, a deployment, or any other kind of component that uses connections.
struct ComponentRecord {
  std::string kind;  // "flow", "deployment", ...
  std::string id;
  std::string project;
  std::string name;
  std::vector<std::string> connections;  // ids, unique, in the order given
  nlohmann::json integrations = nlohmann::json::array();  // [{provider, name, connection}]
  std::string created_at;
  std::string updated_at;
};

// One component that references a connection.
struct Reference {
  std::string kind;
  std::string id;
  std::string name;
};

// Now as RFC 3339 UTC with milliseconds, e.g. "2026-11-22T04:10:00.123Z".
std::string NowRfc3339();

}  // namespace switchboard
