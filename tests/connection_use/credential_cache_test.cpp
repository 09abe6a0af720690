// CredentialCache: one fetch for any number of concurrent uses, served until shortly
// before expiry, refreshed ahead in the background, and keyed by the credentials.
#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/rfc3339.hpp"
#include "probe/credential_cache.hpp"

using namespace switchboard;
using namespace switchboard::probe;
using Clock = std::chrono::system_clock;

namespace {

struct FakeClock {
  Clock::time_point now = Clock::from_time_t(1800000000);
  std::function<Clock::time_point()> Fn() {
    return [this] { return now; };
  }
};

std::string At(Clock::time_point t) {
  std::time_t s = Clock::to_time_t(t);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&s));
  return text;
}

// A fetch that holds its callers until Release(), counting how often it ran.
struct HeldFetch {
  std::mutex mutex;
  std::vector<CredentialCache::FetchDone> pending;
  std::atomic<int> runs{0};
  std::string expires_at;
  CredentialCache::Fetch Fn() {
    return [this](CredentialCache::FetchDone done) {
      ++runs;
      std::lock_guard<std::mutex> lock(mutex);
      pending.push_back(std::move(done));
    };
  }
  void Release(const std::string& token, const std::string& digest = "d1") {
    std::vector<CredentialCache::FetchDone> now;
    {
      std::lock_guard<std::mutex> lock(mutex);
      now.swap(pending);
    }
    for (auto& done : now) {
      auto usable = std::make_shared<UsableAuthorization>();
      usable->grant.headers["authorization"] = "Bearer " + token;
      usable->grant.expires_at = expires_at;
      done(CredentialCache::Fetched{usable, digest});
    }
  }
};

std::string TokenOf(const Result<std::shared_ptr<const UsableAuthorization>>& got) {
  return got.ok() ? (*got)->grant.headers.at("authorization") : "error:" + got.status().code_name();
}

}  // namespace

TEST_CASE("a thousand concurrent uses of a missing authorization cause exactly one fetch") {
  FakeClock clock;
  CredentialCache cache(clock.Fn());
  HeldFetch fetch;
  fetch.expires_at = At(clock.now + std::chrono::hours(1));
  std::atomic<int> answered{0}, right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 125; ++i) {
        cache.Get("p/c", "d1", fetch.Fn(), [&](auto got) {
          ++answered;
          if (TokenOf(got) == "Bearer one") ++right;
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(fetch.runs == 1);
  CHECK(answered == 0);  // all wait for the one fetch
  fetch.Release("one");
  CHECK(answered == 1000);
  CHECK(right == 1000);
  // Later uses are served from the cache.
  cache.Get("p/c", "d1", fetch.Fn(), [&](auto got) { CHECK(TokenOf(got) == "Bearer one"); });
  CHECK(fetch.runs == 1);
}

TEST_CASE("an authorization is not served within a minute of its expiry") {
  FakeClock clock;
  CredentialCache cache(clock.Fn());
  HeldFetch fetch;
  fetch.expires_at = At(clock.now + std::chrono::seconds(3600));
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  fetch.Release("first");
  clock.now += std::chrono::seconds(3600 - 59);
  std::string got;
  cache.Get("k", "d1", fetch.Fn(), [&](auto g) { got = TokenOf(g); });
  CHECK(fetch.runs == 2);
  CHECK(got.empty());  // waits for the new one
  fetch.Release("second");
  CHECK(got == "Bearer second");
}

TEST_CASE("close to expiry the cached authorization is served while one background refresh runs") {
  FakeClock clock;
  CredentialCache cache(clock.Fn());
  HeldFetch fetch;
  fetch.expires_at = At(clock.now + std::chrono::seconds(3600));
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  fetch.Release("first");
  clock.now += std::chrono::seconds(3600 - 200);  // inside kRefreshAhead, outside kExpiryMargin
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) cache.Get("k", "d1", fetch.Fn(), [&](auto g) { got.push_back(TokenOf(g)); });
  CHECK(got == std::vector<std::string>(5, "Bearer first"));
  CHECK(fetch.runs == 2);  // one refresh, not five
  fetch.expires_at = At(clock.now + std::chrono::seconds(3600));
  fetch.Release("second");
  cache.Get("k", "d1", fetch.Fn(), [&](auto g) { got.push_back(TokenOf(g)); });
  CHECK(got.back() == "Bearer second");
  CHECK(fetch.runs == 2);
}

TEST_CASE("changed credentials are never served an authorization of the old ones") {
  FakeClock clock;
  CredentialCache cache(clock.Fn());
  HeldFetch fetch;
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  fetch.Release("old", "d1");
  std::string got;
  cache.Get("k", "d2", fetch.Fn(), [&](auto g) { got = TokenOf(g); });
  CHECK(fetch.runs == 2);
  fetch.Release("new", "d2");
  CHECK(got == "Bearer new");
}

TEST_CASE("a failed fetch answers every waiter and keeps nothing and Forget drops a grant") {
  FakeClock clock;
  CredentialCache cache(clock.Fn());
  int failures = 0;
  auto failing = [](CredentialCache::FetchDone done) {
    done(Status::Error(Code::kConnectionInactive, "refused"));
  };
  cache.Get("k", "d1", failing, [&](auto g) { failures += !g.ok(); });
  cache.Get("k", "d1", failing, [&](auto g) { failures += !g.ok(); });
  CHECK(failures == 2);
  CHECK(cache.size() == 0);
  CHECK(cache.fetches() == 2);

  HeldFetch fetch;
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  fetch.Release("one");
  cache.Forget("k");
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  CHECK(fetch.runs == 2);
}

TEST_CASE("an undated authorization is kept a while but an unreadable expiry is not") {
  FakeClock clock;
  CredentialCache cache(clock.Fn());
  HeldFetch fetch;
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  fetch.Release("key");
  clock.now += CredentialCache::kUndatedLifetime - CredentialCache::kRefreshAhead - std::chrono::seconds(1);
  cache.Get("k", "d1", fetch.Fn(), [](auto) {});
  CHECK(fetch.runs == 1);

  fetch.expires_at = "not a time";
  cache.Get("k2", "d1", fetch.Fn(), [](auto) {});
  fetch.Release("odd");
  cache.Get("k2", "d1", fetch.Fn(), [](auto) {});
  CHECK(fetch.runs == 3);
}

TEST_CASE("RFC 3339 times with offsets and fractions") {
  auto z = ParseRfc3339("2026-12-01T10:00:00Z");
  REQUIRE(z);
  CHECK(Clock::to_time_t(*z) == 1796119200);
  auto offset = ParseRfc3339("2026-12-01T12:00:00.123+02:00");
  REQUIRE(offset);
  CHECK(*offset == *z);
  for (const char* bad : {"", "2026-12-01", "2026-12-01T10:00:00", "2026-13-01T10:00:00Z", "2026-12-01T10:00:00Zx",
                          "2026-12-01T10:00:00+0200"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad));
  }
}
