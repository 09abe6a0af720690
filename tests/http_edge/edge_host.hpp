// A real `switchboard serve` on 127.0.0.1 (port 0) with a fresh data folder, for the
// HTTP edge tests and bench/edge_healthz; stopped with SIGTERM when the object goes.
// Free of Catch2 so the benchmark can use it: a host that does not start throws.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace switchboard::testing {

class EdgeHost {
 public:
  // `args` are added to serve's; `env` entries are NAME=value. Throws std::runtime_error
  // (with the host's log) when it does not start listening.
  explicit EdgeHost(const std::vector<std::string>& args = {}, const std::vector<std::string>& env = {});
  ~EdgeHost();
  EdgeHost(const EdgeHost&) = delete;
  EdgeHost& operator=(const EdgeHost&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& admin_token() const { return admin_token_; }
  bool running() const;
  // The host's resident memory, from /proc.
  long RssKiB() const;

  // One GET /healthz on a new connection: its status, and how long the answer took
  // (connect included). Status 0 when nothing came within `timeout`.
  struct Timed {
    int status = 0;
    double ms = 0;
    double connect_ms = 0;  // of which the TCP connect (the kernel's accept queue)
  };
  Timed Healthz(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) const;

 private:
  std::filesystem::path work_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string admin_token_;
};

}  // namespace switchboard::testing
