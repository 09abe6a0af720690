// The four fake providers. Each registers its routes under its own path prefix, so one
// server can stand in for all of them (see README.md for the base URLs):
//   /openai/v1/models, /chat/completions        OpenAI
//   /trello/1/members/me[/boards], /tokens/{t}  Trello
//   /google/token, /google/calendar/v3/...      Google OAuth 2.0 and Calendar
//   /microsoft/{tenant}/oauth2/v2.0/token       Microsoft identity platform
//   /graph/v1.0/me[/...]                        Microsoft Graph
#pragma once

#include <httplib.h>

#include "fake_context.hpp"

namespace fakes {

void AddOpenAiRoutes(httplib::Server& server, FakeContext& context);
void AddTrelloRoutes(httplib::Server& server, FakeContext& context);
void AddGoogleRoutes(httplib::Server& server, FakeContext& context);
void AddMicrosoftRoutes(httplib::Server& server, FakeContext& context);

// Not providers: ANY /echo/{anything} answers the request it got as JSON
// (DescribeRequest); GET /_captured lists what the capture listener received (and the
// listener's origin), DELETE /_captured forgets it.
void AddEchoRoutes(httplib::Server& server);
void AddCapturedRoutes(httplib::Server& server, FakeContext& context);

// The capture listener, a second server where `redirect` credentials are sent: every
// request, any method and path, is recorded in context.captures() and answered 200.
void AddCaptureListenerRoutes(httplib::Server& capture_server, FakeContext& context);

// Request bodies over this are refused with 413 (by cpp-httplib).
constexpr size_t kMaxRequestBodyBytes = 8 * 1024 * 1024;

// All four providers, the echo and /_captured routes, GET /_stats (counters),
// DELETE /_stats (reset), and a webhook receiver (POST /_webhook keeps the body,
// GET /_webhook lists those received).
void AddAllRoutes(httplib::Server& server, FakeContext& context);

// The bearer token of an Authorization header, or "" when there is none.
std::string BearerToken(const httplib::Request& req);

bool EndsWith(const std::string& text, const std::string& suffix);

}  // namespace fakes
