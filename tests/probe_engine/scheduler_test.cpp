#include <catch2/catch.hpp>

#include "probe/probe_scheduler.hpp"

using switchboard::probe::ProbeScheduler;
using switchboard::probe::ScheduleOptions;
using std::chrono::milliseconds;

TEST_CASE("transient failures back off exponentially, capped at the interval") {
  ScheduleOptions options;
  options.interval = milliseconds(600000);
  options.first_backoff = milliseconds(30000);
  CHECK(ProbeScheduler::Backoff(options, 1, std::nullopt) == milliseconds(30000));
  CHECK(ProbeScheduler::Backoff(options, 2, std::nullopt) == milliseconds(60000));
  CHECK(ProbeScheduler::Backoff(options, 3, std::nullopt) == milliseconds(120000));
  CHECK(ProbeScheduler::Backoff(options, 10, std::nullopt) == milliseconds(600000));
}

TEST_CASE("a provider's Retry-After is honoured when it asks for longer") {
  ScheduleOptions options;
  options.interval = milliseconds(600000);
  options.first_backoff = milliseconds(30000);
  CHECK(ProbeScheduler::Backoff(options, 1, 120.0) == milliseconds(120000));
  CHECK(ProbeScheduler::Backoff(options, 1, 5.0) == milliseconds(30000));
}

#include "probe_host_fixture.hpp"

namespace {

// Polls `condition` for up to `seconds`.
template <typename Condition>
bool Eventually(Condition condition, int seconds = 10) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace

TEST_CASE("scheduled probes reach every connection, including ones created later, and repeat") {
  probe_engine_test::ProbeHost host;
  std::vector<std::string> ids = {host.Create("a", probe_engine_test::kGoodKey),
                                  host.Create("b", probe_engine_test::kRevokedKey)};
  ScheduleOptions options;
  options.interval = milliseconds(300);
  options.rescan = milliseconds(100);
  options.first_backoff = milliseconds(100);
  ProbeScheduler scheduler(*host.store, *host.service, options);
  scheduler.Start();
  ids.push_back(host.Create("c", probe_engine_test::kGoodKey));
  CHECK(Eventually([&] {
    for (const auto& id : ids) {
      auto row = host.store->GetConnection("p", id);
      if (!row.ok() || row->record.checked_at.empty()) return false;
    }
    return true;
  }));
  CHECK(host.store->GetConnection("p", ids[1])->record.status == "inactive");
  const int after_first_round = host.openai.requests;
  CHECK(Eventually([&] { return host.openai.requests >= after_first_round + 3; }));
  scheduler.Stop();
}

TEST_CASE("a connection is never probed twice at once, even when probes are slower than the interval") {
  probe_engine_test::ProbeHost host;
  host.Create("slow", probe_engine_test::kGoodKey);
  host.openai.delay_ms = 300;
  ScheduleOptions options;
  options.interval = milliseconds(50);
  options.rescan = milliseconds(50);
  ProbeScheduler scheduler(*host.store, *host.service, options);
  scheduler.Start();
  CHECK(Eventually([&] { return host.openai.requests >= 3; }));
  scheduler.Stop();
  CHECK(host.openai.peak_in_flight == 1);
}
