// One HttpClient::Fetch in flight: take an idle connection to the origin or resolve,
// filter by the egress policy, connect, TLS; write, read, and again for each redirect,
// all on one strand under one deadline. Internal to the probe_net library.
//
// Executors: a connection outlives the operation that opened it, so its streams are built
// on the io_context's plain executor and belong to no strand. Every operation binds each
// of its async calls (and its deadline timer) to its own strand with bind_executor, so
// all completions, intermediate ones of Beast's and Asio's composed operations included,
// run on the strand of the operation that currently holds the connection. A connection
// is held by one operation at a time, has no async call pending while it sits in the
// pool, and changes hands only through the pool's mutex, so it is never used from two
// strands at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "probe_net/http_client.hpp"
#include "probe_net/url.hpp"

namespace switchboard::probe {

// One TCP connection, plain or TLS; the streams run on the io_context's executor.
struct HttpConnection {
  std::optional<boost::beast::tcp_stream> plain;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;

  boost::beast::tcp_stream& Lowest() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
};

// Idle keep-alive connections by origin ("https://host:port"): the key holds the host
// name the address was checked for and the certificate verified against, so a connection
// is never handed to another origin. Thread-safe.
class ConnectionPool {
 public:
  explicit ConnectionPool(const HttpClientOptions& options);

  // The most recently parked connection to `origin` that is still open, or null. Idle
  // ones past idle_timeout, and ones the server closed or wrote to meanwhile, are closed.
  std::unique_ptr<HttpConnection> Take(const std::string& origin);
  // Parks a connection with no call pending and nothing unread; closed instead when a
  // cap is reached or the pool is closed.
  void Put(const std::string& origin, std::unique_ptr<HttpConnection> connection);
  // The client is going away: closes every idle connection and parks no more.
  void Close();

 private:
  using Clock = std::chrono::steady_clock;
  struct Idle {
    std::unique_ptr<HttpConnection> connection;
    Clock::time_point since;
  };
  // Moves entries older than idle_timeout from the front of `idle` to `out`.
  void Expire(std::vector<Idle>& idle, Clock::time_point now, std::vector<Idle>& out);

  const size_t per_origin_;
  const size_t total_cap_;
  const Clock::duration timeout_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Idle>> idle_;  // oldest first
  size_t total_ = 0;
  bool closed_ = false;
};

struct HttpClient::Shared {
  HttpClientOptions options;
  std::shared_ptr<boost::asio::ssl::context> tls;  // configured once, then only read
  std::unique_ptr<ConnectionPool> pool;  // the one mutable part, behind its own mutex
};

class FetchOperation : public std::enable_shared_from_this<FetchOperation> {
 public:
  FetchOperation(boost::asio::io_context& io, std::shared_ptr<const HttpClient::Shared> shared,
                 HttpRequest request, std::function<void(FetchResult)> done);

  void Start();

 private:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::system::error_code;
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

  void Begin();
  void StartHop(Url url);
  void Connect();
  bool RetryOnNewConnection();
  void ParkOrCloseConnection(bool reusable);
  void OnResolved(error_code ec, tcp::resolver::results_type results);
  void ConnectTo(std::vector<tcp::endpoint> endpoints);
  void OnConnected(error_code ec, const tcp::endpoint& endpoint);
  void OnHandshake(error_code ec);
  void SendRequest();
  void OnWritten(error_code ec, std::size_t bytes);
  void OnHeader(error_code ec, std::size_t bytes);
  void OnRead(error_code ec, std::size_t bytes);
  void FailRead(error_code ec);
  void FollowRedirect(const std::string& location, int status);
  void OnDeadline();

  template <typename Handler>
  auto OnStrand(Handler handler) {
    return boost::asio::bind_executor(strand_, std::move(handler));
  }
  std::string Origin() const;
  void CloseConnection();
  void Fail(std::string code, std::string message);
  void Succeed(HttpResponse response);
  void Finish(FetchResult result);

  std::shared_ptr<const HttpClient::Shared> shared_;
  const HttpClientOptions& options_;
  boost::asio::io_context& io_;
  Strand strand_;
  tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;

  HttpRequest request_;
  std::function<void(FetchResult)> done_;
  bool finished_ = false;
  int redirects_ = 0;
  Url url_;

  std::unique_ptr<HttpConnection> connection_;  // null between hops
  bool reused_ = false;  // connection_ came from the pool and has not answered yet
  boost::beast::flat_buffer buffer_;
  // Its body is a view of request_.body: sent without a copy, and still whole for a retry
  // on a new connection or a redirect.
  boost::beast::http::request<boost::beast::http::span_body<const char>> wire_request_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
};

}  // namespace switchboard::probe
