#include "local_servers.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace probe_net_test {

namespace probe = switchboard::probe;
using boost::asio::ip::tcp;

LocalServer::LocalServer() : server_(std::make_unique<httplib::Server>()) {}

LocalServer::LocalServer(const std::string& cert_file, const std::string& key_file)
    : server_(std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str())), tls_(true) {
  if (!server_->is_valid()) throw std::runtime_error("the TLS server rejected its key or certificate");
}

void LocalServer::Start() {
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a port on 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LocalServer::~LocalServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string LocalServer::Url(const std::string& target) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + target;
}

SilentServer::SilentServer() : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {}

namespace {

// One connection: read a request, answer with its target, close.
class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  explicit EchoSession(tcp::socket socket) : socket_(std::move(socket)) {}
  void Start() {
    namespace http = boost::beast::http;
    http::async_read(socket_, buffer_, request_, [self = shared_from_this()](auto ec, std::size_t) {
      if (ec) return;
      self->response_.result(http::status::ok);
      self->response_.set(http::field::content_type, "text/plain");
      self->response_.body() = std::string(self->request_.target());
      self->response_.prepare_payload();
      http::async_write(self->socket_, self->response_, [self](auto, std::size_t) {
        boost::system::error_code ignored;
        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
      });
    });
  }

 private:
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
};

}  // namespace

EchoServer::EchoServer() : acceptor_(io_) {
  tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

EchoServer::~EchoServer() {
  io_.stop();
  thread_.join();
}

void EchoServer::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<EchoSession>(std::move(socket))->Start();
    Accept();
  });
}

namespace {

// One connection of a KeepAliveServer: read, answer, and again, as its mode says.
class KeepAliveSession : public std::enable_shared_from_this<KeepAliveSession> {
 public:
  KeepAliveSession(tcp::socket socket, KeepAliveServer::Mode mode)
      : socket_(std::move(socket)), mode_(mode) {}
  void Read() {
    namespace http = boost::beast::http;
    request_ = {};
    http::async_read(socket_, buffer_, request_, [self = shared_from_this()](auto ec, std::size_t) {
      if (ec) return self->Close();
      self->Answer();
    });
  }

 private:
  using Mode = KeepAliveServer::Mode;
  void Answer() {
    namespace http = boost::beast::http;
    if (mode_ == Mode::kDropsLaterRequests && ++answered_ > 1) return Close();
    response_ = {};
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "text/plain");
    if (mode_ == Mode::kSaysCloseStaysOpen) response_.set(http::field::connection, "close");
    response_.body() = std::string(request_.target());
    response_.prepare_payload();
    http::async_write(socket_, response_, [self = shared_from_this()](auto ec, std::size_t) {
      if (ec || self->mode_ == Mode::kClosesWhenIdle) return self->Close();
      self->Read();
    });
  }
  void Close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  Mode mode_;
  int answered_ = 0;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
};

}  // namespace

KeepAliveServer::KeepAliveServer(Mode mode) : mode_(mode), acceptor_(io_) {
  tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

KeepAliveServer::~KeepAliveServer() {
  io_.stop();
  thread_.join();
}

void KeepAliveServer::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (!ec) {
      ++accepted_;
      std::make_shared<KeepAliveSession>(std::move(socket), mode_)->Read();
    }
    Accept();
  });
}

int ClosedPort() {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  int port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

probe::FetchResult FetchNow(const probe::HttpClientOptions& options, switchboard::HttpRequest request) {
  boost::asio::io_context io;
  probe::HttpClient client(io, options);
  std::optional<probe::FetchResult> result;
  int calls = 0;
  client.Fetch(std::move(request), [&](probe::FetchResult r) {
    ++calls;
    result = std::move(r);
  });
  io.run();
  if (calls != 1) throw std::logic_error("done ran " + std::to_string(calls) + " times");
  return std::move(*result);
}

probe::HttpClientOptions AllowLoopback() {
  probe::HttpClientOptions options;
  options.egress = probe::EgressPolicy::WithAllowed({"127.0.0.1/32"}).value();
  return options;
}

}  // namespace probe_net_test
