// What the fake OAuth servers remember between requests: the refresh tokens they issued
// (rotation), the ones that are spent, and the access tokens they handed out. A refresh
// token the fake never issued is a "root" credential whose ending picks its behaviour;
// every token issued from it inherits that behaviour, so a rotated token keeps acting as
// the configured one did.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "credential_mode.hpp"

namespace fakes {

struct Grant {
  std::string root;  // the credential the family started from (stats are kept per root)
  CredentialMode mode;
  std::atomic<int> api_calls{0};  // for 401once
};

class GrantRegistry {
 public:
  explicit GrantRegistry(int default_slow_ms) : default_slow_ms_(default_slow_ms) {}

  // The grant a refresh token belongs to, or nullptr when the token was spent by a
  // rotation (single-use tokens) and is dead now.
  std::shared_ptr<Grant> FindRefresh(const std::string& token);

  // The grant behind an access token this fake issued, or nullptr.
  std::shared_ptr<Grant> FindAccess(const std::string& token);

  // A new refresh / access token of `grant`'s family; `prefix` makes it look like the
  // provider's own ("1//0g", "ya29.", ...).
  std::string IssueRefresh(const std::shared_ptr<Grant>& grant, const std::string& prefix);
  std::string IssueAccess(const std::shared_ptr<Grant>& grant, const std::string& prefix);

  // From now on `token` answers invalid_grant.
  void Spend(const std::string& token);

  // The grant of a static credential (API key, Trello token): parsed, not remembered.
  CredentialMode Parse(const std::string& credential) const {
    return ParseCredential(credential, default_slow_ms_);
  }

 private:
  int default_slow_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Grant>> refresh_;
  std::unordered_map<std::string, std::shared_ptr<Grant>> access_;
  std::unordered_set<std::string> spent_;
};

// Random lowercase hex, for ids and tokens.
std::string RandomHex(size_t length);

}  // namespace fakes
