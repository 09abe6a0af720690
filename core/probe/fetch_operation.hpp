// One HttpClient::Fetch in flight: resolve, filter by the egress policy, connect, TLS,
// write, read, and again for each redirect, all on one strand under one deadline.
// Internal to the probe_net library.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "probe/http_client.hpp"
#include "probe/url.hpp"

namespace switchboard::probe {

struct HttpClient::Shared {
  HttpClientOptions options;
  std::shared_ptr<boost::asio::ssl::context> tls;  // configured once, then only read
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
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  void Begin();
  void StartHop(Url url);
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

  boost::beast::tcp_stream& Lowest();
  void CloseConnection();
  void Fail(std::string code, std::string message);
  void Succeed(HttpResponse response);
  void Finish(FetchResult result);

  std::shared_ptr<const HttpClient::Shared> shared_;
  const HttpClientOptions& options_;
  Strand strand_;
  tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;

  HttpRequest request_;
  std::function<void(FetchResult)> done_;
  bool finished_ = false;
  int redirects_ = 0;
  Url url_;

  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<TlsStream> tls_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> wire_request_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
};

}  // namespace switchboard::probe
