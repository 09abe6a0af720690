#include "api/metrics.hpp"

#include <sstream>

namespace switchboard::api {
namespace {

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

void Metrics::Record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::RecordProbe(const std::string& provider, const std::string& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++probes_[{provider, outcome}];
}

std::string Metrics::Render(const std::map<std::string, int64_t>& connections_by_status) const {
  std::ostringstream out;
  out << "# HELP switchboard_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE switchboard_http_requests_total counter\n";
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out << "switchboard_http_requests_total{method=\"" << method << "\",route=\"" << Escape(route)
        << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP switchboard_http_request_duration_seconds HTTP request latency by route.\n"
      << "# TYPE switchboard_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const std::string labels = "method=\"" + key.first + "\",route=\"" + Escape(key.second) + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "switchboard_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << h.counts[i] << "\n";
    }
    out << "switchboard_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n"
        << "switchboard_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n"
        << "switchboard_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  out << "# HELP switchboard_probes_total Credential probes by provider and outcome.\n"
      << "# TYPE switchboard_probes_total counter\n";
  for (const auto& [key, count] : probes_) {
    out << "switchboard_probes_total{provider=\"" << Escape(key.first) << "\",outcome=\"" << Escape(key.second)
        << "\"} " << count << "\n";
  }
  out << "# HELP switchboard_connections Connections by status.\n"
      << "# TYPE switchboard_connections gauge\n";
  for (const auto& [status, count] : connections_by_status) {
    out << "switchboard_connections{status=\"" << Escape(status) << "\"} " << count << "\n";
  }
  return out.str();
}

}  // namespace switchboard::api
