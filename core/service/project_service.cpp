#include "service/project_service.hpp"

#include <algorithm>
#include <regex>

#include "secrets/tokens.hpp"
#include "service/connection_service.hpp"
#include "store/store.hpp"

namespace switchboard {

using nlohmann::json;

Result<Project> ProjectService::Create(const json& body) {
  std::vector<FieldError> errors;
  Project project;
  if (!body.contains("name") || !body["name"].is_string()) {
    errors.push_back({"name", "missing_required", "A project name is required."});
  } else {
    project.name = body["name"];
    if (auto bad = ConnectionService::CheckName(project.name, "name")) errors.push_back(*bad);
  }
  if (body.contains("id")) {
    static const std::regex kSlug("^[a-z0-9][a-z0-9-]{0,62}$");
    if (!body["id"].is_string() || !std::regex_match(body["id"].get<std::string>(), kSlug)) {
      errors.push_back({"id", "pattern_mismatch", "A project id is 1-63 lower-case letters, digits and dashes."});
    } else {
      project.id = body["id"];
    }
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "name" && it.key() != "id") {
      errors.push_back({it.key(), "unknown_field", "'" + it.key() + "' is not a project field."});
    }
  }
  if (!errors.empty()) return Status::Invalid(Code::kInvalidBody, "the project is not valid", std::move(errors));
  if (project.id.empty()) project.id = RandomId("prj_");
  project.created_at = NowRfc3339();
  if (Status s = store_.CreateProject(project); !s.ok()) return s;
  return project;
}

Result<Project> ProjectService::Get(const std::string& id) { return store_.GetProject(id); }

bool ProjectService::Exists(const std::string& id) { return store_.GetProject(id).ok(); }

Result<std::vector<Project>> ProjectService::List() { return store_.ListProjects(); }

namespace {

// The optional "name" of a token request, checked as every name is.
void ReadTokenName(const json& body, TokenRecord& record, std::vector<FieldError>& errors) {
  if (!body.contains("name")) return;
  if (!body["name"].is_string()) return errors.push_back({"name", "wrong_type", "name must be a string."});
  record.name = body["name"];
  // An empty name is no name; any other must be one (bounded, visible, NFC).
  if (!record.name.empty()) {
    if (auto bad = ConnectionService::CheckName(record.name, "name")) errors.push_back(*bad);
  }
}

void RefuseUnknownFields(const json& body, std::initializer_list<const char*> known, std::vector<FieldError>& errors) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
      errors.push_back({it.key(), "unknown_field", "'" + it.key() + "' is not a token field."});
    }
  }
}

}  // namespace

Result<IssuedProjectToken> ProjectService::IssueToken(const std::string& project, const json& body) {
  TokenRecord record;
  std::vector<FieldError> errors;
  if (!body.contains("role") || !body["role"].is_string() || !ParseRole(body["role"], record.role)) {
    errors.push_back({"role", "not_allowed_value", "role must be \"admin\" or \"member\"."});
  }
  ReadTokenName(body, record, errors);
  RefuseUnknownFields(body, {"name", "role"}, errors);
  if (!errors.empty()) return Status::Invalid(Code::kInvalidBody, "the token request is not valid", std::move(errors));
  return Issue(project, std::move(record));
}

Result<IssuedProjectToken> ProjectService::IssueRuntimeToken(const std::string& project, const std::string& kind,
                                                             const std::string& id, const json& body) {
  TokenRecord record;
  std::vector<FieldError> errors;
  ReadTokenName(body, record, errors);
  RefuseUnknownFields(body, {"name"}, errors);
  if (!errors.empty()) return Status::Invalid(Code::kInvalidBody, "the token request is not valid", std::move(errors));
  auto component = store_.GetComponent(project, kind, id);
  if (!component.ok()) return component.status();
  record.role = Role::kMember;
  record.component = {kind, id, component->created_at};
  return Issue(project, std::move(record));
}

Result<IssuedProjectToken> ProjectService::Issue(const std::string& project, TokenRecord record) {
  IssuedToken issued = ::switchboard::IssueToken();  // the free function, not this method
  record.id = issued.id;
  record.project = project;
  record.hash = issued.hash;
  record.created_at = NowRfc3339();
  if (Status s = store_.PutToken(record); !s.ok()) return s;
  return IssuedProjectToken{std::move(record), std::move(issued.token)};
}

Result<TokenRecord> ProjectService::FindToken(const std::string& id) {
  auto record = tokens_.Get(id, store_.CurrentChangeToken(), [&] { return store_.GetToken(id); });
  if (!record.ok()) return record.status();
  return **record;
}

Result<std::vector<TokenRecord>> ProjectService::ListTokens(const std::string& project) {
  return store_.ListTokens(project);
}

Status ProjectService::RevokeToken(const std::string& project, const std::string& id) {
  return store_.DeleteToken(project, id);
}

}  // namespace switchboard
