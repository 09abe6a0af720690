// Checks of a Microsoft Outlook config that its field schema cannot express.
//
// Codes (field):
//   bad_tenant             (tenant)         not a GUID, a domain, or common/organizations/consumers
//   secret_id_given        (client_secret)  the secret's ID (a GUID) instead of its value
//   missing_offline_access (scopes)         no refresh token would be issued
//   missing_user_read      (scopes)         the probe's GET /me needs User.Read
//   missing_outlook_scope  (scopes)         no mail or calendar read permission
//   mixed_resources        (scopes)         permissions of more than one API
//   insecure_url           (authority_host, graph_base) secrets would travel without TLS
//   unknown_authority_host (authority_host) not a Microsoft sign-in host
//   unknown_graph_host     (graph_base)     not a Microsoft Graph host
//   cloud_mismatch         (graph_base)     Graph of another cloud than the sign-in host
// Plain http to localhost passes the host checks, for test servers and local proxies.
#ifndef OUTLOOK_VALIDATION_HPP
#define OUTLOOK_VALIDATION_HPP

#include <vector>

#include <switchboard/provider.hpp>

namespace outlook {

// Every problem of `config` at once; empty when it is acceptable.
std::vector<switchboard::FieldError> ValidateConfig(const switchboard::Json& config);

}  // namespace outlook

#endif  // OUTLOOK_VALIDATION_HPP
