#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "probe/concurrency_limiter.hpp"

using switchboard::probe::ConcurrencyLimiter;

namespace {

// Submits `count` tasks per key that each hold their slot for a few milliseconds, and
// records the most that ran at once, overall and per key.
struct Trial {
  boost::asio::io_context io;
  std::mutex mutex;
  int running = 0, peak = 0;
  std::map<std::string, int> running_by_key, peak_by_key;
  std::atomic<int> finished{0};

  void Run(ConcurrencyLimiter& limiter, const std::vector<std::string>& keys, int count) {
    for (int i = 0; i < count; ++i) {
      for (const auto& key : keys) {
        limiter.Submit(key, [this, key](ConcurrencyLimiter::Release release) {
          {
            std::lock_guard<std::mutex> lock(mutex);
            peak = std::max(peak, ++running);
            peak_by_key[key] = std::max(peak_by_key[key], ++running_by_key[key]);
          }
          auto timer = std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(2));
          timer->async_wait([this, key, timer, release](const boost::system::error_code&) {
            {
              std::lock_guard<std::mutex> lock(mutex);
              --running;
              --running_by_key[key];
            }
            ++finished;
            release();
            release();  // a second release must be harmless
          });
        });
      }
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) threads.emplace_back([this] { io.run(); });
    for (auto& t : threads) t.join();
  }
};

}  // namespace

TEST_CASE("the limiter never runs more than the global limit and runs every task") {
  Trial trial;
  ConcurrencyLimiter limiter(trial.io, 5, 100);
  trial.Run(limiter, {"a", "b", "c"}, 40);
  CHECK(trial.finished == 120);
  CHECK(trial.peak <= 5);
  CHECK(trial.peak == 5);  // and does use the room it has
  CHECK(limiter.running() == 0);
  CHECK(limiter.queued() == 0);
}

TEST_CASE("the limiter keeps one key under its own limit while others use the rest") {
  Trial trial;
  ConcurrencyLimiter limiter(trial.io, 8, 2);
  trial.Run(limiter, {"busy", "other1", "other2"}, 30);
  CHECK(trial.finished == 90);
  for (const auto& [key, peak] : trial.peak_by_key) {
    INFO(key);
    CHECK(peak <= 2);
  }
  CHECK(trial.peak <= 6);
}

TEST_CASE("a queued key is not starved by a key that keeps submitting") {
  boost::asio::io_context io;
  ConcurrencyLimiter limiter(io, 1, 1);
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    limiter.Submit("a", [&order](ConcurrencyLimiter::Release release) {
      order.push_back("a");
      release();
    });
  }
  limiter.Submit("b", [&order](ConcurrencyLimiter::Release release) {
    order.push_back("b");
    release();
  });
  io.run();
  REQUIRE(order.size() == 4);
  // Round robin: b runs before a's queue is drained.
  CHECK(std::find(order.begin(), order.end(), "b") - order.begin() < 3);
}
