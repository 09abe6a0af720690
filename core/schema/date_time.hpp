// The JSON Schema "date-time" format (RFC 3339 section 5.6), checked by hand in one pass
// instead of valijson's std::regex, whose recursion a long value could overflow.
#pragma once

#include <string_view>

namespace switchboard {

// e.g. 2026-07-18T16:52:45Z, 2026-07-18t16:52:45.25+02:00; the day must exist in its
// month (29 February only in a leap year).
bool IsRfc3339DateTime(std::string_view text);

}  // namespace switchboard
