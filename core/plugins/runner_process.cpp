#include "plugins/runner_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>

extern char** environ;

namespace switchboard {
namespace {

// The descriptor the runner finds its channel on (runner_main.cpp).
constexpr int kRunnerChannelFd = 3;

std::vector<std::string> RunnerEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "SWITCHBOARD_", 12) == 0) continue;
    env.emplace_back(*entry);
  }
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

int ThreadCountOf(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[1024];
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return -1;
  text[n] = '\0';
  // The command name (field 2) may hold spaces and parentheses: count from its end.
  const char* field = std::strrchr(text, ')');
  if (field == nullptr) return -1;
  // num_threads is field 20; after ") " comes field 3.
  for (int index = 3; index <= 20; ++index) {
    field = std::strchr(field + 1, ' ');
    if (field == nullptr) return -1;
  }
  return std::atoi(field + 1);
}

std::filesystem::path DefaultRunnerPath() {
  if (const char* configured = std::getenv("SWITCHBOARD_PLUGIN_RUNNER"); configured != nullptr && *configured) {
    return configured;
  }
  std::error_code ec;
  auto exe = boost::dll::program_location(ec);
  return (ec ? std::filesystem::path(".") : exe.parent_path()) / "switchboard-plugin-runner";
}

Result<SpawnedRunner> SpawnRunner(const std::filesystem::path& plugin, const PluginHostOptions& options) {
  const std::filesystem::path runner = options.runner.empty() ? DefaultRunnerPath() : options.runner;
  if (::access(runner.c_str(), X_OK) != 0) {
    return Status::Error(Code::kRunnerUnavailable, "the plugin runner " + runner.string() + " cannot be run: " +
                                                   std::strerror(errno));
  }
  int channel[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0) {
    return Status::Error(Code::kRunnerUnavailable, std::string("socketpair: ") + std::strerror(errno));
  }
  int output[2];
  if (::pipe2(output, O_CLOEXEC) != 0) {
    ::close(channel[0]);
    ::close(channel[1]);
    return Status::Error(Code::kRunnerUnavailable, std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<std::string> args = {runner.string(), "--plugin", plugin.string(), "--channel-fd",
                                   std::to_string(kRunnerChannelFd), "--memory-limit-mib",
                                   std::to_string(options.memory_limit_bytes >> 20)};
  if (!options.sandbox) args.push_back("--no-sandbox");
  std::vector<std::string> env = RunnerEnvironment();
  auto argv = Pointers(args);
  auto envp = Pointers(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output[1], 1);
  posix_spawn_file_actions_adddup2(&actions, output[1], 2);
  posix_spawn_file_actions_adddup2(&actions, channel[1], kRunnerChannelFd);
  // Nothing else of the host's (its database files, its listening socket) reaches the
  // plugin's process.
  posix_spawn_file_actions_addclosefrom_np(&actions, kRunnerChannelFd + 1);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The runner starts with default signal handling and nothing blocked, whatever the
  // host has set up for itself.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);  // a terminal's Ctrl-C reaches the host only
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, runner.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(channel[1]);
  ::close(output[1]);
  if (spawned != 0) {
    ::close(channel[0]);
    ::close(output[0]);
    return Status::Error(Code::kRunnerUnavailable, "cannot start the plugin runner: " + std::string(std::strerror(spawned)));
  }
  return SpawnedRunner{pid, channel[0], output[0]};
}

std::string DescribeExit(int wait_status) {
  if (WIFEXITED(wait_status)) return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    const char* name = sigabbrev_np(signal);
    std::string text = "killed by signal " + std::to_string(signal) + (name ? " (SIG" + std::string(name) + ")" : "");
    if (signal == SIGSYS) text += ": stopped by its sandbox";
    return text;
  }
  return "ended (status " + std::to_string(wait_status) + ")";
}

int ReapRunner(pid_t pid, std::chrono::milliseconds grace) {
  int status = 0;
  const auto until = std::chrono::steady_clock::now() + grace;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return 0;
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace switchboard
