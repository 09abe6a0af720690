// Raw TCP to the host on 127.0.0.1: bytes exactly as written, so a test can send what no
// HTTP client library would (smuggling attempts, trickles, half requests, bombs).
#pragma once

#include <chrono>
#include <string>

namespace switchboard::testing {

class RawConnection {
 public:
  explicit RawConnection(int port);  // connects (blocking); valid() tells
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;  // closes this one first
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // False when the peer is gone (EPIPE, reset).
  bool Send(const std::string& bytes);
  // Waits up to `timeout` for one whole response (header plus Content-Length body);
  // "" when none came. Bytes after it stay buffered for the next call.
  std::string ReadResponse(std::chrono::milliseconds timeout);
  // True when the server closes the connection within `timeout` (EOF or reset),
  // discarding anything it sends first.
  bool ClosedWithin(std::chrono::milliseconds timeout);
  // True when there is something to read (or the peer closed) right now.
  bool Readable(std::chrono::milliseconds wait = std::chrono::milliseconds(0));

 private:
  bool Fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buffered_;
};

// The status code of a response ("HTTP/1.1 400 Bad Request..." -> 400); 0 for none.
int StatusOf(const std::string& response);
// The body of a response.
std::string BodyOf(const std::string& response);
// The value of a field (case-insensitive), "" when absent.
std::string HeaderOf(const std::string& response, const std::string& name);

}  // namespace switchboard::testing
