// Serialized responses reused while the store has not changed since they were built
// (Store::CurrentChangeToken, valid across hosts sharing the backend), for at most `ttl` (views can depend on the clock, e.g. an expiry
// warning). Bounded: when full, the oldest entry goes.
// THREADS: safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/change_token.hpp"

namespace switchboard::api {

class ResponseCache {
 public:
  ResponseCache(size_t capacity, std::chrono::milliseconds ttl) : capacity_(capacity), ttl_(ttl) {}

  std::optional<std::string> Find(const std::string& key, const ChangeToken& token);
  // `token` must have been read before the data the body was built from.
  void Put(const std::string& key, const ChangeToken& token, std::string body);

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    ChangeToken token;
    Clock::time_point built;
    std::string body;
    std::list<std::string>::iterator age;
  };

  const size_t capacity_;
  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> oldest_first_;
};

}  // namespace switchboard::api
