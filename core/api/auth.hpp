// Who is calling: resolves "Authorization: Bearer <token>" to a principal (the scheme
// compares case-insensitively, RFC 9110 11.1). The server
// admin token acts as an admin of every project and alone may create projects.
// Project tokens see only their own project. Thread-safe.
#pragma once

#include <optional>
#include <string>


#include "common/status.hpp"
#include "http/http_message.hpp"
#include "model/records.hpp"
#include "store/store.hpp"

namespace switchboard::api {

struct Principal {
  bool server_admin = false;
  std::string project;  // the token's project; empty for the server admin
  Role role = Role::kMember;
  std::string token_id;

  bool CanSee(const std::string& p) const { return server_admin || project == p; }
  bool CanChange(const std::string& p) const { return server_admin || (project == p && role == Role::kAdmin); }
};

class Authenticator {
 public:
  Authenticator(Store& store, std::string admin_token_hash)
      : store_(store), admin_token_hash_(std::move(admin_token_hash)) {}

  // unauthorized when the header is missing, malformed, or names no valid token.
  Result<Principal> Authenticate(const http::HttpRequest& req) const;

 private:
  Store& store_;
  std::string admin_token_hash_;
};

}  // namespace switchboard::api
