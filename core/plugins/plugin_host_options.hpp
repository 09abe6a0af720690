// How the host runs provider plugins: in sandboxed runner processes (the default) or in
// its own process, with what memory and what deadlines. Set by serve's --plugin-* options.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace switchboard {

enum class PluginIsolation { kProcess, kInProcess };

struct PluginHostOptions {
  PluginIsolation isolation = PluginIsolation::kProcess;
  // The runner executable; empty: DefaultRunnerPath().
  std::filesystem::path runner;
  uint64_t memory_limit_bytes = 256ull << 20;  // a runner's address space (RLIMIT_AS)
  // Threads a runner may have, its own included; past that the host ends it. Address
  // space alone would let a plugin of small stacks take thousands of the machine's.
  int max_threads = 128;
  bool sandbox = true;                          // false only to debug a plugin in a runner
  std::chrono::milliseconds validate_timeout{2000};  // describe and validate
  std::chrono::milliseconds probe_timeout{5000};     // one probe step
};

// $SWITCHBOARD_PLUGIN_RUNNER, else switchboard-plugin-runner beside this executable.
std::filesystem::path DefaultRunnerPath();

}  // namespace switchboard
