#include "api/auth.hpp"

#include "secrets/tokens.hpp"

namespace switchboard::api {

Result<Principal> Authenticator::Authenticate(const httplib::Request& req) const {
  const std::string header = req.get_header_value("Authorization");
  static const std::string kScheme = "Bearer ";
  if (header.empty()) return Status::Error("unauthorized", "an Authorization: Bearer <token> header is required");
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    return Status::Error("unauthorized", "the Authorization header must use the Bearer scheme");
  }
  const std::string token = header.substr(kScheme.size());
  if (!admin_token_hash_.empty() && TokenMatches(token, admin_token_hash_)) {
    Principal admin;
    admin.server_admin = true;
    admin.role = Role::kAdmin;
    admin.token_id = "server-admin";
    return admin;
  }
  auto id = TokenIdOf(token);
  if (!id) return Status::Error("unauthorized", "the token is not valid");
  auto record = store_.GetToken(*id);
  if (!record.ok() || !TokenMatches(token, record->hash)) {
    return Status::Error("unauthorized", "the token is not valid");
  }
  Principal principal;
  principal.project = record->project;
  principal.role = record->role;
  principal.token_id = record->id;
  return principal;
}

}  // namespace switchboard::api
