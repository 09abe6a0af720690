// Scheduled probes: every connection is probed once per interval, at a jittered time so
// probes spread out instead of arriving together, never twice at once, and backing off
// after transient failures (honouring the provider's Retry-After).
//
// The schedule lives in memory: on start every connection gets a random first time
// within one interval; connections created later are picked up by a periodic rescan.
// An unverified connection (stored before any probe judged it) gets its first time
// within the first back-off instead, so it is not left unverified for an hour.
// THREADS: Start/Stop from one thread; the rest is internal.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "probe/probe_service.hpp"
#include "model/records.hpp"

namespace switchboard {
class Store;
}  // namespace switchboard

namespace switchboard::probe {

struct ScheduleOptions {
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  double jitter = 0.1;  // each next time is interval × (1 ± jitter)
  std::chrono::milliseconds first_backoff{std::chrono::seconds(30)};
  std::chrono::milliseconds rescan{std::chrono::seconds(60)};  // pick up new connections
};

class ProbeScheduler {
 public:
  using Clock = std::chrono::steady_clock;

  ProbeScheduler(Store& store, ProbeService& probes, ScheduleOptions options);
  ~ProbeScheduler();
  ProbeScheduler(const ProbeScheduler&) = delete;
  ProbeScheduler& operator=(const ProbeScheduler&) = delete;

  void Start();
  void Stop();

  // How long to wait before the next probe after `failures` transient failures in a row.
  static std::chrono::milliseconds Backoff(const ScheduleOptions& options, int failures,
                                           std::optional<double> retry_after_seconds);

 private:
  struct Entry {
    std::string project;
    std::string id;
    int failures = 0;
    bool running = false;
    Clock::time_point due;
  };

  void Loop();
  void Rescan();
  void Launch(const std::string& key);
  void Finished(const std::string& key, const Result<ProbeReport>& report);
  Clock::duration Jittered(Clock::duration base);

  Store& store_;
  ProbeService& probes_;
  const ScheduleOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, Entry> entries_;
  std::set<std::pair<Clock::time_point, std::string>> queue_;  // (due, key)
  std::mt19937_64 random_{std::random_device{}()};
  std::thread thread_;
};

}  // namespace switchboard::probe
