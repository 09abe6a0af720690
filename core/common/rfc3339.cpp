#include "common/rfc3339.hpp"

#include <algorithm>
#include <ctime>

namespace switchboard {
namespace {

// Reads `count` digits at text[at] into *value; false when they are not all digits.
bool Digits(std::string_view text, size_t at, size_t count, int* value) {
  if (at + count > text.size()) return false;
  *value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    *value = *value * 10 + (text[i] - '0');
  }
  return true;
}

int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view t) {
  int year, month, day, hour, minute, second;
  if (!Digits(t, 0, 4, &year) || t.size() < 19 || t[4] != '-' || !Digits(t, 5, 2, &month) || t[7] != '-' ||
      !Digits(t, 8, 2, &day) || (t[10] != 'T' && t[10] != 't') || !Digits(t, 11, 2, &hour) || t[13] != ':' ||
      !Digits(t, 14, 2, &minute) || t[16] != ':' || !Digits(t, 17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysIn(year, month)) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: a leap second
  size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    size_t start = ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  long offset_seconds = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    if (i + 1 != t.size()) return std::nullopt;
  } else {
    int offset_hour, offset_minute;
    if (i >= t.size() || (t[i] != '+' && t[i] != '-')) return std::nullopt;
    if (!Digits(t, i + 1, 2, &offset_hour) || i + 3 >= t.size() || t[i + 3] != ':' ||
        !Digits(t, i + 4, 2, &offset_minute) || offset_hour > 23 || offset_minute > 59 || i + 6 != t.size()) {
      return std::nullopt;
    }
    offset_seconds = (t[i] == '-' ? -1L : 1L) * (offset_hour * 3600L + offset_minute * 60L);
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  // The clock counts nanoseconds from 1970 and holds only about 292 years either way: an
  // instant further than kFarthest (valid, e.g. year 4474) reads as kFarthest, which
  // still leaves room for the arithmetic callers do on it.
  constexpr long long kFarthest = 200LL * 366 * 24 * 3600;
  const long long seconds = std::clamp<long long>(static_cast<long long>(timegm(&tm)) - offset_seconds, -kFarthest,
                                                  kFarthest);
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace switchboard
