// The rules of projects and their API tokens: what a project or token request may say,
// project ids (a slug, or one issued here) and token issuing (the secret is returned
// once and only its hash is stored).
//
// Failures: invalid_body (422, field errors in the Status), conflict (409) for a project
// id in use, not_found, and the store's own codes.
// THREADS: safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "model/records.hpp"
#include "service/store_memo.hpp"

namespace switchboard {

class Store;  // store/store.hpp: the service's .cpp files use it, its clients never do

struct IssuedProjectToken {
  TokenRecord record;
  std::string token;  // the secret: show it once, store it nowhere
};

class ProjectService {
 public:
  explicit ProjectService(Store& store) : store_(store) {}

  // Creates a project from {name, id?}; without an id one is issued ("prj_...").
  Result<Project> Create(const nlohmann::json& body);
  Result<Project> Get(const std::string& id);
  // Whether project `id` exists (false too when it cannot be read).
  bool Exists(const std::string& id);
  Result<std::vector<Project>> List();

  // Issues a token of project `project` from {role, name?}.
  Result<IssuedProjectToken> IssueToken(const std::string& project, const nlohmann::json& body);
  // Issues a runtime token for component `id` of `kind` (not_found when there is none)
  // from {name?}: it may only use the connections that component references.
  Result<IssuedProjectToken> IssueRuntimeToken(const std::string& project, const std::string& kind,
                                               const std::string& id, const nlohmann::json& body);
  // The token of id `id` (the part of a presented token before its secret). Read on every
  // authenticated request: kept in memory until the store changes.
  Result<TokenRecord> FindToken(const std::string& id);
  Result<std::vector<TokenRecord>> ListTokens(const std::string& project);
  Status RevokeToken(const std::string& project, const std::string& id);

 private:
  // Stores `record` (role, name and binding set) under a new token of `project`.
  Result<IssuedProjectToken> Issue(const std::string& project, TokenRecord record);

  Store& store_;
  StoreMemo<TokenRecord> tokens_;
};

}  // namespace switchboard
