#include "sandboxed_child.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace sandbox_test {

bool ChildResult::ExitedWith(int code) const {
  return !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

bool ChildResult::KilledBy(int signal_number) const {
  return !timed_out && WIFSIGNALED(status) && WTERMSIG(status) == signal_number;
}

bool ChildResult::DumpedCore() const { return WIFSIGNALED(status) && WCOREDUMP(status); }

std::string ChildResult::Describe() const {
  std::string how = timed_out ? "timed out"
                    : WIFEXITED(status) ? "exited " + std::to_string(WEXITSTATUS(status))
                    : WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                          : "status " + std::to_string(status);
  return how + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
}

int ChildFailure(const char* what, int line) {
  const int saved_errno = errno;
  std::string text = "check failed at line " + std::to_string(line) + ": " + what + " (errno " +
                     std::to_string(saved_errno) + ")\n";
  [[maybe_unused]] ssize_t written = write(STDOUT_FILENO, text.data(), text.size());
  return 1;
}

namespace {

void ReadBoth(int out_fd, int err_fd, ChildResult& result, pid_t child) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(child, SIGKILL);
      return;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) return;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t got = read(fds[i].fd, buffer, sizeof(buffer));
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

struct SandboxedBody {
  ChildBody body;
  void* context;
  switchboard::runner::SandboxOptions options;
};

int ApplyThenRun(void* context) {
  auto* sandboxed = static_cast<SandboxedBody*>(context);
  mallopt(M_ARENA_MAX, 2);
  auto applied = switchboard::runner::ApplySandbox(sandboxed->options);
  if (!applied.ok()) {
    std::string text = "ApplySandbox failed: " + applied.status().ToString() + "\n";
    [[maybe_unused]] ssize_t written = write(STDOUT_FILENO, text.data(), text.size());
    return 90;
  }
  return sandboxed->body(sandboxed->context);
}

}  // namespace

ChildResult RunInChild(ChildBody body, void* context) {
  ChildResult result;
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.timed_out = true;
    result.err = "pipe failed";
    return result;
  }
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    const int code = body(context);
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    _exit(code);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  ReadBoth(out_pipe[0], err_pipe[0], result, child);
  close(out_pipe[0]);
  close(err_pipe[0]);
  waitpid(child, &result.status, 0);
  return result;
}

ChildResult RunSandboxed(ChildBody body, void* context, switchboard::runner::SandboxOptions options) {
  SandboxedBody sandboxed{body, context, std::move(options)};
  return RunInChild(ApplyThenRun, &sandboxed);
}

}  // namespace sandbox_test
