// Raw bytes from a client, read by the HTTP edge's parser (core/http): Boost.Beast's
// request parser under the host's default limits, the edge's header rules
// (CheckRequestHeader), then the conversion to the request a route sees (ToHttpRequest).
// Requests are read one after another from the same bytes, as a pipelined connection
// reads them, until one is refused or the bytes run out.
//
// Invariants: a refusal has a status of 400, 413 or 431, a stable code and a detail
// (fixed text: it never echoes the request); an accepted request has a method, a path starting with "/"
// and free of NUL, at most the field limit of headers and a body within the body limit;
// the parser never consumes more than it is given.
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/request_framing.hpp"
#include "support/fuzz_check.hpp"

namespace {

namespace bhttp = boost::beast::http;
using switchboard::http::EdgeRefusal;

// The host's defaults (ServerOptions): --max-header-bytes, --max-headers, --max-body
// (smaller here, so a body over the limit is within reach of the fuzzer's inputs).
constexpr size_t kMaxHeaderBytes = 16384;
constexpr size_t kMaxHeaderFields = 100;
constexpr size_t kMaxBody = 4096;

void CheckRefusal(const EdgeRefusal& refusal) {
  FUZZ_CHECK(refusal.status == 400 || refusal.status == 413 || refusal.status == 431,
             "a refusal is 400, 413 or 431, not " + std::to_string(refusal.status));
  FUZZ_CHECK(refusal.code == "bad_request" || refusal.code == "body_too_large" ||
                 refusal.code == "headers_too_large",
             "a refusal has a stable code, not " + refusal.code);
  FUZZ_CHECK(!refusal.detail.empty(), "a refusal says why");
}

void CheckRequest(const switchboard::http::HttpRequest& request) {
  FUZZ_CHECK(!request.method.empty(), "a request has a method");
  FUZZ_CHECK(!request.path.empty() && request.path[0] == '/', "a path starts with /");
  FUZZ_CHECK(request.path.find('\0') == std::string::npos, "a path has no NUL");
  FUZZ_CHECK(request.headers.size() <= kMaxHeaderFields, "no more headers than the limit");
  FUZZ_CHECK(request.body.size() <= kMaxBody, "no body over the limit");
}

// Reads one request from the front of `bytes`. False when nothing more can be read
// (refused, or the bytes ended inside a request); otherwise `bytes` moves past it.
bool ReadOneRequest(std::string_view& bytes) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(kMaxBody);
  parser.eager(true);
  boost::beast::error_code ec;
  bool header_checked = false;
  while (!parser.is_done()) {
    if (bytes.empty()) {  // the client closed: only a request without a length ends so
      parser.put_eof(ec);
      if (ec || !parser.is_done()) return false;
      break;
    }
    const size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    FUZZ_CHECK(used <= bytes.size(), "the parser consumed no more than it was given");
    bytes.remove_prefix(used);
    if (ec == bhttp::error::need_more) {
      // Beast reads a header only whole: having consumed nothing, it needs more bytes
      // than are left, and the client closed there.
      if (used == 0) {
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return false;
        break;
      }
      ec = {};
      continue;
    }
    if (ec) {
      auto refusal = switchboard::http::RefusalForReadError(ec, kMaxHeaderBytes);
      FUZZ_CHECK(refusal.has_value(), "a parse error of bytes in memory is the request's: " + ec.message());
      CheckRefusal(*refusal);
      return false;
    }
    if (parser.is_header_done() && !header_checked) {
      header_checked = true;
      if (auto refusal = switchboard::http::CheckRequestHeader(parser.get(), kMaxHeaderFields)) {
        CheckRefusal(*refusal);
        return false;
      }
    }
  }
  if (!header_checked) {
    if (auto refusal = switchboard::http::CheckRequestHeader(parser.get(), kMaxHeaderFields)) {
      CheckRefusal(*refusal);
      return false;
    }
  }
  switchboard::http::HttpRequest request;
  if (auto refusal = switchboard::http::ToHttpRequest(parser.release(), request)) {
    CheckRefusal(*refusal);
    return false;
  }
  CheckRequest(request);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (int requests = 0; requests < 64 && !bytes.empty(); ++requests) {
    if (!ReadOneRequest(bytes)) break;
  }
  return 0;
}
