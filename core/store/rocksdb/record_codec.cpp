#include "store/rocksdb/record_codec.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

Status CheckVersion(const json& j, const char* what) {
  if (!j.is_object()) return Status::Error(Code::kCorruption, std::string(what) + " record is not an object");
  int v = j.value("v", 0);
  if (v < 1 || v > kRecordVersion) {
    return Status::Error(Code::kCorruption, std::string(what) + " record has unknown format version " +
                                           std::to_string(v));
  }
  return Status::Ok();
}

template <typename T, typename Fill>
Result<T> Decode(const json& j, const char* what, Fill fill) {
  if (Status s = CheckVersion(j, what); !s.ok()) return s;
  try {
    T out;
    fill(out);
    return out;
  } catch (const json::exception& e) {
    return Status::Error(Code::kCorruption, std::string(what) + " record is malformed: " + e.what());
  }
}

}  // namespace

json ToStored(const Project& p) {
  return {{"v", kRecordVersion}, {"id", p.id}, {"name", p.name}, {"created_at", p.created_at}};
}

json ToStored(const TokenRecord& t) {
  json stored = {{"v", kRecordVersion}, {"id", t.id},     {"project", t.project},
                 {"role", RoleName(t.role)}, {"name", t.name}, {"hash", t.hash},
                 {"created_at", t.created_at}};
  if (!t.component.empty()) {
    stored["component"] = {{"kind", t.component.kind}, {"id", t.component.id},
                           {"created_at", t.component.created_at}};
  }
  return stored;
}

json ToStored(const ConnectionRecord& c) {
  return {{"v", kRecordVersion},
          {"id", c.id},
          {"project", c.project},
          {"provider", c.provider},
          {"name", c.name},
          {"config", c.config},
          {"secrets", c.secrets},
          {"status", c.status},
          {"status_reason", c.status_reason},
          {"checked_at", c.checked_at},
          {"connected_at", c.connected_at},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at},
          {"expires_at", c.expires_at},
          {"last_probe", c.last_probe},
          {"authorized_at", c.authorized_at},
          {"authorization_expires_at", c.authorization_expires_at},
          {"last_used_at", c.last_used_at},
          {"use_count", c.use_count},
          {"usage", c.usage}};
}

json ToStored(const StatusEvent& e) {
  return {{"v", kRecordVersion},  {"at", e.at},
          {"project", e.project}, {"connection", e.connection},
          {"connection_name", e.connection_name}, {"provider", e.provider},
          {"outcome", e.outcome}, {"reason", e.reason},
          {"message", e.message}, {"status", e.status},
          {"previous_status", e.previous_status}};
}

Result<StatusEvent> StatusEventFromStored(const json& j) {
  return Decode<StatusEvent>(j, "status event", [&](StatusEvent& e) {
    e.at = j.at("at");
    e.project = j.at("project");
    e.connection = j.at("connection");
    e.connection_name = j.value("connection_name", "");
    e.provider = j.value("provider", "");
    e.outcome = j.value("outcome", "");
    e.reason = j.value("reason", "");
    e.message = j.value("message", "");
    e.status = j.value("status", "");
    e.previous_status = j.value("previous_status", "");
  });
}

json ToStored(const ComponentRecord& c) {
  return {{"v", kRecordVersion},       {"kind", c.kind},
          {"id", c.id},                {"project", c.project},
          {"name", c.name},            {"connections", c.connections},
          {"integrations", c.integrations}, {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

Result<Project> ProjectFromStored(const json& j) {
  return Decode<Project>(j, "project", [&](Project& p) {
    p.id = j.at("id");
    p.name = j.at("name");
    p.created_at = j.value("created_at", "");
  });
}

Result<TokenRecord> TokenFromStored(const json& j) {
  return Decode<TokenRecord>(j, "token", [&](TokenRecord& t) {
    t.id = j.at("id");
    t.project = j.at("project");
    if (!ParseRole(j.at("role"), t.role)) throw json::other_error::create(501, "bad role", nullptr);
    t.name = j.value("name", "");
    t.hash = j.at("hash");
    t.created_at = j.value("created_at", "");
    if (j.contains("component") && j["component"].is_object()) {
      const json& c = j["component"];
      t.component = {c.at("kind"), c.at("id"), c.value("created_at", "")};
    }
  });
}

Result<ConnectionRecord> ConnectionFromStored(const json& j) {
  return Decode<ConnectionRecord>(j, "connection", [&](ConnectionRecord& c) {
    c.id = j.at("id");
    c.project = j.at("project");
    c.provider = j.at("provider");
    c.name = j.at("name");
    c.config = j.value("config", json::object());
    c.secrets = j.value("secrets", json::object());
    c.status = j.value("status", c.status);  // a record without one has the model's default
    c.status_reason = j.value("status_reason", "");
    c.checked_at = j.value("checked_at", "");
    c.connected_at = j.value("connected_at", "");
    c.created_at = j.value("created_at", "");
    c.updated_at = j.value("updated_at", "");
    c.expires_at = j.value("expires_at", "");
    c.last_probe = j.contains("last_probe") && j["last_probe"].is_object() ? j["last_probe"] : json(nullptr);
    c.authorized_at = j.value("authorized_at", "");
    c.authorization_expires_at = j.value("authorization_expires_at", "");
    c.last_used_at = j.value("last_used_at", "");
    c.use_count = j.value("use_count", int64_t{0});
    c.usage = j.contains("usage") && j["usage"].is_object() ? j["usage"] : json::object();
  });
}

Result<ComponentRecord> ComponentFromStored(const json& j) {
  return Decode<ComponentRecord>(j, "component", [&](ComponentRecord& c) {
    c.kind = j.at("kind");
    c.id = j.at("id");
    c.project = j.at("project");
    c.name = j.value("name", "");
    c.connections = j.value("connections", std::vector<std::string>{});
    c.integrations = j.value("integrations", json::array());
    c.created_at = j.value("created_at", "");
    c.updated_at = j.value("updated_at", "");
  });
}

}  // namespace switchboard
