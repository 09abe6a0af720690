// A request as a test wants to see it: what the echo endpoint answers and what the
// capture listener keeps. Not a provider format.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace fakes {

// {"method", "path", "query", "headers", "header_lists", "body"}: `path` and `query` as
// sent (not percent-decoded; query without the "?"); `headers` by lower-case name, the
// values of a repeated header joined with ", "; `header_lists` the same with every value
// apart, in the order received; `body` as text (bytes that are not UTF-8 become U+FFFD),
// cut after `body_limit` bytes with "body_truncated": true.
nlohmann::json DescribeRequest(const httplib::Request& req, size_t body_limit);

// The requests the capture listener received, oldest first, at most `capacity` (older
// ones are dropped and counted). Thread-safe.
class CaptureLog {
 public:
  static constexpr size_t kCapacity = 1000;
  static constexpr size_t kBodyLimit = 64 * 1024;

  void Record(const httplib::Request& req);
  // The records, oldest first, as a JSON array.
  nlohmann::json ToJson() const;
  long dropped() const;
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::deque<nlohmann::json> requests_;
  long dropped_ = 0;
};

}  // namespace fakes
