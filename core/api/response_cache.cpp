#include "api/response_cache.hpp"

namespace switchboard::api {

std::optional<std::string> ResponseCache::Find(const std::string& key, const ChangeToken& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.token != token || Clock::now() - it->second.built > ttl_) {
    oldest_first_.erase(it->second.age);
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.body;
}

void ResponseCache::Put(const std::string& key, const ChangeToken& token, std::string body) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (it->second.token.NewerThan(token)) return;  // a fresher body is already here
    oldest_first_.erase(it->second.age);
    entries_.erase(it);
  }
  while (entries_.size() >= capacity_ && !oldest_first_.empty()) {
    entries_.erase(oldest_first_.front());
    oldest_first_.pop_front();
  }
  oldest_first_.push_back(key);
  entries_.emplace(key, Entry{token, Clock::now(), std::move(body), std::prev(oldest_first_.end())});
}

}  // namespace switchboard::api
