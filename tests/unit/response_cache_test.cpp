#include <thread>

#include <catch2/catch.hpp>

#include "api/response_cache.hpp"

using switchboard::api::ResponseCache;

namespace {
// The n-th state of one store.
switchboard::ChangeToken Token(uint64_t n) { return {"test", n}; }
}  // namespace
using namespace std::chrono_literals;

TEST_CASE("a cached response is reused only while the store generation is unchanged") {
  ResponseCache cache(8, 10s);
  cache.Put("list", Token(5), "page at 5");
  CHECK(cache.Find("list", Token(5)) == "page at 5");
  CHECK_FALSE(cache.Find("list", Token(6)));  // the store changed since
  CHECK_FALSE(cache.Find("list", Token(5)));  // and the stale body is gone
  CHECK_FALSE(cache.Find("other", Token(5)));
}

TEST_CASE("an older body never replaces a fresher one") {
  ResponseCache cache(8, 10s);
  cache.Put("list", Token(7), "fresh");
  cache.Put("list", Token(6), "stale");
  CHECK(cache.Find("list", Token(7)) == "fresh");
}

TEST_CASE("cached responses expire after their time to live") {
  ResponseCache cache(8, 30ms);
  cache.Put("list", Token(1), "body");
  std::this_thread::sleep_for(60ms);
  CHECK_FALSE(cache.Find("list", Token(1)));
}

TEST_CASE("the cache holds at most its capacity, dropping the oldest") {
  ResponseCache cache(2, 10s);
  cache.Put("a", Token(1), "A");
  cache.Put("b", Token(1), "B");
  cache.Put("c", Token(1), "C");
  CHECK_FALSE(cache.Find("a", Token(1)));
  CHECK(cache.Find("b", Token(1)) == "B");
  CHECK(cache.Find("c", Token(1)) == "C");
}
