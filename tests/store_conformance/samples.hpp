// Records the conformance tests store.
#pragma once

#include <string>
#include <vector>

#include "model/records.hpp"

namespace switchboard::conformance {

inline ConnectionRecord SampleConnection(const std::string& id, const std::string& name,
                                         const std::string& project = "p", const std::string& provider = "openai",
                                         const std::string& status = "active") {
  ConnectionRecord c;
  c.id = id;
  c.project = project;
  c.provider = provider;
  c.name = name;
  c.status = status;
  c.created_at = c.updated_at = NowRfc3339();
  return c;
}

inline ComponentRecord SampleComponent(const std::string& kind, const std::string& id, const std::string& name,
                                       std::vector<std::string> connections, const std::string& project = "p") {
  ComponentRecord c;
  c.kind = kind;
  c.id = id;
  c.project = project;
  c.name = name;
  c.connections = std::move(connections);
  c.updated_at = NowRfc3339();
  return c;
}

}  // namespace switchboard::conformance
