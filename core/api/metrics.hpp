// Request counters and a latency histogram per route, in Prometheus text format.
// Thread-safe.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>

namespace switchboard::api {

class Metrics {
 public:
  // `route` is the route pattern (e.g. "/v1/projects/{p}/connections"), never a raw path,
  // so the number of series stays bounded.
  void Record(const std::string& method, const std::string& route, int status, double seconds);

  // One finished credential probe (provider ids and outcomes are few, so series stay bounded).
  void RecordProbe(const std::string& provider, const std::string& outcome);

  // The exposition text, with connections_by_status added as a gauge.
  std::string Render(const std::map<std::string, int64_t>& connections_by_status) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // guarded by mutex_
  std::map<std::pair<std::string, std::string>, Histogram> latency_;         // guarded by mutex_
  std::map<std::pair<std::string, std::string>, uint64_t> probes_;           // guarded by mutex_
};

}  // namespace switchboard::api
