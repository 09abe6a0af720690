#include "grant_registry.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

namespace fakes {
namespace {

// An expired access token is still recognised (and answered as expired) this long.
constexpr auto kRememberExpiredFor = std::chrono::minutes(10);
constexpr size_t kIssuesBetweenSweeps = 4096;

void FillRandom(unsigned char* bytes, size_t size) {
  while (size > 0) {
    const ssize_t got = getrandom(bytes, size, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    bytes += got;
    size -= static_cast<size_t>(got);
  }
}

}  // namespace

std::string RandomHex(size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::vector<unsigned char> bytes((length + 1) / 2);
  FillRandom(bytes.data(), bytes.size());
  std::string text(length, '0');
  for (size_t i = 0; i < length; ++i) {
    const unsigned char byte = bytes[i / 2];
    text[i] = kDigits[i % 2 == 0 ? byte >> 4 : byte & 15];
  }
  return text;
}

RefreshLookup GrantRegistry::FindRefresh(const std::string& token) {
  if (token.empty()) return {};
  std::lock_guard lock(mutex_);
  const bool spent = spent_.count(token) != 0;
  auto it = refresh_.find(token);
  if (it != refresh_.end()) return {it->second, spent};
  auto grant = std::make_shared<Grant>();
  grant->root = token;
  grant->mode = ParseCredential(token, default_slow_ms_);
  refresh_.emplace(token, grant);
  return {grant, spent};
}

AccessLookup GrantRegistry::FindAccess(const std::string& issuer, const std::string& token) {
  std::lock_guard lock(mutex_);
  auto it = access_.find(token);
  if (it == access_.end() || it->second.issuer != issuer) return {};
  return {it->second.grant, Clock::now() >= it->second.expires_at};
}

std::string GrantRegistry::IssueRefresh(const std::shared_ptr<Grant>& grant,
                                        const std::string& prefix) {
  std::string token = prefix + RandomHex(48);
  std::lock_guard lock(mutex_);
  refresh_.emplace(token, grant);
  return token;
}

std::string GrantRegistry::IssueAccess(const std::string& issuer,
                                       const std::shared_ptr<Grant>& grant,
                                       const std::string& prefix,
                                       std::chrono::seconds lifetime) {
  std::string token = prefix + RandomHex(48);
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  if (++issued_since_sweep_ >= kIssuesBetweenSweeps) ForgetOldAccessTokens(now);
  access_.emplace(token, AccessToken{issuer, grant, now + lifetime});
  return token;
}

void GrantRegistry::ForgetOldAccessTokens(Clock::time_point now) {
  issued_since_sweep_ = 0;
  for (auto it = access_.begin(); it != access_.end();) {
    if (it->second.expires_at + kRememberExpiredFor < now) {
      it = access_.erase(it);
    } else {
      ++it;
    }
  }
}

void GrantRegistry::Spend(const std::string& token) {
  std::lock_guard lock(mutex_);
  spent_.insert(token);
}

}  // namespace fakes
