#include "schema/date_time.hpp"

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

bool IsRfc3339DateTime(std::string_view t) {
  int year, month, day, hour, minute, second;
  if (!Digits(t, 0, 4, &year) || t.size() < 19 || t[4] != '-' || !Digits(t, 5, 2, &month) || t[7] != '-' ||
      !Digits(t, 8, 2, &day) || (t[10] != 'T' && t[10] != 't') || !Digits(t, 11, 2, &hour) || t[13] != ':' ||
      !Digits(t, 14, 2, &minute) || t[16] != ':' || !Digits(t, 17, 2, &second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;  // 60: a leap second
  size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    size_t start = ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) return i + 1 == t.size();
  int offset_hour, offset_minute;
  if (i >= t.size() || (t[i] != '+' && t[i] != '-')) return false;
  if (!Digits(t, i + 1, 2, &offset_hour) || i + 3 >= t.size() || t[i + 3] != ':' ||
      !Digits(t, i + 4, 2, &offset_minute)) {
    return false;
  }
  return offset_hour <= 23 && offset_minute <= 59 && i + 6 == t.size();
}

}  // namespace switchboard
