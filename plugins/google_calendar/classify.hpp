// Turns Google's error answers into probe verdicts, following the classification tables
// of Google's OAuth token endpoint and the Calendar API error guide.
#ifndef GOOGLE_CALENDAR_CLASSIFY_HPP
#define GOOGLE_CALENDAR_CLASSIFY_HPP

#include <string>
#include <vector>

#include <switchboard/probe.hpp>

namespace google_calendar {

// A non-200 answer of the token endpoint. Body: {"error", "error_description",
// "error_subtype"}. `secrets` are scrubbed from any provider text quoted in the message.
switchboard::ProbeResult ClassifyTokenError(const switchboard::HttpResponse& response,
                                            const std::vector<std::string>& secrets);

// A non-200 answer of calendarList.list, other than the first 401 (which the probe
// retries with a fresh token). Body: {"error": {"code", "message", "errors": [{"reason"}],
// "status", "details": [{"reason"}]}}.
switchboard::ProbeResult ClassifyApiError(const switchboard::HttpResponse& response,
                                          const std::vector<std::string>& secrets);

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_CLASSIFY_HPP
