// Servers on 127.0.0.1 for the HTTP client's tests, and a blocking way to fetch.
#pragma once

#include <atomic>
#include <cctype>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "probe_net/http_client.hpp"

namespace probe_net_test {

// A cpp-httplib server (plain, or TLS with the given PEM files) on an ephemeral port.
class LocalServer {
 public:
  LocalServer();
  LocalServer(const std::string& cert_file, const std::string& key_file);
  ~LocalServer();

  httplib::Server& routes() { return *server_; }
  void Start();  // after the routes are set
  int port() const { return port_; }
  std::string Url(const std::string& target) const;

 private:
  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  int port_ = 0;
  std::thread thread_;
};

// Accepts connections into its backlog and never reads or answers.
class SilentServer {
 public:
  SilentServer();
  int port() const { return acceptor_.local_endpoint().port(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

// Answers every request with its target as the body, on its own thread, from a listen
// backlog of SOMAXCONN (cpp-httplib's backlog of 5 drops connections under a burst).
class EchoServer {
 public:
  EchoServer();
  ~EchoServer();
  int port() const { return port_; }

 private:
  void Accept();
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::thread thread_;
};

// An HTTP/1.1 server that answers each request with its target as the body and counts
// the connections it accepts, to see whether the client reuses them. Own thread, listen
// backlog of SOMAXCONN.
class KeepAliveServer {
 public:
  enum class Mode {
    kKeepAlive,            // answers every request and keeps the connection open
    kSaysCloseStaysOpen,   // answers with "Connection: close" but keeps answering
    kClosesWhenIdle,       // closes the connection right after each answer
    kDropsLaterRequests,   // answers the first request of a connection; closes on the next
  };
  explicit KeepAliveServer(Mode mode = Mode::kKeepAlive);
  ~KeepAliveServer();
  int port() const { return port_; }
  int accepted() const { return accepted_; }
  Mode mode() const { return mode_; }

 private:
  void Accept();
  Mode mode_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens.
int ClosedPort();

// Runs one fetch to completion on a private io_context.
// A GET of `url`.
inline switchboard::HttpRequest Get(const std::string& url) {
  switchboard::HttpRequest request;
  request.url = url;
  return request;
}

switchboard::probe::FetchResult FetchNow(const switchboard::probe::HttpClientOptions& options,
                                         switchboard::HttpRequest request);

switchboard::probe::HttpClientOptions AllowLoopback();  // 127.0.0.1/32 allowed

inline std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace probe_net_test
