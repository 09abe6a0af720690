// Authorizations of connections, kept in memory until shortly before they lapse, and
// fetched single-flight: however many uses of one connection find no fresh
// authorization at once, exactly one fetch runs (one OAuth2 refresh at the provider) and
// all of them get its result.
//
// An entry is keyed by connection and valid only for the credentials it was made from
// (ConnectionService::CredentialsDigest): a reconnect or an edit makes the next use fetch
// again. One that lapses within kRefreshAhead is still served, and a fetch starts in the
// background, so a busy connection never waits for a refresh. Nothing here is ever
// written to disk: the access tokens live in this process only.
// THREADS: safe for concurrent use. A fetch's callback may run on any thread; waiters
// are called on it, outside the lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <switchboard/authorize.hpp>

#include "common/status.hpp"
#include "secrets/secret_redactor.hpp"

namespace switchboard::probe {

// A grant as the host uses it: what to add to requests, and every secret that went into
// it (the connection's and the grant's own, such as an access token) to take out of
// whatever comes back from the provider.
struct UsableAuthorization {
  Authorization grant;
  SecretRedactor redactor;
};

class CredentialCache {
 public:
  using Clock = std::chrono::system_clock;
  // Not served closer than this to its expiry (a quarter of its lifetime when that is
  // shorter): a request must reach the provider before its token lapses.
  static constexpr std::chrono::seconds kExpiryMargin{60};
  // Refreshed in the background from this close to its expiry (or half its lifetime).
  static constexpr std::chrono::seconds kRefreshAhead{300};
  // How long an authorization that states no expiry (an API key) is kept.
  static constexpr std::chrono::seconds kUndatedLifetime{900};

  struct Fetched {
    std::shared_ptr<const UsableAuthorization> usable;
    std::string digest;  // of the credentials stored once the fetch is done (a rotated token)
  };
  using FetchDone = std::function<void(Result<Fetched>)>;
  using Fetch = std::function<void(FetchDone)>;
  using Done = std::function<void(Result<std::shared_ptr<const UsableAuthorization>>)>;

  explicit CredentialCache(std::function<Clock::time_point()> now = Clock::now) : now_(std::move(now)) {}

  // An authorization of connection `key` whose credentials have digest `digest`: the cached
  // one while it is fresh, otherwise the result of `fetch`, run once for everyone asking.
  void Get(const std::string& key, const std::string& digest, const Fetch& fetch, Done done);

  // Drops the connection's entry (its credentials were refused in real traffic); a fetch
  // in flight still answers its waiters but is not kept.
  void Forget(const std::string& key);

  // Fetches started so far, and entries held: for metrics and tests.
  uint64_t fetches() const;
  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const UsableAuthorization> grant;
    std::string digest;
    Clock::time_point expires;
    Clock::duration margin{};  // kExpiryMargin, or less for a short-lived grant
    Clock::duration ahead{};   // kRefreshAhead, or less
    bool fetching = false;
    uint64_t generation = 0;  // moves on Forget, so a fetch started before it is not kept
    std::vector<Done> waiters;
  };
  void Start(const std::string& key, const Fetch& fetch, uint64_t generation);
  void Finish(const std::string& key, uint64_t generation, Result<Fetched> fetched);
  Clock::time_point ExpiryOf(const Authorization& grant) const;

  std::function<Clock::time_point()> now_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  uint64_t fetches_ = 0;
  uint64_t generations_ = 0;
};

}  // namespace switchboard::probe
