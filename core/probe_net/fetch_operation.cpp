#include "probe_net/fetch_operation.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>

#include <switchboard/text_util.hpp>

namespace switchboard::probe {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

constexpr uint32_t kHeaderLimit = 64 * 1024;

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidHeader(const std::string& name, const std::string& value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) return false;
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Headers the client writes itself; a caller's copy would contradict the framing.
bool IsClientOwnedHeader(const std::string& lower_name) {
  return lower_name == "host" || lower_name == "content-length" ||
         lower_name == "transfer-encoding" || lower_name == "connection";
}

bool IsCredentialHeader(const std::string& lower_name) {
  return lower_name == "authorization" || lower_name == "proxy-authorization" ||
         lower_name == "cookie";
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string TlsFailure(SSL* ssl, const boost::system::error_code& ec) {
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return std::string("certificate rejected: ") + X509_verify_cert_error_string(verify);
  }
  return ec.message();
}

}  // namespace

FetchOperation::FetchOperation(asio::io_context& io, std::shared_ptr<const HttpClient::Shared> shared,
                               HttpRequest request, std::function<void(FetchResult)> done)
    : shared_(std::move(shared)),
      options_(shared_->options),
      io_(io),
      strand_(asio::make_strand(io)),
      resolver_(strand_),
      deadline_(strand_),
      request_(std::move(request)),
      done_(std::move(done)) {}

void FetchOperation::Start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->Begin(); });
}

void FetchOperation::Begin() {
  auto url = ParseUrl(request_.url);
  if (!url) return Fail("bad_url", url.status().message());
  for (const auto& [name, value] : request_.headers) {
    if (!IsValidHeader(name, value)) {
      return Fail("bad_request", "header \"" + name + "\" has an invalid name or value");
    }
  }
  deadline_.expires_after(options_.timeout);
  deadline_.async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->OnDeadline();
  });
  StartHop(std::move(*url));
}

void FetchOperation::OnDeadline() {
  if (finished_) return;
  Fail("timeout", "no complete answer from " + url_.Authority() + " within " +
                      std::to_string(options_.timeout.count()) + " ms");
}

void FetchOperation::StartHop(Url url) {
  url_ = std::move(url);
  buffer_.clear();
  parser_.reset();
  // A pooled connection was checked against the egress policy (and its certificate
  // verified) for this very scheme, host and port when it was opened; the policy does
  // not change while the client runs.
  connection_ = shared_->pool->Take(Origin());
  reused_ = connection_ != nullptr;
  if (reused_) return SendRequest();
  Connect();
}

std::string FetchOperation::Origin() const { return url_.scheme + "://" + url_.Authority(); }

void FetchOperation::Connect() {
  // An address literal needs no resolver; this also keeps the resolver's single
  // background thread free for the names that do.
  error_code literal_error;
  auto literal = asio::ip::make_address(url_.host, literal_error);
  if (!literal_error) {
    ConnectTo({tcp::endpoint(literal, url_.port)});
    return;
  }
  resolver_.async_resolve(url_.host, std::to_string(url_.port), tcp::resolver::numeric_service,
                          OnStrand(beast::bind_front_handler(&FetchOperation::OnResolved,
                                                             shared_from_this())));
}

void FetchOperation::OnResolved(error_code ec, tcp::resolver::results_type results) {
  if (finished_) return;
  if (ec) return Fail("dns", "cannot resolve " + url_.host + ": " + ec.message());
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  ConnectTo(std::move(endpoints));
}

void FetchOperation::ConnectTo(std::vector<tcp::endpoint> endpoints) {
  // The policy judges the very addresses handed to connect(), so a name cannot resolve
  // to a public address for a check and to an internal one for the connection.
  std::vector<tcp::endpoint> allowed;
  std::string refusal;
  for (const auto& endpoint : endpoints) {
    if (options_.egress.Allows(endpoint.address())) {
      allowed.push_back(endpoint);
    } else if (refusal.empty()) {
      refusal = options_.egress.Describe(endpoint.address());
    }
  }
  if (allowed.empty()) {
    if (refusal.empty()) return Fail("dns", url_.host + " has no addresses");
    return Fail(FetchError::kEgressRefused, "refused to connect to " + url_.Authority() + ": " + refusal);
  }
  connection_ = std::make_unique<HttpConnection>();
  if (url_.https()) {
    connection_->tls.emplace(io_.get_executor(), *shared_->tls);
  } else {
    connection_->plain.emplace(io_.get_executor());
  }
  connection_->Lowest().async_connect(
      allowed, OnStrand(beast::bind_front_handler(&FetchOperation::OnConnected, shared_from_this())));
}

void FetchOperation::OnConnected(error_code ec, const tcp::endpoint&) {
  if (finished_) return;
  if (ec) return Fail("connect", "cannot connect to " + url_.Authority() + ": " + ec.message());
  error_code ignored;
  connection_->Lowest().socket().set_option(tcp::no_delay(true), ignored);
  auto& tls = connection_->tls;
  if (!tls) return SendRequest();

  error_code not_literal;
  asio::ip::make_address(url_.host, not_literal);
  if (not_literal) {
    SSL_set_tlsext_host_name(tls->native_handle(), url_.host.c_str());  // SNI is for names only
  }
  if (options_.verify_tls) {
    tls->set_verify_callback(asio::ssl::host_name_verification(url_.host));
  }
  tls->async_handshake(asio::ssl::stream_base::client,
                       OnStrand(beast::bind_front_handler(&FetchOperation::OnHandshake,
                                                          shared_from_this())));
}

void FetchOperation::OnHandshake(error_code ec) {
  if (finished_) return;
  if (ec) {
    return Fail("tls", "TLS with " + url_.Authority() + " failed: " +
                           TlsFailure(connection_->tls->native_handle(), ec));
  }
  SendRequest();
}

void FetchOperation::SendRequest() {
  wire_request_ = {};
  wire_request_.version(11);
  http::verb verb = http::string_to_verb(request_.method);
  if (verb == http::verb::unknown) {
    wire_request_.method_string(request_.method);
  } else {
    wire_request_.method(verb);
  }
  wire_request_.target(url_.target);
  wire_request_.set(http::field::host, url_.HostHeader());
  wire_request_.set(http::field::user_agent, "switchboard");
  for (const auto& [name, value] : request_.headers) {
    if (!IsClientOwnedHeader(Lower(name))) wire_request_.set(name, value);
  }
  // No Connection header: HTTP/1.1 keeps the connection open unless either side says
  // otherwise, and the answer decides whether it is pooled.
  wire_request_.body() = {request_.body.data(), request_.body.size()};
  wire_request_.prepare_payload();

  auto handler = OnStrand(beast::bind_front_handler(&FetchOperation::OnWritten, shared_from_this()));
  if (connection_->tls) {
    http::async_write(*connection_->tls, wire_request_, std::move(handler));
  } else {
    http::async_write(*connection_->plain, wire_request_, std::move(handler));
  }
}

void FetchOperation::OnWritten(error_code ec, std::size_t) {
  if (finished_) return;
  if (ec) {
    if (RetryOnNewConnection()) return;
    return Fail("protocol", "the connection to " + url_.Authority() + " broke while sending: " +
                                ec.message());
  }
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(options_.max_response_bytes);
  if (wire_request_.method() == http::verb::head) parser_->skip(true);

  // The header first, on its own: Beast 1.74 forgets a Content-Length over body_limit
  // when the body arrives in the same read, so the length is checked here by hand.
  auto handler = OnStrand(beast::bind_front_handler(&FetchOperation::OnHeader, shared_from_this()));
  if (connection_->tls) {
    http::async_read_header(*connection_->tls, buffer_, *parser_, std::move(handler));
  } else {
    http::async_read_header(*connection_->plain, buffer_, *parser_, std::move(handler));
  }
}

void FetchOperation::OnHeader(error_code ec, std::size_t) {
  if (finished_) return;
  if (ec) {
    // Nothing at all came back: a reused connection the server closed while it was idle.
    if (!parser_->got_some() && buffer_.size() == 0 && RetryOnNewConnection()) return;
    return FailRead(ec);
  }
  reused_ = false;  // an answer is arriving: from here on, failures are the server's
  auto length = parser_->content_length();
  if (length && *length > options_.max_response_bytes) return FailRead(http::error::body_limit);
  if (parser_->is_done()) return OnRead({}, 0);
  auto handler = OnStrand(beast::bind_front_handler(&FetchOperation::OnRead, shared_from_this()));
  if (connection_->tls) {
    http::async_read(*connection_->tls, buffer_, *parser_, std::move(handler));
  } else {
    http::async_read(*connection_->plain, buffer_, *parser_, std::move(handler));
  }
}

void FetchOperation::FailRead(error_code ec) {
  if (ec == http::error::body_limit) {
    return Fail("response_too_large", "the answer from " + url_.Authority() + " exceeds " +
                                          std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (ec == http::error::header_limit) {
    return Fail("response_too_large", "the headers from " + url_.Authority() + " exceed " +
                                          std::to_string(kHeaderLimit) + " bytes");
  }
  Fail("protocol", "no valid HTTP answer from " + url_.Authority() + ": " + ec.message());
}

void FetchOperation::OnRead(error_code ec, std::size_t) {
  if (finished_) return;
  // Servers often close TLS without close_notify; for a body that ends at the close,
  // that close is the end of the body.
  if (ec == asio::ssl::error::stream_truncated && parser_->is_header_done() && parser_->need_eof()) {
    parser_->put_eof(ec);
  }
  if (ec) return FailRead(ec);
  // Reusable only when the answer ended by its framing, not by the close, and the server
  // sent nothing beyond it.
  ParkOrCloseConnection(parser_->is_done() && parser_->keep_alive() && buffer_.size() == 0);
  auto message = parser_->release();

  int status = static_cast<int>(message.result_int());
  auto location = message.find(http::field::location);
  if (options_.follow_redirects && IsRedirect(status) && location != message.end()) {
    return FollowRedirect(std::string(location->value()), status);
  }

  HttpResponse response;
  response.status = status;
  for (const auto& field : message) {
    std::string name = Lower(std::string(field.name_string()));
    auto [it, inserted] = response.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  response.body = std::move(message.body());
  Succeed(std::move(response));
}

void FetchOperation::FollowRedirect(const std::string& location, int status) {
  if (redirects_ >= options_.max_redirects) {
    return Fail("too_many_redirects", "more than " + std::to_string(options_.max_redirects) +
                                   " redirects, the last from " + url_.Authority());
  }
  auto next = ResolveLocation(url_, location);
  if (!next) {
    return Fail("bad_url", "redirect from " + url_.Authority() + ": " + next.status().message());
  }
  ++redirects_;

  bool to_get = (status == 303 && request_.method != "HEAD") ||
                ((status == 301 || status == 302) && request_.method == "POST");
  if (to_get) {
    request_.method = "GET";
    request_.body.clear();
    for (auto it = request_.headers.begin(); it != request_.headers.end();) {
      it = Lower(it->first) == "content-type" ? request_.headers.erase(it) : std::next(it);
    }
  }
  if (!next->SameOrigin(url_)) {
    for (auto it = request_.headers.begin(); it != request_.headers.end();) {
      it = IsCredentialHeader(Lower(it->first)) ? request_.headers.erase(it) : std::next(it);
    }
  }
  StartHop(std::move(*next));
}

bool FetchOperation::RetryOnNewConnection() {
  if (!reused_) return false;
  // Once per hop: the new connection is not reused_, so its failures are reported.
  CloseConnection();
  connection_.reset();  // the failed call has completed; nothing refers to it any more
  reused_ = false;
  buffer_.clear();
  parser_.reset();
  Connect();
  return true;
}

void FetchOperation::ParkOrCloseConnection(bool reusable) {
  // Called once the answer is complete, so no call is pending on the connection.
  if (reusable && options_.max_idle_per_origin > 0) {
    shared_->pool->Put(Origin(), std::move(connection_));
  } else {
    CloseConnection();
    connection_.reset();
  }
}

void FetchOperation::CloseConnection() {
  // Only closed, never destroyed, here: pending operations still refer to the stream.
  error_code ignored;
  if (connection_) connection_->Lowest().socket().close(ignored);
}

void FetchOperation::Fail(std::string code, std::string message) {
  Finish(FetchError{std::move(code), std::move(message)});
}

void FetchOperation::Succeed(HttpResponse response) { Finish(std::move(response)); }

void FetchOperation::Finish(FetchResult result) {
  if (finished_) return;
  finished_ = true;
  deadline_.cancel();
  resolver_.cancel();
  CloseConnection();
  auto done = std::move(done_);
  done_ = nullptr;
  done(std::move(result));
}

}  // namespace switchboard::probe
