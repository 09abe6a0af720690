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
