// Records read from the store, kept in memory and reused while the store has not changed
// since they were read (Store::CurrentChangeToken, which moves on every commit by this
// process or any other sharing the backend). What the use path reads on every request —
// a token, a component's references, a connection — then costs a map lookup instead of a
// read and a JSON decode, and a change (a revoked token, a reference removed, a
// connection turned inactive) is seen by the very next request, because any commit
// makes every memo stale at once.
//
// Bounded: a full memo starts over. Values are shared and immutable.
// THREADS: safe for concurrent use.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/status.hpp"
#include "model/change_token.hpp"

namespace switchboard {

template <typename Value>
class StoreMemo {
 public:
  explicit StoreMemo(size_t capacity = 4096) : capacity_(capacity) {}

  // The value kept under `key`, if it was read while the store stood at `now`.
  std::shared_ptr<const Value> Find(const std::string& key, const ChangeToken& now) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (now != generation_) return nullptr;
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : it->second;
  }

  // The value under `key`: kept, or read by `read` (a () -> Result<Value>) and kept. `now`
  // is the store's token taken before the call, so before the read, as Put requires. A
  // failed read is returned and not kept.
  template <typename Read>
  Result<std::shared_ptr<const Value>> Get(const std::string& key, const ChangeToken& now, Read&& read) {
    if (auto kept = Find(key, now)) return kept;
    Result<Value> fresh = read();
    if (!fresh.ok()) return fresh.status();
    auto value = std::make_shared<const Value>(std::move(fresh).value());
    Put(key, now, value);
    return value;
  }

  // Keeps `value`, read after the store stood at `read_at` (read the token first: a
  // commit between the two reads then only makes the value look stale).
  void Put(const std::string& key, const ChangeToken& read_at, std::shared_ptr<const Value> value) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (read_at != generation_) {
      if (generation_.NewerThan(read_at)) return;  // read before a change already seen
      values_.clear();
      generation_ = read_at;
    }
    if (values_.size() >= capacity_) values_.clear();
    values_[key] = std::move(value);
  }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  ChangeToken generation_;
  std::unordered_map<std::string, std::shared_ptr<const Value>> values_;
};

}  // namespace switchboard
