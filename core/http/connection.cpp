#include "http/connection.hpp"

#include <atomic>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/request_framing.hpp"

namespace switchboard::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kLingerTime{1};
constexpr size_t kLingerBytes = 16 << 20;
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

bool NoBodyAllowed(int status) { return status / 100 == 1 || status == 204 || status == 304; }

}  // namespace

Connection::Connection(tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
  beast::error_code ignored;
  stream_.socket().set_option(tcp::no_delay(true), ignored);
}

void Connection::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void Connection::Refuse() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    HttpResponse response = self->state_->problem(503, "busy", "the server has too many connections open; retry later");
    response.set_header("Retry-After", "1");
    self->Send(std::move(response), /*close_after=*/true);
  });
}

void Connection::OnServerStopping() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kWaiting) self->stream_.cancel();  // its read ends; it closes
  });
}

bool Connection::Stopping() { return state_->stopping.load(); }

// Waits for a request's first byte under the idle deadline (the header deadline for a
// connection's first request), so that the header deadline runs from the first byte.
void Connection::WaitForRequest() {
  if (buffer_.size() > 0) return ReadHeader();  // pipelined: already here
  if (Stopping()) return Close();
  phase_ = Phase::kWaiting;
  stream_.expires_after(first_request_ ? state_->options.header_timeout : state_->options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->buffer_.commit(n);
    if (ec || n == 0) return self->Close();
    self->ReadHeader();
  });
}

void Connection::ReadHeader() {
  phase_ = Phase::kReading;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  parser_->body_limit(state_->options.max_body);
  stream_.expires_after(state_->options.header_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(beast::error_code ec) {
  if (auto refusal = RefusalForReadError(ec, state_->options.max_header_bytes)) return Fail(*refusal);
  if (ec) return Close();  // the client left, or the header deadline passed
  const auto& header = parser_->get();
  version_ = header.version();
  head_ = header.method() == bhttp::verb::head;
  keep_alive_ = header.keep_alive();
  if (auto refusal = CheckRequestHeader(header, state_->options.max_header_fields)) return Fail(*refusal);
  if (!parser_->is_done() && version_ == 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    stream_.expires_after(state_->options.write_timeout);
    return net::async_write(stream_, net::buffer(kContinue, sizeof kContinue - 1),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->ReadBody();
                            });
  }
  ReadBody();
}

void Connection::ReadBody() {
  if (parser_->is_done()) return Dispatch();
  stream_.expires_after(state_->options.body_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
}

void Connection::OnBody(beast::error_code ec) {
  if (auto refusal = RefusalForReadError(ec, state_->options.max_header_bytes)) return Fail(*refusal);
  if (ec) return Close();  // the client left, or the body deadline passed
  Dispatch();
}

void Connection::Dispatch() {
  phase_ = Phase::kHandling;
  stream_.expires_never();
  auto message = parser_->release();
  parser_.reset();
  HttpRequest request;
  if (auto refusal = ToHttpRequest(std::move(message), request)) return Fail(*refusal);

  // The handler answers from any thread, at most once; the answer is written on this
  // connection's strand, unless the server is gone by then.
  std::weak_ptr<Connection> weak = shared_from_this();
  auto state = state_;
  auto answered = std::make_shared<std::atomic<bool>>(false);
  // Dispatched, not posted: an answer produced on one of this server's I/O threads (a
  // proxied call completing) is written at once on that thread, with no wake-up of
  // another; from any other thread it is queued on the connection's strand.
  Responder respond = [weak, state, answered](HttpResponse response) {
    if (answered->exchange(true)) return;
    std::shared_ptr<Connection> self;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      if (state->closed) return;
      self = weak.lock();
    }
    if (!self) return;
    net::dispatch(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
      self->Send(std::move(response), /*close_after=*/false);
    });
  };
  state_->handler(std::move(request), std::move(respond));
}

void Connection::Send(HttpResponse response, bool close_after) {
  if (phase_ == Phase::kClosing || phase_ == Phase::kWriting) return;
  phase_ = Phase::kWriting;
  const bool close = close_after || !keep_alive_ || Stopping();
  auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
  message->version(version_ == 10 ? 10 : 11);
  message->result(static_cast<unsigned>(response.status));
  for (auto& [name, value] : response.headers) message->insert(name, value);
  if (!NoBodyAllowed(response.status)) {
    message->content_length(response.body.size());
    if (!head_) message->body() = std::move(response.body);
  }
  message->keep_alive(!close);
  stream_.expires_after(state_->options.write_timeout);
  bhttp::async_write(stream_, *message, [self = shared_from_this(), message, close](beast::error_code ec, size_t) {
    self->OnWritten(close, ec);
  });
}

void Connection::OnWritten(bool close_after, beast::error_code ec) {
  if (ec) return Close();
  if (close_after) return Linger();
  first_request_ = false;
  WaitForRequest();
}

void Connection::Fail(const EdgeRefusal& refusal) {
  keep_alive_ = false;
  head_ = false;
  Send(state_->problem(refusal.status, refusal.code, refusal.detail), /*close_after=*/true);
}

void Connection::Linger() {
  phase_ = Phase::kClosing;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  drained_ = 0;
  stream_.expires_after(kLingerTime);
  Drain();
}

void Connection::Drain() {
  stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->drained_ += n;
    if (ec || n == 0 || self->drained_ > kLingerBytes) return self->Close();
    self->Drain();
  });
}

void Connection::Close() {
  phase_ = Phase::kClosing;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  auto self = shared_from_this();
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->connections.erase(self);
  }
  state_->changed.notify_all();
}

}  // namespace switchboard::http
