#include "service/schema_compatibility.hpp"

#include <set>

#include "common/log.hpp"
#include "schema/config_validator.hpp"
#include "store/store.hpp"

namespace switchboard {

namespace {
constexpr size_t kStopCheckEvery = 64;  // connections between two stop_requested() calls
}  // namespace

Result<SchemaCompatibility> CheckStoredConnections(Store& store, const ConnectionService& connections,
                                                   const LoadedProvider& provider, size_t max_ids,
                                                   const StopRequested& stop_requested) {
  size_t seen = 0;
  SchemaCompatibility result;
  auto projects = store.ListProjects();
  if (!projects.ok()) return projects.status();
  for (const auto& project : *projects) {
    auto keys = store.ListConnectionKeys(project.id, "", provider.id());
    if (!keys.ok()) return keys.status();
    for (const auto& key : *keys) {
      if (stop_requested && seen++ % kStopCheckEvery == 0 && stop_requested()) {
        return Status::Error(Code::kCancelled, "the check was stopped");
      }
      auto row = store.GetConnection(project.id, key.id);
      if (!row.ok()) {
        if (row.status().Is(Code::kNotFound)) continue;  // deleted since it was listed
        ++result.unreadable;
        log::Warn("reload: connection " + project.id + "/" + key.id + " of provider " + provider.id() +
                  " cannot be read [" + row.status().code_name() + "]; not checked against its new schema");
        continue;
      }
      auto config = connections.UnsealedConfig(row->record);
      if (!config.ok()) {
        // The sealer's message says nothing secret, but the code says enough here.
        ++result.unreadable;
        log::Warn("reload: connection " + project.id + "/" + key.id + " of provider " + provider.id() +
                  " cannot be unsealed [" + config.status().code_name() + "]; not checked against its new schema");
        continue;
      }
      ++result.checked;
      const std::vector<FieldError> problems = CheckAgainstFieldSchema(provider.compiled_schema(), *config);
      *config = nlohmann::json();  // the secrets in clear are not needed any more
      if (problems.empty()) continue;
      ++result.count;
      if (result.connections.size() >= max_ids) continue;
      IncompatibleConnection incompatible{project.id, key.id, {}};
      std::set<std::string> seen;
      for (const auto& problem : problems) {
        if (seen.insert(problem.field).second) incompatible.fields.push_back(problem.field);
      }
      result.connections.push_back(std::move(incompatible));
    }
  }
  return result;
}

std::map<std::string, Result<SchemaCompatibility>> CheckReloadedProviders(const ReloadReport& report, Store& store,
                                                                          const ConnectionService& connections,
                                                                          const StopRequested& stop_requested) {
  std::map<std::string, Result<SchemaCompatibility>> checks;
  for (const auto& outcome : report.outcomes) {
    if (outcome.action != ReloadOutcome::Action::kAdded && outcome.action != ReloadOutcome::Action::kUpdated) continue;
    auto provider = connections.providers().Find(outcome.id);
    if (!provider || checks.count(outcome.id)) continue;
    auto check = CheckStoredConnections(store, connections, *provider, kMaxIncompatibleIds, stop_requested);
    if (!check.ok()) {
      log::Warn("reload: the stored connections of provider " + outcome.id +
                " could not be checked against its new schema [" + check.status().code_name() + "]");
    } else if (check->count > 0) {
      log::Warn("reload: " + std::to_string(check->count) + " of " + std::to_string(check->checked) +
                " stored connection(s) of provider " + outcome.id +
                " no longer pass its schema; they are kept unchanged (see the reload report for their ids)");
    }
    checks.emplace(outcome.id, std::move(check));
  }
  return checks;
}

}  // namespace switchboard
