// What the fake OAuth servers remember between requests: the refresh tokens they issued
// (rotation), the ones that are spent, and the access tokens they handed out with their
// expiry. A refresh token the fake never issued is a "root" credential whose ending picks
// its behaviour; every token issued from it inherits that behaviour, so a rotated token
// keeps acting as the configured one did. Thread-safe: route handlers on any thread.
#pragma once

#include <atomic>
#include <chrono>
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

struct RefreshLookup {
  std::shared_ptr<Grant> grant;  // null only for an empty token
  bool spent = false;            // rotated away (single-use tokens): answers invalid_grant
};

struct AccessLookup {
  std::shared_ptr<Grant> grant;  // null: the fake never issued this token (or forgot it)
  bool expired = false;          // issued, but its lifetime is over
};

class GrantRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  explicit GrantRegistry(int default_slow_ms) : default_slow_ms_(default_slow_ms) {}

  // The family a refresh token belongs to; a token never seen before starts a family.
  RefreshLookup FindRefresh(const std::string& token);

  // The grant behind an access token `issuer` ("google", "microsoft") issued, and whether
  // it has expired. Another issuer's token is unknown here, as between the real services.
  AccessLookup FindAccess(const std::string& issuer, const std::string& token);

  // A new refresh / access token of `grant`'s family: `prefix` (to look like the
  // provider's own: "1//0g", "ya29.", ...) and 192 random bits, so it cannot be guessed
  // or derived from the refresh token. An access token is refused `lifetime` after now.
  std::string IssueRefresh(const std::shared_ptr<Grant>& grant, const std::string& prefix);
  std::string IssueAccess(const std::string& issuer, const std::shared_ptr<Grant>& grant,
                          const std::string& prefix, std::chrono::seconds lifetime);

  // From now on `token` answers invalid_grant.
  void Spend(const std::string& token);

  // The grant of a static credential (API key, Trello token): parsed, not remembered.
  CredentialMode Parse(const std::string& credential) const {
    return ParseCredential(credential, default_slow_ms_);
  }

 private:
  struct AccessToken {
    std::string issuer;
    std::shared_ptr<Grant> grant;
    Clock::time_point expires_at;
  };
  // Drops access tokens that expired long ago, so a benchmark issuing millions of
  // tokens does not grow without bound. Called with mutex_ held.
  void ForgetOldAccessTokens(Clock::time_point now);

  int default_slow_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Grant>> refresh_;
  std::unordered_map<std::string, AccessToken> access_;
  std::unordered_set<std::string> spent_;
  size_t issued_since_sweep_ = 0;
};

// Random lowercase hex from the kernel's CSPRNG, for ids and tokens.
std::string RandomHex(size_t length);

}  // namespace fakes
