// RFC 3339 date-times (section 5.6, the JSON Schema "date-time" format): one reader for
// every place that checks or compares them (field values, a grant's expiry, a cached
// authorization's lifetime, a connection's expiry warning), in one pass by hand instead
// of valijson's std::regex, whose recursion a long value could overflow.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace switchboard {

// e.g. 2026-07-18T16:52:45Z, 2026-07-18t16:52:45.25+02:00 -> the instant it names (the
// fraction dropped); nullopt for anything else. The day must exist in its month (29
// February only in a leap year); a leap second reads as the next second; an instant more
// than 200 years from 1970 reads as 200 years away.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

inline bool IsRfc3339DateTime(std::string_view text) { return ParseRfc3339(text).has_value(); }

}  // namespace switchboard
