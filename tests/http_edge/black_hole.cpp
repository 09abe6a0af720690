#include "http_edge/black_hole.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "support/raw_client.hpp"

namespace switchboard::testing {

BlackHole::BlackHole() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 1024) != 0) {
    ::close(fd_);
    throw std::runtime_error("the black hole cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof address;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] {
    for (;;) {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::lock_guard<std::mutex> lock(mutex_);
      held_.push_back(client);
    }
  });
}

BlackHole::~BlackHole() {
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  thread_.join();
  for (int client : held_) ::close(client);
}

std::string JsonRequest(const std::string& method, const std::string& path, const std::string& token,
                        const std::string& body) {
  return method + " " + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<std::string> CreateBlackHoledConnections(int host_port, const std::string& admin_token, int hole_port,
                                                     int count) {
  using std::chrono::milliseconds;
  RawConnection setup(host_port);
  if (!setup.Send(JsonRequest("POST", "/v1/projects", admin_token, R"({"id":"hole","name":"Hole"})")) ||
      StatusOf(setup.ReadResponse(milliseconds(5000))) != 201) {
    throw std::runtime_error("creating the project \"hole\" failed");
  }
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    const std::string body = R"({"name":"Hole )" + std::to_string(i) +
                             R"(","provider":"openai","config":{"api_key":"sk-hole","base_url":"http://127.0.0.1:)" +
                             std::to_string(hole_port) + R"(/v1"}})";
    std::string response;
    if (setup.Send(JsonRequest("POST", "/v1/projects/hole/connections?probe=false", admin_token, body))) {
      response = setup.ReadResponse(milliseconds(10000));
    }
    const std::string view = BodyOf(response);
    const size_t at = view.find("\"id\":\"");
    if (StatusOf(response) / 100 != 2 || at == std::string::npos) {
      throw std::runtime_error("creating black-holed connection " + std::to_string(i) + " failed: " + response);
    }
    ids.push_back(view.substr(at + 6, view.find('"', at + 6) - at - 6));
  }
  return ids;
}

}  // namespace switchboard::testing
