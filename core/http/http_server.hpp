// The host's HTTP/1.1 listener: Boost.Asio and Boost.Beast, event-driven. A few I/O
// threads, each running an io_context of its own, read and write the connections; a
// connection stays on the thread it was accepted onto (round robin), so its work never
// wakes another thread; nothing on them waits for a handler. Each
// connection has deadlines (the whole header, the body, idle between keep-alive
// requests), requests are bounded (body, header bytes, header fields) and framed
// strictly (http/request_framing.hpp); pipelined requests are answered in order.
//
// A complete request goes to the RequestHandler on an I/O thread; the handler must not
// block (it hands the work to a pool) and answers through the Responder, once, from any
// thread. Refusals the edge makes itself (400, 413, 431, 503) are built by the
// ProblemBuilder so they look like every other problem.
// THREADS: Stop is safe from any thread (e.g. a signal thread).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/http_message.hpp"

namespace switchboard::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0: any free port
  size_t max_body = 1 << 20;             // bytes, Content-Length or chunked
  size_t max_header_bytes = 16 << 10;    // request line and fields together
  size_t max_header_fields = 100;
  std::chrono::milliseconds header_timeout{10000};  // from a request's first byte to its blank line
  std::chrono::milliseconds body_timeout{30000};    // from the blank line to the body's last byte
  std::chrono::milliseconds idle_timeout{60000};    // a keep-alive connection between requests
  std::chrono::milliseconds write_timeout{30000};   // sending one response
  size_t max_connections = 10000;        // more are answered 503 and closed
  int io_threads = 2;
  std::chrono::milliseconds stop_grace{30000};      // Run waits this long for in-flight requests after Stop
};

using RequestHandler = std::function<void(HttpRequest, Responder)>;
using ProblemBuilder = std::function<HttpResponse(int status, const std::string& code, const std::string& detail)>;

struct ServerState;

// One io_context for each of `threads` I/O threads (at least one), for HttpServer's `ios`.
std::vector<std::shared_ptr<boost::asio::io_context>> IoContextsFor(int threads);

class HttpServer {
 public:
  // `ios`: one io_context per I/O thread (their number, not options.io_threads, counts), each
  // run by its own thread, every connection served by one of them from start to end.
  // Others may share them, so that their asynchronous work for a caller (the proxy's
  // client) runs on the very thread that answers that caller; empty for the server's own.
  HttpServer(ServerOptions options, RequestHandler handler, ProblemBuilder problem,
             std::vector<std::shared_ptr<boost::asio::io_context>> ios = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (SO_REUSEADDR, backlog SOMAXCONN). The port, or -1 when the address
  // cannot be bound.
  int Bind();

  // Serves until Stop, then until the requests in flight are answered (at most
  // stop_grace). Connections waiting for their next request are closed at once. Then
  // the io_contexts are stopped, work of others sharing them included.
  void Run();
  void Stop();

 private:
  void Accept();

  std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  size_t next_io_ = 0;  // where the next connection goes; used on the acceptor's strand only
  std::vector<std::thread> threads_;
};

}  // namespace switchboard::http
