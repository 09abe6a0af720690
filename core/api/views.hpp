// The JSON clients see for each stored object, in one place: services return domain
// types, routes render them with these. Secrets never appear in a view.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <switchboard/probe.hpp>

#include "api/cursor.hpp"
#include "model/records.hpp"
#include "model/storage_report.hpp"
#include "plugins/provider_registry.hpp"
#include "probe/probe_jobs.hpp"
#include "service/project_service.hpp"

namespace switchboard::api {

// A connection with its flow count: secrets shown only as {"set": true}.
nlohmann::json ConnectionView(const ConnectionRow& row);
// A probe verdict: {outcome, reason, message, field, retry_after_seconds, checked_at}
nlohmann::json ProbeJson(const ProbeResult& result, const std::string& checked_at);
// {connection, probe}: a connection as stored after a probe, and that probe's verdict.
nlohmann::json ProbedConnectionView(const ConnectionRow& row, const ProbeResult& result, const std::string& checked_at);
// {id, name, created_at}
nlohmann::json ProjectView(const Project& project);
// The project's view plus {role}: what the caller may do in it.
nlohmann::json ProjectView(const Project& project, Role caller_role);
// {id, project, role, name, created_at}: never the token or its hash.
nlohmann::json TokenView(const TokenRecord& token);
// {use_count, last_used_at, by: [{user, kind, id, count, last_used_at}]}: who used a
// connection, most recent first (flushed every few seconds, so a moment behind).
nlohmann::json UsageView(const ConnectionRecord& connection);
// The token's view plus {token}: the secret itself, in the answer that issued it only.
nlohmann::json IssuedTokenView(const IssuedProjectToken& issued);
// {id, kind, name, connections, integrations, created_at, updated_at}
nlohmann::json ComponentView(const ComponentRecord& component);
// [{kind, id, name}]: the components using a connection.
nlohmann::json ReferencesView(const std::vector<Reference>& references);
// {at, project, connection, connection_name, provider, outcome, reason, message, status,
// previous_status}: one status change, as the event feed and webhooks show it.
nlohmann::json StatusEventView(const StatusEvent& event);
// {id, project, state, filter, total, done, summary, created_at, finished_at}
nlohmann::json ProbeJobView(const probe::ProbeJob& job);

// What /healthz says of the storage: states and times, never paths or the engine's text.
nlohmann::json StorageView(const StorageReport& storage);
// /healthz: {status, providers, plugins, storage}.
nlohmann::json HealthView(const StorageReport& storage, const ProviderRegistry& providers);

// {items: [view(item)...], next_cursor}: the shape of every list the API answers;
// next_cursor is null on the last page (`next_after` "").
template <typename Items, typename View>
nlohmann::json ListView(const Items& items, View view, const std::string& next_after = "") {
  nlohmann::json rendered = nlohmann::json::array();
  for (const auto& item : items) rendered.push_back(view(item));
  return {{"items", std::move(rendered)},
          {"next_cursor", next_after.empty() ? nlohmann::json(nullptr) : nlohmann::json(EncodeCursor(next_after))}};
}

}  // namespace switchboard::api
