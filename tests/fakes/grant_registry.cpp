#include "grant_registry.hpp"

#include <random>

namespace fakes {

std::string RandomHex(size_t length) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(length, '0');
  for (auto& c : text) c = kDigits[engine() & 15];
  return text;
}

std::shared_ptr<Grant> GrantRegistry::FindRefresh(const std::string& token) {
  std::lock_guard lock(mutex_);
  if (spent_.count(token) != 0) return nullptr;
  auto it = refresh_.find(token);
  if (it != refresh_.end()) return it->second;
  auto grant = std::make_shared<Grant>();
  grant->root = token;
  grant->mode = ParseCredential(token, default_slow_ms_);
  refresh_.emplace(token, grant);
  return grant;
}

std::shared_ptr<Grant> GrantRegistry::FindAccess(const std::string& token) {
  std::lock_guard lock(mutex_);
  auto it = access_.find(token);
  return it == access_.end() ? nullptr : it->second;
}

std::string GrantRegistry::IssueRefresh(const std::shared_ptr<Grant>& grant,
                                        const std::string& prefix) {
  std::string token = prefix + RandomHex(40);
  std::lock_guard lock(mutex_);
  refresh_.emplace(token, grant);
  return token;
}

std::string GrantRegistry::IssueAccess(const std::shared_ptr<Grant>& grant,
                                       const std::string& prefix) {
  std::string token = prefix + RandomHex(48);
  std::lock_guard lock(mutex_);
  access_.emplace(token, grant);
  return token;
}

void GrantRegistry::Spend(const std::string& token) {
  std::lock_guard lock(mutex_);
  spent_.insert(token);
}

}  // namespace fakes
