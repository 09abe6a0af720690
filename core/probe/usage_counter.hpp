// Counts uses of connections (proxied requests, credentials handed out) in memory and
// writes them to the connections now and then: a busy connection costs one small write
// per flush interval, never one per request. A crash loses at most one interval's counts.
// THREADS: Count is safe from any thread; Flush runs on whatever thread calls it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "service/connection_service.hpp"

namespace switchboard::probe {

class UsageCounter {
 public:
  explicit UsageCounter(ConnectionService& connections) : connections_(connections) {}

  // One use of connection `id` of `project` by `user` ("flow/daily", "admin") at `at`.
  void Count(const std::string& project, const std::string& id, const std::string& user, const std::string& at);

  // Writes what was counted since the last flush; what fails to be written (the store
  // refused) is counted again next time, what belongs to a deleted connection is dropped.
  void Flush();

  // Uses counted and not yet written.
  int64_t pending() const;

 private:
  using Key = std::pair<std::string, std::string>;  // project, connection
  ConnectionService& connections_;
  mutable std::mutex mutex_;
  std::map<Key, ConnectionService::UsageDelta> pending_;
  std::mutex flushing_;  // one flush at a time, so counts are never written twice
};

}  // namespace switchboard::probe
