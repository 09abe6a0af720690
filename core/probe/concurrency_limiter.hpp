// Runs asynchronous tasks with at most `global` in flight at once, and at most
// `per_key` of any one key (a provider id), queueing the rest in arrival order per key.
//
// A task receives a Release to call exactly once when its work is done. Tasks start on
// the io_context, never inside Submit or Release, so a task that finishes at once cannot
// recurse through the queue.
// THREADS: safe for concurrent use.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>

namespace switchboard::probe {

class ConcurrencyLimiter {
 public:
  using Release = std::function<void()>;
  using Task = std::function<void(Release)>;

  ConcurrencyLimiter(boost::asio::io_context& io, size_t global, size_t per_key);

  // `where`: the io_context the task starts on; the limiter's own when null.
  void Submit(const std::string& key, Task task, boost::asio::io_context* where = nullptr);

  size_t running() const;
  size_t queued() const;

 private:
  struct Lane {
    size_t running = 0;
    std::deque<std::pair<Task, boost::asio::io_context*>> waiting;
  };

  // Starts what the limits allow; called with mutex_ held.
  void StartReadyLocked();
  void Finish(const std::string& key);

  boost::asio::io_context& io_;
  const size_t global_;
  const size_t per_key_;
  mutable std::mutex mutex_;
  size_t running_ = 0;
  size_t queued_ = 0;
  std::map<std::string, Lane> lanes_;
  std::string next_lane_;  // round-robin position, so one busy provider cannot starve others
};

}  // namespace switchboard::probe
