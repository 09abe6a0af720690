// switchboard-plugin-runner: one provider plugin in a process of its own.
//
//   switchboard-plugin-runner --plugin FILE [--channel-fd 3] [--memory-limit-mib 256]
//                             [--workers 16] [--no-sandbox]
//
// Loads the library (the loader's first stages, plugin_library.hpp), starts its worker
// threads, locks itself into its sandbox (sandbox.hpp), says hello, then answers the
// host's calls (channel_frames.hpp) until the host closes the channel. Started by the
// host (subprocess_channel.hpp); run by hand with --no-sandbox to debug a plugin under
// gdb, with a host on the other end of the channel.
#include <malloc.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugins/plugin_library.hpp"
#include "plugins/plugin_limits.hpp"
#include "plugins/runner/channel_frames.hpp"
#include "plugins/runner/sandbox.hpp"

namespace switchboard::runner {
namespace {

struct Options {
  std::filesystem::path plugin;
  int channel_fd = 3;
  uint64_t memory_limit_mib = 256;
  // As many calls at once as the host's plugin lane makes (serve --plugin-threads).
  int workers = 16;
  bool sandbox = true;
};

constexpr size_t kMaxLogLineBytes = 16 * 1024;
// How long calls in flight (and the provider's destroy) get once the host has gone.
constexpr auto kEndGrace = std::chrono::seconds(2);

int channel_fd = -1;
std::mutex write_mutex;
thread_local uint32_t current_call = 0;

void WriteFrame(uint32_t id, FrameType type, std::string_view payload) {
  const std::string frame = EncodeFrame(id, type, payload);
  std::lock_guard<std::mutex> lock(write_mutex);
  if (!SendAll(channel_fd, frame)) _exit(0);  // the host is gone
}

void LogToHost(void*, sb_log_level level, const char* message, size_t size) {
  std::string payload(1, static_cast<char>(level));
  payload.append(message, std::min(size, kMaxLogLineBytes));
  WriteFrame(current_call, FrameType::kLog, payload);
}

const sb_host_v1 kHostTable = {SB_ABI_VERSION, sizeof(sb_host_v1), nullptr, &LogToHost};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--plugin") {
      const char* v = value();
      if (!v) return false;
      options.plugin = v;
    } else if (arg == "--channel-fd") {
      const char* v = value();
      if (!v) return false;
      options.channel_fd = std::atoi(v);
    } else if (arg == "--memory-limit-mib") {
      const char* v = value();
      if (!v) return false;
      options.memory_limit_mib = std::strtoull(v, nullptr, 10);
    } else if (arg == "--workers") {
      const char* v = value();
      if (!v) return false;
      options.workers = std::max(1, std::atoi(v));
    } else if (arg == "--no-sandbox") {
      options.sandbox = false;
    } else {
      return false;
    }
  }
  return !options.plugin.empty() && options.channel_fd >= 0;
}

struct Call {
  uint32_t id;
  FrameType type;
  std::string input;
};

class WorkQueue {
 public:
  void Push(Call call) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      calls_.push_back(std::move(call));
    }
    ready_.notify_one();
  }
  // False once closed and empty.
  bool Pop(Call& call) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !calls_.empty(); });
    if (calls_.empty()) return false;
    call = std::move(calls_.front());
    calls_.pop_front();
    return true;
  }
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Call> calls_;
  bool closed_ = false;
};

void Serve(const OpenedPlugin& plugin, Call call) {
  current_call = call.id;
  std::string output;
  OpenedPlugin::Output result;
  try {
    switch (call.type) {
      case FrameType::kDescribe: result = plugin.Describe(kMaxPluginOutputBytes, output); break;
      case FrameType::kValidate: result = plugin.Validate(call.input, kMaxPluginOutputBytes, output); break;
      case FrameType::kProbeStep: result = plugin.ProbeStep(call.input, kMaxPluginOutputBytes, output); break;
      // An absent function is answered by OpenedPlugin without a call.
      case FrameType::kAuthorizeStep:
        result = plugin.AuthorizeStep(call.input, kMaxPluginOutputBytes, output);
        break;
      case FrameType::kClassifyResponse:
        result = plugin.ClassifyResponse(call.input, kMaxPluginOutputBytes, output);
        break;
      default:
        WriteFrame(call.id, FrameType::kFailure, "unknown call");
        current_call = 0;
        return;
    }
  } catch (...) {
    // A hand-written table that lets an exception out of the C ABI (the SDK never
    // does): that call failed, the process carries on.
    result = {SB_ERROR, 0, false};
    output = R"({"code":"plugin_threw","message":"the plugin let an exception escape its C ABI"})";
  }
  current_call = 0;
  if (result.too_large) {
    WriteFrame(call.id, FrameType::kTooLarge, std::to_string(result.size));
  } else {
    WriteFrame(call.id, result.code == SB_OK ? FrameType::kOk : FrameType::kPluginError, output);
  }
}

nlohmann::json SandboxInfo(const Options& options) {
  if (!options.sandbox) return {{"enabled", false}};
  SandboxOptions sandbox;
  sandbox.address_space_bytes = options.memory_limit_mib << 20;
  sandbox.keep_fds = {0, 1, 2, options.channel_fd};
  auto applied = ApplySandbox(sandbox);
  if (!applied.ok()) {
    std::fprintf(stderr, "the sandbox could not be applied: %s\n", applied.status().message().c_str());
    _exit(70);  // the host reports the runner's end; a plugin never runs unconfined
  }
  return {{"enabled", true},
          {"seccomp", applied->seccomp},
          {"landlock", applied->landlock},
          {"landlock_abi", applied->landlock_abi},
          {"no_new_privs", applied->no_new_privs},
          {"memory_limit_mib", options.memory_limit_mib}};
}

int Run(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fputs("usage: switchboard-plugin-runner --plugin FILE [--channel-fd N] [--memory-limit-mib N] "
               "[--workers N] [--no-sandbox]\n", stderr);
    return 64;
  }
  channel_fd = options.channel_fd;
  ::signal(SIGPIPE, SIG_IGN);
  // glibc reserves 64 MiB of address space per malloc arena and thread: under the
  // sandbox's address-space limit a handful of threads would exhaust it.
  mallopt(M_ARENA_MAX, 2);
  // Threads' arenas are mmap'ed heaps that glibc shrinks and grows again around each
  // call's small allocations (an mmap, and a TLB shootdown across the workers, per call):
  // keep what was reserved.
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
  mallopt(M_TOP_PAD, 1 << 20);
  // glibc sizes thread stacks by RLIMIT_STACK (8 MiB by default): 2 MiB each keeps the
  // workers' stacks a small part of the address-space limit.
  if (rlimit stack{}; getrlimit(RLIMIT_STACK, &stack) == 0) {
    stack.rlim_cur = std::min<rlim_t>(stack.rlim_cur, 2u << 20);
    setrlimit(RLIMIT_STACK, &stack);
  }

  // While the library loads, its code (constructors, the entry point) may read only the
  // system's libraries and its own file: not the master key, not the data folder.
  if (options.sandbox) {
    auto restricted = RestrictFilesForLoading(LoadingPaths(options.plugin.string()));
    if (!restricted.ok()) {
      std::fprintf(stderr, "the sandbox could not be applied: %s\n", restricted.status().message().c_str());
      return 70;
    }
  }
  auto opened = OpenPluginLibrary(options.plugin, &kHostTable);
  if (!opened.ok()) {
    WriteFrame(0, FrameType::kHello, nlohmann::json{{"refused", opened.status().code_name()},
                                                    {"message", opened.status().message()}}.dump());
    return 0;
  }
  std::unique_ptr<OpenedPlugin> plugin = std::move(opened).value();

  WorkQueue queue;
  std::vector<std::thread> workers;
  for (int i = 0; i < options.workers; ++i) {
    workers.emplace_back([&] {
      Call call;
      while (queue.Pop(call)) Serve(*plugin, std::move(call));
    });
  }
  nlohmann::json sandbox = SandboxInfo(options);
  nlohmann::json functions = nlohmann::json::array();
  if (plugin->has_authorize_step()) functions.push_back("authorize_step");
  if (plugin->has_classify_response()) functions.push_back("classify_response");
  WriteFrame(0, FrameType::kHello,
             nlohmann::json{{"abi_version", plugin->table().abi_version}, {"sandbox", sandbox}, {"functions", functions}}
                 .dump());

  FrameReader reader;
  char chunk[65536];
  for (;;) {
    ssize_t n = ::recv(channel_fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the host closed the channel: time to go
    reader.Append(chunk, static_cast<size_t>(n));
    for (;;) {
      auto next = reader.Next();
      if (!next.ok()) {
        std::fprintf(stderr, "the host sent a malformed frame: %s\n", next.status().message().c_str());
        _exit(65);
      }
      if (!next->has_value()) break;
      Frame& frame = **next;
      queue.Push(Call{frame.id, frame.type, std::move(frame.payload)});
    }
  }
  // The host has gone. When it lives it kills a runner that does not end within a second;
  // when it died (killed, crashed) nobody would, and a call stuck in the plugin would keep
  // this process spinning for ever: end anyway once the calls had time to finish.
  std::thread([] {
    std::this_thread::sleep_for(kEndGrace);
    _exit(0);
  }).detach();
  queue.Close();
  for (auto& worker : workers) worker.join();
  plugin.reset();  // the provider's destroy, after every call has returned
  return 0;
}

}  // namespace
}  // namespace switchboard::runner

int main(int argc, char** argv) { return switchboard::runner::Run(argc, argv); }
