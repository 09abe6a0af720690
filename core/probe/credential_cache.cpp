#include "probe/credential_cache.hpp"

#include <algorithm>

#include "common/rfc3339.hpp"

namespace switchboard::probe {

CredentialCache::Clock::time_point CredentialCache::ExpiryOf(const Authorization& grant) const {
  if (grant.expires_at.empty()) return now_() + kUndatedLifetime;
  auto at = ParseRfc3339(grant.expires_at);
  // An expiry that cannot be read is treated as lapsing now: the grant is served to the
  // uses that waited for it, and the next use fetches again.
  return at ? *at : now_();
}

void CredentialCache::Get(const std::string& key, const std::string& digest, const Fetch& fetch, Done done) {
  std::unique_lock<std::mutex> lock(mutex_);
  Entry& entry = entries_[key];
  const auto now = now_();
  const bool usable = entry.grant && entry.digest == digest && now + entry.margin < entry.expires;
  if (usable) {
    auto grant = entry.grant;
    const bool refresh = !entry.fetching && now + entry.ahead >= entry.expires;
    if (refresh) entry.fetching = true;
    const uint64_t generation = entry.generation;
    lock.unlock();
    done(std::move(grant));
    if (refresh) Start(key, fetch, generation);
    return;
  }
  if (entry.digest != digest) entry.grant.reset();  // about credentials no longer stored
  entry.waiters.push_back(std::move(done));
  if (entry.fetching) return;
  entry.fetching = true;
  const uint64_t generation = entry.generation;
  lock.unlock();
  Start(key, fetch, generation);
}

void CredentialCache::Start(const std::string& key, const Fetch& fetch, uint64_t generation) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++fetches_;
  }
  try {
    fetch([this, key, generation](Result<Fetched> fetched) { Finish(key, generation, std::move(fetched)); });
  } catch (const std::exception& e) {
    Finish(key, generation, Status::Error(Code::kInternal, std::string("authorization failed: ") + e.what()));
  }
}

void CredentialCache::Finish(const std::string& key, uint64_t generation, Result<Fetched> fetched) {
  std::vector<Done> waiters;
  Result<std::shared_ptr<const UsableAuthorization>> answer = Status::Error(Code::kInternal, "unset");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) return;
    Entry& entry = found->second;
    entry.fetching = false;
    waiters.swap(entry.waiters);
    if (fetched.ok() && !fetched->usable) fetched = Status::Error(Code::kInternal, "an authorization fetch gave nothing");
    if (fetched.ok()) {
      answer = fetched->usable;
      if (entry.generation == generation && fetched->usable) {
        entry.grant = fetched->usable;
        entry.digest = fetched->digest;
        const auto now = now_();
        entry.expires = ExpiryOf(fetched->usable->grant);
        const auto lifetime = entry.expires > now ? entry.expires - now : Clock::duration::zero();
        entry.margin = std::min<Clock::duration>(kExpiryMargin, lifetime / 4);
        entry.ahead = std::min<Clock::duration>(kRefreshAhead, lifetime / 2);
      }
    } else {
      // A failed background refresh leaves a grant that is still fresh: the connection's
      // status (a refusal makes it inactive) is what stops its use.
      answer = fetched.status();
    }
    if (!entry.grant && entry.waiters.empty()) entries_.erase(found);  // nothing to keep, nobody waiting
  }
  for (auto& waiter : waiters) waiter(answer);
}

void CredentialCache::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return;
  found->second.grant.reset();
  found->second.generation = ++generations_;
  if (!found->second.fetching) entries_.erase(found);
}

uint64_t CredentialCache::fetches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fetches_;
}

size_t CredentialCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace switchboard::probe
