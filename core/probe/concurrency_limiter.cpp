#include "probe/concurrency_limiter.hpp"

#include <algorithm>
#include <atomic>
#include <memory>

#include <boost/asio/defer.hpp>

namespace switchboard::probe {

ConcurrencyLimiter::ConcurrencyLimiter(boost::asio::io_context& io, size_t global, size_t per_key)
    : io_(io), global_(std::max<size_t>(1, global)), per_key_(std::max<size_t>(1, per_key)) {}

void ConcurrencyLimiter::Submit(const std::string& key, Task task, boost::asio::io_context* where) {
  std::lock_guard<std::mutex> lock(mutex_);
  lanes_[key].waiting.emplace_back(std::move(task), where != nullptr ? where : &io_);
  ++queued_;
  StartReadyLocked();
}

void ConcurrencyLimiter::StartReadyLocked() {
  while (running_ < global_ && queued_ > 0) {
    // The first lane after the last one served that has work and room.
    auto pick = lanes_.upper_bound(next_lane_);
    bool found = false;
    for (size_t visited = 0; visited < lanes_.size(); ++visited, ++pick) {
      if (pick == lanes_.end()) pick = lanes_.begin();
      if (!pick->second.waiting.empty() && pick->second.running < per_key_) {
        found = true;
        break;
      }
    }
    if (!found) return;
    const std::string key = pick->first;
    Lane& lane = pick->second;
    auto [task, where] = std::move(lane.waiting.front());
    lane.waiting.pop_front();
    --queued_;
    ++lane.running;
    ++running_;
    next_lane_ = key;
    // Deferred: started after the caller returns, on the caller's thread when that is
    // one of the io_context's (no other thread is woken for it).
    boost::asio::defer(*where, [this, key, task = std::move(task)]() mutable {
      auto released = std::make_shared<std::atomic<bool>>(false);
      task([this, key, released] {
        if (!released->exchange(true)) Finish(key);
      });
    });
  }
}

void ConcurrencyLimiter::Finish(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  auto lane = lanes_.find(key);
  if (lane != lanes_.end()) {
    --lane->second.running;
    if (lane->second.running == 0 && lane->second.waiting.empty()) {
      lanes_.erase(lane);  // upper_bound(next_lane_) still works on a removed key
    }
  }
  StartReadyLocked();
}

size_t ConcurrencyLimiter::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

size_t ConcurrencyLimiter::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_;
}

}  // namespace switchboard::probe
