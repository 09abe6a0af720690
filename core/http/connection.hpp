// One accepted TCP connection of the HTTP edge: reads a request (header, then body, each
// under its deadline), hands it to the server's handler, writes the answer, and reads
// the next one from what is already buffered (pipelining) or waits for it (keep-alive,
// under the idle deadline). Everything runs on the connection's strand.
#pragma once

#include <memory>
#include <optional>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/request_framing.hpp"
#include "http/server_state.hpp"

namespace switchboard::http {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);

  // Starts reading; the server registered the connection.
  void Start();
  // Over the connection limit: answers 503 and closes, never registered.
  void Refuse();
  // The server stops: a connection waiting for its next request closes now, one busy
  // with a request closes after answering it.
  void OnServerStopping();

 private:
  enum class Phase { kWaiting, kReading, kHandling, kWriting, kClosing };

  void WaitForRequest();
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void Dispatch();
  void Send(HttpResponse response, bool close_after);
  void OnWritten(bool close_after, boost::beast::error_code ec);
  // Answers a problem, then closes (after an unreadable request nothing can follow it).
  void Fail(const EdgeRefusal& refusal);
  // Sends FIN, then discards what the client still sends for a moment before closing,
  // so the client reads the answer instead of a reset.
  void Linger();
  void Drain();
  void Close();
  bool Stopping();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Phase phase_ = Phase::kWaiting;
  bool first_request_ = true;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  size_t drained_ = 0;
  char scratch_[16384];
};

}  // namespace switchboard::http
