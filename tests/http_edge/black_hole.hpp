// Accepts connections on 127.0.0.1 and never answers: a black-holed provider endpoint,
// for the HTTP edge tests and bench/edge_healthz. Throws std::runtime_error when it
// cannot listen.
#pragma once

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::testing {

class BlackHole {
 public:
  BlackHole();
  ~BlackHole();
  BlackHole(const BlackHole&) = delete;
  BlackHole& operator=(const BlackHole&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<int> held_;  // guarded by mutex_
};

// `count` OpenAI connections in a new project "hole", stored unprobed, whose base URL is
// the black hole at `hole_port`; their ids. Throws std::runtime_error when the host
// refuses one.
std::vector<std::string> CreateBlackHoledConnections(int host_port, const std::string& admin_token, int hole_port,
                                                     int count);

// A request with a JSON body and the bearer token.
std::string JsonRequest(const std::string& method, const std::string& path, const std::string& token,
                        const std::string& body);

}  // namespace switchboard::testing
