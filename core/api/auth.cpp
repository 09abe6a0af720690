#include "api/auth.hpp"

#include "secrets/tokens.hpp"

namespace switchboard::api {

Result<Principal> Authenticator::Authenticate(const http::HttpRequest& req) const {
  const std::string header = req.get_header_value("Authorization");
  if (header.empty()) return Status::Error(Code::kUnauthorized, "an Authorization: Bearer <token> header is required");
  const size_t space = header.find(' ');
  const size_t token_start = header.find_first_not_of(' ', space == std::string::npos ? header.size() : space);
  if (space == std::string::npos || token_start == std::string::npos ||
      !http::EqualsIgnoreCase(header.substr(0, space), "Bearer")) {
    return Status::Error(Code::kUnauthorized, "the Authorization header must use the Bearer scheme");
  }
  const std::string token = header.substr(token_start);
  if (!admin_token_hash_.empty() && TokenMatches(token, admin_token_hash_)) {
    Principal admin;
    admin.server_admin = true;
    admin.role = Role::kAdmin;
    admin.token_id = "server-admin";
    return admin;
  }
  auto id = TokenIdOf(token);
  if (!id) return Status::Error(Code::kUnauthorized, "the token is not valid");
  auto record = projects_.FindToken(*id);
  if (!record.ok() || !TokenMatches(token, record->hash)) {
    return Status::Error(Code::kUnauthorized, "the token is not valid");
  }
  Principal principal;
  principal.project = record->project;
  principal.role = record->role;
  principal.token_id = record->id;
  principal.component = record->component;
  return principal;
}

}  // namespace switchboard::api
