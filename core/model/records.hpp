// The records Switchboard keeps: projects, tokens, connections, components and status
// events. Plain domain types; how a backend stores them is the backend's business
// (RocksDB: store/rocksdb/record_codec.hpp).
#pragma once

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

struct TokenRecord {
  std::string id;
  std::string project;
  Role role = Role::kMember;
  std::string name;  // what the token is for, chosen by whoever created it
  std::string hash;  // hex SHA-256 of the token; the token itself is never stored
  std::string created_at;
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
