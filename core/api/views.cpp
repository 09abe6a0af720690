#include "api/views.hpp"

namespace switchboard::api {

using nlohmann::json;

json ProjectView(const Project& p) { return {{"id", p.id}, {"name", p.name}, {"created_at", p.created_at}}; }

json TokenView(const TokenRecord& t) {
  return {{"id", t.id}, {"project", t.project}, {"role", RoleName(t.role)}, {"name", t.name},
          {"created_at", t.created_at}};
}

json ComponentView(const ComponentRecord& c) {
  return {{"id", c.id},
          {"kind", c.kind},
          {"name", c.name},
          {"connections", c.connections},
          {"integrations", c.integrations},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

json ReferencesView(const std::vector<Reference>& refs) {
  json items = json::array();
  for (const auto& r : refs) items.push_back({{"kind", r.kind}, {"id", r.id}, {"name", r.name}});
  return items;
}

}  // namespace switchboard::api
