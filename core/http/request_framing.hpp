// The request-header rules the HTTP edge adds to Boost.Beast's parser (1.74). Beast
// already refuses Content-Length with Transfer-Encoding, differing or malformed
// Content-Lengths ("+36", "1,2"), a second Transfer-Encoding after chunked, whitespace
// before a field's colon, and bad request lines, chunk sizes and line endings. It does
// not count fields, look at Host, or refuse a transfer coding other than a single
// "chunked" (it treats "Transfer-Encoding: gzip" as no body at all, which is how a
// request is smuggled past a proxy that reads it differently).
#pragma once

#include <optional>
#include <string>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_message.hpp"

namespace switchboard::http {

struct EdgeRefusal {
  int status = 400;
  std::string code;    // a stable problem code
  std::string detail;  // says which rule, never echoes the request
};

// nullopt when `header` may be read on; otherwise why not.
std::optional<EdgeRefusal> CheckRequestHeader(const boost::beast::http::request_header<>& header,
                                              size_t max_fields);

// What to answer when Beast's parser stops with `ec`: a refusal for a request that broke
// a limit or a framing rule; nullopt for an error that is not the request's (the client
// left, a deadline passed), after which the connection only closes.
std::optional<EdgeRefusal> RefusalForReadError(const boost::beast::error_code& ec, size_t max_header_bytes);

// The request a route handler sees, from a parsed message; a refusal when its target is
// not one the routes can be given.
std::optional<EdgeRefusal> ToHttpRequest(boost::beast::http::request<boost::beast::http::string_body>&& message,
                                         HttpRequest& request);

}  // namespace switchboard::http
