#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "common/rfc3339.hpp"
#include "service/connection_service.hpp"

using namespace switchboard;
using Clock = std::chrono::system_clock;

TEST_CASE("date-time: RFC 3339 accepted, near misses refused") {
  CHECK(IsRfc3339DateTime("2026-07-18T16:52:45Z"));
  CHECK(IsRfc3339DateTime("2026-07-18t16:52:45.250+02:00"));
  CHECK(IsRfc3339DateTime("2024-02-29T00:00:00Z"));
  CHECK(IsRfc3339DateTime("2026-12-31T23:59:60-11:30"));
  CHECK_FALSE(IsRfc3339DateTime("2026-02-29T00:00:00Z"));  // not a leap year
  CHECK_FALSE(IsRfc3339DateTime("2026-04-31T00:00:00Z"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18 16:52:45Z"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18T24:00:00Z"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18T16:52:45"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18T16:52:45.Z"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18T16:52:45+0200"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18T16:52:45Zjunk"));
  CHECK_FALSE(IsRfc3339DateTime("2026-07-18T16:52:45." + std::string(100000, '1')));
}

TEST_CASE("date-time: the instant read honours the offset and drops the fraction") {
  auto utc = ParseRfc3339("2026-12-01T10:00:00Z");
  REQUIRE(utc);
  CHECK(Clock::to_time_t(*utc) == 1796119200);
  CHECK(ParseRfc3339("2026-12-01T12:00:00.999+02:00") == utc);
  CHECK(ParseRfc3339("2026-12-01t06:30:00-03:30") == utc);
  CHECK(ParseRfc3339("2024-02-29T00:00:00Z"));
  CHECK_FALSE(ParseRfc3339("2026-12-01T10:00:00+24:00"));
}

TEST_CASE("date-time: a valid instant beyond the clock's range reads as far away, not as garbage") {
  auto far = ParseRfc3339("4474-12-01T22:00:00Z");  // past the nanosecond clock's year 2262
  REQUIRE(far);
  CHECK(*far > *ParseRfc3339("2100-01-01T00:00:00Z"));
  CHECK(*far - Clock::now() > std::chrono::hours(24 * 365 * 100));
  auto early = ParseRfc3339("0001-01-01T00:00:00Z");
  REQUIRE(early);
  CHECK(*early < *ParseRfc3339("1900-01-01T00:00:00Z"));
}

namespace {
// `at` written as the local time of a zone `offset_hours` from UTC.
std::string InZone(Clock::time_point at, int offset_hours) {
  const std::time_t local = Clock::to_time_t(at) + offset_hours * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:00", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_hours < 0 ? '-' : '+', std::abs(offset_hours));
  return text;
}
}  // namespace

TEST_CASE("the expiry warning reads an expiry written with an offset as the instant it names") {
  ConnectionRecord record;
  const auto now = Clock::now();
  // Seven days and an hour away, written at UTC-05:00: no warning yet (an expiry read as
  // if it were UTC would be five hours early, inside the seven days).
  record.expires_at = InZone(now + std::chrono::hours(24 * kExpiryWarningDays + 1), -5);
  CHECK_FALSE(ExpiryWarning(record));
  record.expires_at = InZone(now + std::chrono::hours(24 * kExpiryWarningDays - 1), +5);
  CHECK(ExpiryWarning(record));
  record.expires_at = "";
  CHECK_FALSE(ExpiryWarning(record));
}
