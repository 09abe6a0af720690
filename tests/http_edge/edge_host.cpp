#include "http_edge/edge_host.hpp"

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

#include "http_edge/raw_client.hpp"

namespace switchboard::testing {

EdgeHost::EdgeHost(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::random_device random;
  work_ = std::filesystem::temp_directory_path() / ("switchboard-edge-" + std::to_string(random()));
  std::filesystem::create_directories(work_);
  // SWITCHBOARD_EDGE_EXECUTABLE runs the cases against another build (e.g. main's, to
  // see which fail there).
  const char* other = std::getenv("SWITCHBOARD_EDGE_EXECUTABLE");
  std::vector<std::string> argv = {other ? other : SWITCHBOARD_EXECUTABLE, "serve", "--data", (work_ / "data").string(),
                                   "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::filesystem::path out = work_ / "out", log = work_ / "log";
  pid_ = fork();
  if (pid_ == 0) {
    freopen(out.c_str(), "w", stdout);
    freopen(log.c_str(), "w", stderr);
    unsetenv("SWITCHBOARD_PLUGINS");
    for (const auto& entry : env) putenv(const_cast<char*>(entry.c_str()));
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 300 && port_ == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream file(out);
    std::stringstream text;
    text << file.rdbuf();
    std::smatch match;
    std::string s = text.str();
    if (std::regex_search(s, match, kListening)) port_ = std::stoi(match[1]);
  }
  std::ifstream token(work_ / "data" / "admin.token");
  std::getline(token, admin_token_);
  if (port_ == 0) {
    std::ifstream file(log);
    std::stringstream text;
    text << file.rdbuf();
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    std::error_code ignored;
    std::filesystem::remove_all(work_, ignored);
    throw std::runtime_error("the host did not start: " + text.str());
  }
}

EdgeHost::~EdgeHost() {
  if (pid_ > 0) {
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

bool EdgeHost::running() const { return pid_ > 0 && kill(pid_, 0) == 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

long EdgeHost::RssKiB() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

EdgeHost::Timed EdgeHost::Healthz(std::chrono::milliseconds timeout) const {
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
