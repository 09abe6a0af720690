#include "http/request_framing.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace switchboard::http {
namespace {

namespace beast_http = boost::beast::http;

boost::beast::string_view TrimOws(boost::beast::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

EdgeRefusal BadRequest(std::string detail) { return {400, "bad_request", std::move(detail)}; }

bool IsParseError(const boost::beast::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category() &&
         ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message;
}

// Says which framing rule a request broke, without echoing it.
std::string ParseErrorDetail(const boost::beast::error_code& ec) {
  using beast_http::error;
  if (ec == error::bad_content_length) return "the Content-Length is not valid or conflicts with another header";
  if (ec == error::bad_transfer_encoding) return "the Transfer-Encoding is not valid or conflicts with Content-Length";
  if (ec == error::bad_field) return "a header field name is not valid (no space may precede the colon)";
  if (ec == error::bad_value) return "a header field value is not valid";
  if (ec == error::bad_chunk || ec == error::bad_chunk_extension) return "the chunked body is malformed";
  if (ec == error::bad_line_ending) return "lines must end with CRLF";
  if (ec == error::bad_method || ec == error::bad_target || ec == error::bad_version) {
    return "the request line is not valid";
  }
  return "the request could not be parsed";
}

}  // namespace

std::optional<EdgeRefusal> CheckRequestHeader(const beast_http::request_header<>& header, size_t max_fields) {
  size_t fields = 0, hosts = 0, transfer_encodings = 0;
  bool chunked_only = true;
  for (const auto& field : header) {
    ++fields;
    if (field.name() == beast_http::field::host) ++hosts;
    if (field.name() == beast_http::field::transfer_encoding) {
      ++transfer_encodings;
      chunked_only = chunked_only && boost::beast::iequals(TrimOws(field.value()), "chunked");
    }
  }
  if (fields > max_fields) {
    return EdgeRefusal{431, "headers_too_large",
                       "the request has more than " + std::to_string(max_fields) + " header fields"};
  }
  if (header.version() != 11 && header.version() != 10) return BadRequest("only HTTP/1.0 and HTTP/1.1 are served");
  // RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request without exactly one Host.
  if (hosts > 1) return BadRequest("the request has more than one Host header");
  if (hosts == 0 && header.version() == 11) return BadRequest("an HTTP/1.1 request needs a Host header");
  // RFC 9112 6.1: the only coding a request body may arrive in here is chunked, once.
  if (transfer_encodings > 1) return BadRequest("the request has more than one Transfer-Encoding header");
  if (transfer_encodings == 1 && !chunked_only) return BadRequest("the only Transfer-Encoding accepted is chunked");
  if (transfer_encodings == 1 && header.version() == 10) {
    return BadRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request");
  }
  return std::nullopt;
}


std::optional<EdgeRefusal> RefusalForReadError(const boost::beast::error_code& ec, size_t max_header_bytes) {
  if (ec == beast_http::error::header_limit) {
    return EdgeRefusal{431, "headers_too_large",
                       "the request header is larger than " + std::to_string(max_header_bytes) + " bytes"};
  }
  if (ec == beast_http::error::body_limit) {
    return EdgeRefusal{413, "body_too_large", "the request body is larger than the server accepts"};
  }
  if (IsParseError(ec)) return BadRequest(ParseErrorDetail(ec));
  return std::nullopt;
}

std::optional<EdgeRefusal> ToHttpRequest(beast_http::request<beast_http::string_body>&& message,
                                         HttpRequest& request) {
  request.method = std::string(message.method_string());
  if (!ParseTarget(std::string(message.target()), request)) return BadRequest("the request target must be a path");
  request.headers.clear();
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return std::nullopt;
}

}  // namespace switchboard::http
