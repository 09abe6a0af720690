#include "support/host_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/raw_client.hpp"

namespace switchboard::testing {

HostProcess::HostProcess(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::random_device random;
  work_ = std::filesystem::temp_directory_path() / ("switchboard-edge-" + std::to_string(random()));
  std::filesystem::create_directories(work_);
  data_dir_ = work_ / "data";
  // SWITCHBOARD_EDGE_EXECUTABLE runs the cases against another build (e.g. main's, to
  // see which fail there).
  const char* other = std::getenv("SWITCHBOARD_EDGE_EXECUTABLE");
  std::vector<std::string> argv = {other ? other : SWITCHBOARD_EXECUTABLE, "serve", "--data", data_dir_.string(),
                                   "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::filesystem::path out = work_ / "out", log = work_ / "log";
  std::vector<std::string> environment;
  for (std::string entry : env) {
    for (auto at = entry.find("{data}"); at != std::string::npos; at = entry.find("{data}")) {
      entry.replace(at, 6, data_dir_.string());
    }
    environment.push_back(std::move(entry));
  }
  pid_ = fork();
  if (pid_ == 0) {
    freopen(out.c_str(), "w", stdout);
    freopen(log.c_str(), "w", stderr);
    unsetenv("SWITCHBOARD_PLUGINS");
    for (auto& entry : environment) putenv(entry.data());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 300 && port_ == 0 && running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream file(out);
    std::stringstream text;
    text << file.rdbuf();
    std::smatch match;
    std::string s = text.str();
    if (std::regex_search(s, match, kListening)) port_ = std::stoi(match[1]);
  }
  std::ifstream token(data_dir_ / "admin.token");
  std::getline(token, admin_token_);
  if (port_ == 0) {
    // The destructor does not run for a constructor that fails: stop and clean up here.
    if (running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &wait_status_, 0);
      ended_ = true;
    }
    const std::string how = HowItEnded(), log_text = Log();
    std::error_code ignored;
    std::filesystem::remove_all(work_, ignored);
    throw std::runtime_error("the host did not start (" + how + "): " + log_text);
  }
}

HostProcess::~HostProcess() {
  if (pid_ > 0 && !ended_) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(work_, ignored);
}

bool HostProcess::running() const {
  if (pid_ <= 0 || ended_) return false;
  if (waitpid(pid_, &wait_status_, WNOHANG) == 0) return true;
  ended_ = true;
  return false;
}

std::string HostProcess::HowItEnded() const {
  if (running()) return "running";
  if (pid_ <= 0) return "never started";
  if (WIFEXITED(wait_status_)) return "exit " + std::to_string(WEXITSTATUS(wait_status_));
  if (WIFSIGNALED(wait_status_)) {
    return "signal " + std::to_string(WTERMSIG(wait_status_)) + (WCOREDUMP(wait_status_) ? " (core dumped)" : "");
  }
  return "ended";
}

std::string HostProcess::Log() const {
  std::ifstream file(work_ / "log");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

namespace {

// A "<name>: <n> kB" line of /proc/<pid>/status; -1 when absent.
long StatusKiB(pid_t pid, const std::string& name) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(name + ":", 0) == 0) return std::stol(line.substr(name.size() + 1));
  }
  return -1;
}

}  // namespace

long HostProcess::RssKiB() const { return StatusKiB(pid_, "VmRSS"); }
long HostProcess::PeakRssKiB() const { return StatusKiB(pid_, "VmHWM"); }

HostProcess::Timed HostProcess::Healthz(std::chrono::milliseconds timeout) const {
  const auto started = std::chrono::steady_clock::now();
  RawConnection connection(port_);
  Timed timed;
  timed.connect_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (connection.valid() && connection.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")) {
    timed.status = StatusOf(connection.ReadResponse(timeout));
  }
  timed.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return timed;
}

}  // namespace switchboard::testing
