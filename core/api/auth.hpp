// Who is calling: resolves "Authorization: Bearer <token>" to a principal (the scheme
// compares case-insensitively, RFC 9110 11.1). The server
// admin token acts as an admin of every project and alone may create projects.
// Project tokens see only their own project; a runtime token (one issued for a flow or
// deployment) sees nothing: it may only use the connections its component references.
// Thread-safe.
#pragma once

#include <optional>
#include <string>


#include "common/status.hpp"
#include "http/http_message.hpp"
#include "service/project_service.hpp"

namespace switchboard::api {

struct Principal {
  bool server_admin = false;
  std::string project;  // the token's project; empty for the server admin
  Role role = Role::kMember;
  std::string token_id;
  // Set for a runtime token: the component whose connections it may use, and nothing else.
  ComponentBinding component;

  bool runtime() const { return !component.empty(); }
  bool CanSee(const std::string& p) const { return server_admin || (project == p && !runtime()); }
  bool CanChange(const std::string& p) const {
    return server_admin || (project == p && role == Role::kAdmin && !runtime());
  }
};

class Authenticator {
 public:
  Authenticator(ProjectService& projects, std::string admin_token_hash)
      : projects_(projects), admin_token_hash_(std::move(admin_token_hash)) {}

  // unauthorized when the header is missing, malformed, or names no valid token.
  Result<Principal> Authenticate(const http::HttpRequest& req) const;

 private:
  ProjectService& projects_;
  std::string admin_token_hash_;
};

}  // namespace switchboard::api
