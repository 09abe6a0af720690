// Starting a plugin runner process and telling how it ended.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "common/status.hpp"
#include "plugins/plugin_host_options.hpp"

namespace switchboard {

struct SpawnedRunner {
  pid_t pid = -1;
  int channel_fd = -1;  // the host's end of the socketpair (close-on-exec)
  int output_fd = -1;   // the read end of the runner's stdout and stderr (close-on-exec)
};

// Starts `switchboard-plugin-runner --plugin <plugin>` with its end of a fresh
// socketpair as fd 3, stdout and stderr into a pipe, stdin from /dev/null, no other
// descriptor of the host, and the host's environment minus SWITCHBOARD_* variables
// (which may hold the master key). Fails with "runner_unavailable".
Result<SpawnedRunner> SpawnRunner(const std::filesystem::path& plugin, const PluginHostOptions& options);

// How a waitpid status reads: "exited with status 0", "killed by signal 11 (SIGSEGV)".
std::string DescribeExit(int wait_status);

// How many threads the process has now (from /proc), or -1 when it cannot be read.
int ThreadCountOf(pid_t pid);

// Waits up to `grace` for `pid` to end, then kills it (SIGKILL) and reaps it. Returns
// its wait status.
int ReapRunner(pid_t pid, std::chrono::milliseconds grace);

}  // namespace switchboard
