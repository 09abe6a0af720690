#include "probe/usage_counter.hpp"

#include "common/log.hpp"

namespace switchboard::probe {

void UsageCounter::Count(const std::string& project, const std::string& id, const std::string& user,
                         const std::string& at) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& delta = pending_[{project, id}];
  ++delta.count;
  if (at > delta.last_used_at) delta.last_used_at = at;
  auto& mine = delta.by_user[user];
  ++mine.first;
  if (at > mine.second) mine.second = at;
}

void UsageCounter::Flush() {
  std::lock_guard<std::mutex> one_at_a_time(flushing_);
  std::map<Key, ConnectionService::UsageDelta> taken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    taken.swap(pending_);
  }
  for (auto& [key, delta] : taken) {
    auto written = connections_.RecordUsage(key.first, key.second, delta);
    if (written.ok() || written.status().Is(Code::kNotFound)) continue;
    log::Warn("usage of connection " + key.second + " not written yet: " + written.status().message());
    std::lock_guard<std::mutex> lock(mutex_);
    auto& back = pending_[key];
    back.count += delta.count;
    if (delta.last_used_at > back.last_used_at) back.last_used_at = delta.last_used_at;
    for (const auto& [user, counted] : delta.by_user) {
      auto& mine = back.by_user[user];
      mine.first += counted.first;
      if (counted.second > mine.second) mine.second = counted.second;
    }
  }
}

int64_t UsageCounter::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t total = 0;
  for (const auto& [key, delta] : pending_) total += delta.count;
  return total;
}

}  // namespace switchboard::probe
