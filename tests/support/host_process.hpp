// A real `switchboard serve` on 127.0.0.1 (port 0) with a fresh data folder, for tests
// that drive the host from outside (the HTTP edge, plugin isolation); stopped with
// SIGTERM when the object goes. SWITCHBOARD_EDGE_EXECUTABLE runs it from another build.
// Free of Catch2, so bench/edge_healthz uses it too: a host that does not start throws
// std::runtime_error (with how it ended and its log).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace switchboard::testing {

class HostProcess {
 public:
  // `args` are added to serve's; `env` entries are NAME=value, where "{data}" stands for
  // the host's data folder (known before it starts). Throws when it does not start.
  explicit HostProcess(const std::vector<std::string>& args = {}, const std::vector<std::string>& env = {});
  ~HostProcess();
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& admin_token() const { return admin_token_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  bool running() const;
  // How the process ended ("exit 0", "signal 11 (core dumped)"), "running" while it runs.
  std::string HowItEnded() const;
  // Everything the host wrote to stderr (its log) so far.
  std::string Log() const;
  // The host's resident memory now, and the most it has had (VmHWM), from /proc.
  long RssKiB() const;
  long PeakRssKiB() const;

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
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string admin_token_;
  mutable bool ended_ = false;
  mutable int wait_status_ = 0;
};

}  // namespace switchboard::testing
