#include "fake_context.hpp"

#include <chrono>
#include <thread>

namespace fakes {

void Stats::Count(const std::string& provider, const std::string& endpoint,
                  const std::string& credential) {
  std::lock_guard lock(mutex_);
  ++total_;
  ProviderCounts& counts = providers_[provider];
  ++counts.requests;
  ++counts.by_endpoint[endpoint];
  ++counts.by_credential[credential.empty() ? "(none)" : credential];
}

void Stats::Enter() {
  int now = ++in_flight_;
  int peak = max_in_flight_.load();
  while (now > peak && !max_in_flight_.compare_exchange_weak(peak, now)) {
  }
}

void Stats::Leave() { --in_flight_; }

Json Stats::ToJson() const {
  std::lock_guard lock(mutex_);
  Json providers = Json::object();
  for (const auto& [name, counts] : providers_) {
    providers[name] = {{"requests", counts.requests},
                       {"by_endpoint", counts.by_endpoint},
                       {"by_credential", counts.by_credential}};
  }
  return {{"total", total_},
          {"in_flight", in_flight_.load()},
          {"max_in_flight", max_in_flight_.load()},
          {"providers", providers}};
}

void Stats::Reset() {
  std::lock_guard lock(mutex_);
  total_ = 0;
  providers_.clear();
  max_in_flight_ = in_flight_.load();
}

void FakeContext::Delay(const CredentialMode& mode) const {
  int ms = options_.latency_ms + mode.slow_ms.value_or(0);
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

httplib::Server::Handler FakeContext::Tracked(httplib::Server::Handler handler) {
  return [this, handler = std::move(handler)](const httplib::Request& req,
                                              httplib::Response& res) {
    stats_.Enter();
    try {
      handler(req, res);
    } catch (...) {
      stats_.Leave();
      throw;
    }
    stats_.Leave();
  };
}

void FakeContext::Get(httplib::Server& server, const std::string& pattern,
                      httplib::Server::Handler handler) {
  server.Get(pattern, Tracked(std::move(handler)));
}

void FakeContext::Post(httplib::Server& server, const std::string& pattern,
                       httplib::Server::Handler handler) {
  server.Post(pattern, Tracked(std::move(handler)));
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

}  // namespace fakes
