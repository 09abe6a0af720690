// Turns Microsoft's error answers into probe verdicts, following the identity platform's
// token-endpoint errors (branching on `error`, refined by the AADSTS code in
// `error_codes`) and Microsoft Graph's error codes.
#ifndef OUTLOOK_CLASSIFY_HPP
#define OUTLOOK_CLASSIFY_HPP

#include <string>
#include <vector>

#include <switchboard/probe.hpp>

namespace outlook {

// A non-200 answer of the token endpoint. Body: {"error", "error_description",
// "error_codes": [n], ...}. `secrets` are scrubbed from any provider text quoted.
switchboard::ProbeResult ClassifyTokenError(const switchboard::HttpResponse& response,
                                            const std::vector<std::string>& secrets);

// A non-200 answer of GET /me, other than the first 401 (which the probe retries with a
// fresh token). Body: {"error": {"code", "message", "innerError"}}.
switchboard::ProbeResult ClassifyGraphError(const switchboard::HttpResponse& response,
                                            const std::vector<std::string>& secrets);

}  // namespace outlook

#endif  // OUTLOOK_CLASSIFY_HPP
