#include "support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <strings.h>

namespace switchboard::testing {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Where the response that starts `text` ends, or npos while it is incomplete.
size_t ResponseEnd(const std::string& text) {
  size_t blank = text.find("\r\n\r\n");
  if (blank == std::string::npos) return std::string::npos;
  std::string length = HeaderOf(text.substr(0, blank + 4), "Content-Length");
  size_t end = blank + 4 + (length.empty() ? 0 : std::strtoul(length.c_str(), nullptr, 10));
  return end <= text.size() ? end : std::string::npos;
}

}  // namespace

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int yes = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_), buffered_(std::move(other.buffered_)) {
  other.fd_ = -1;
}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    buffered_ = std::move(other.buffered_);
    other.fd_ = -1;
  }
  return *this;
}

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RawConnection::Fill(Clock::time_point deadline) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, RemainingMs(deadline)) <= 0) return false;
  char chunk[65536];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffered_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::string RawConnection::ReadResponse(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    size_t end = ResponseEnd(buffered_);
    if (end != std::string::npos) {
      std::string response = buffered_.substr(0, end);
      buffered_.erase(0, end);
      return response;
    }
    if (!Fill(deadline)) return {};
  }
}

bool RawConnection::ClosedWithin(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) <= 0) return false;
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

bool RawConnection::Readable(std::chrono::milliseconds wait) {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
}

int StatusOf(const std::string& response) {
  if (response.compare(0, 5, "HTTP/") != 0) return 0;
  size_t space = response.find(' ');
  return space == std::string::npos ? 0 : std::atoi(response.c_str() + space + 1);
}

std::string BodyOf(const std::string& response) {
  size_t blank = response.find("\r\n\r\n");
  return blank == std::string::npos ? std::string() : response.substr(blank + 4);
}

std::string HeaderOf(const std::string& response, const std::string& name) {
  size_t line = response.find("\r\n");
  while (line != std::string::npos) {
    size_t start = line + 2;
    size_t end = response.find("\r\n", start);
    if (end == std::string::npos || end == start) break;
    size_t colon = response.find(':', start);
    if (colon < end && colon - start == name.size() && strncasecmp(response.c_str() + start, name.c_str(), name.size()) == 0) {
      size_t value = response.find_first_not_of(' ', colon + 1);
      return response.substr(value, end - value);
    }
    line = end;
  }
  return {};
}

}  // namespace switchboard::testing
