#include "api/views.hpp"

#include <algorithm>

#include "api/plugin_views.hpp"
#include "common/json_text.hpp"
#include "service/component_kinds.hpp"
#include "service/connection_service.hpp"

namespace switchboard::api {

using nlohmann::json;

json ConnectionView(const ConnectionRow& row) {
  const ConnectionRecord& c = row.record;
  json config = c.config;
  for (auto it = c.secrets.begin(); it != c.secrets.end(); ++it) config[it.key()] = {{"set", true}};
  return {{"id", c.id},
          {"project", c.project},
          {"name", c.name},
          {"provider", c.provider},
          {"config", config},
          {"status", c.status},
          {"status_reason", NullIfEmpty(c.status_reason)},
          {"flows", FlowsUsing(row)},
          {"connected_at", NullIfEmpty(c.connected_at)},
          {"checked_at", NullIfEmpty(c.checked_at)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at},
          {"expires_at", NullIfEmpty(c.expires_at)},
          {"expiry_warning", ExpiryWarning(c)},
          {"last_probe", c.last_probe.is_object() ? c.last_probe : json(nullptr)},
          {"last_used_at", NullIfEmpty(c.last_used_at)},
          {"use_count", c.use_count}};
}

json UsageView(const ConnectionRecord& c) {
  json by = json::array();
  if (c.usage.is_object()) {
    for (auto it = c.usage.begin(); it != c.usage.end(); ++it) {
      const std::string& user = it.key();
      const size_t slash = user.find('/');
      by.push_back({{"user", user},
                    {"kind", slash == std::string::npos ? user : user.substr(0, slash)},
                    {"id", slash == std::string::npos ? json(nullptr) : json(user.substr(slash + 1))},
                    {"count", it.value().value("count", int64_t{0})},
                    {"last_used_at", NullIfEmpty(it.value().value("last_used_at", ""))}});
    }
  }
  std::sort(by.begin(), by.end(), [](const json& a, const json& b) {
    return a["last_used_at"].dump() > b["last_used_at"].dump();
  });
  return {{"connection", c.id}, {"use_count", c.use_count}, {"last_used_at", NullIfEmpty(c.last_used_at)}, {"by", by}};
}

json ProbeJson(const ProbeResult& result, const std::string& checked_at) {
  return {{"outcome", OutcomeName(result.outcome)},
          {"reason", result.reason},
          {"message", result.message},
          {"field", result.field.empty() ? json(nullptr) : json(result.field)},
          {"retry_after_seconds", result.retry_after_seconds ? json(*result.retry_after_seconds) : json(nullptr)},
          {"checked_at", checked_at}};
}

json ProjectView(const Project& p) { return {{"id", p.id}, {"name", p.name}, {"created_at", p.created_at}}; }

json ProjectView(const Project& p, Role caller_role) {
  json view = ProjectView(p);
  view["role"] = RoleName(caller_role);
  return view;
}

json ProbedConnectionView(const ConnectionRow& row, const ProbeResult& result, const std::string& checked_at) {
  return {{"connection", ConnectionView(row)}, {"probe", ProbeJson(result, checked_at)}};
}

json TokenView(const TokenRecord& t) {
  json view = {{"id", t.id}, {"project", t.project}, {"role", RoleName(t.role)}, {"name", t.name},
               {"created_at", t.created_at}, {"kind", t.component.empty() ? "project" : "runtime"}};
  if (!t.component.empty()) view["component"] = {{"kind", t.component.kind}, {"id", t.component.id}};
  return view;
}

json IssuedTokenView(const IssuedProjectToken& issued) {
  json view = TokenView(issued.record);
  view["token"] = issued.token;
  return view;
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

json StatusEventView(const StatusEvent& e) {
  return {{"at", e.at},
          {"project", e.project},
          {"connection", e.connection},
          {"connection_name", e.connection_name},
          {"provider", e.provider},
          {"outcome", NullIfEmpty(e.outcome)},
          {"reason", NullIfEmpty(e.reason)},
          {"message", NullIfEmpty(e.message)},
          {"status", e.status},
          {"previous_status", e.previous_status}};
}

json ProbeJobView(const probe::ProbeJob& job) {
  json summary = json::object();
  for (const char* outcome : {"valid", "invalid_credentials", "missing_permission", "transient", "error"}) {
    auto it = job.summary.find(outcome);
    summary[outcome] = it == job.summary.end() ? 0 : it->second;
  }
  return {{"id", job.id},
          {"project", job.project},
          {"state", job.finished ? "done" : "running"},
          {"filter", {{"status", NullIfEmpty(job.filter.status)}, {"provider", NullIfEmpty(job.filter.provider)}}},
          {"total", job.total},
          {"done", job.done},
          {"summary", summary},
          {"created_at", job.created_at},
          {"finished_at", NullIfEmpty(job.finished_at)}};
}

json StorageView(const StorageReport& report) {
  json out = {{"status", StorageStateName(report)},
              {"writable", report.writes == WriteState::kOk},
              {"integrity", report.corrupt ? "corrupt" : report.verified ? "verified" : "verifying"},
              {"unreadable_rows", report.unreadable_rows}};
  if (!report.writes_failing_since.empty()) out["writes_failing_since"] = report.writes_failing_since;
  if (report.corrupt) out["corrupt_since"] = report.corrupt_since;
  return out;
}

json HealthView(const StorageReport& storage, const ProviderRegistry& providers) {
  return {{"status", storage.ok() ? "ok" : "degraded"},
          {"providers", providers.size()},
          {"plugins", PluginHealthView(providers)},
          {"storage", StorageView(storage)}};
}

}  // namespace switchboard::api
