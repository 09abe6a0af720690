#include "http/request_framing.hpp"

#include <boost/beast/core/string.hpp>

namespace switchboard::http {
namespace {

namespace beast_http = boost::beast::http;

boost::beast::string_view TrimOws(boost::beast::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

EdgeRefusal BadRequest(std::string detail) { return {400, "bad_request", std::move(detail)}; }

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

}  // namespace switchboard::http
