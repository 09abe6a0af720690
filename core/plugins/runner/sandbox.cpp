// ApplySandbox: the order matters. Landlock needs no_new_privs and creates a descriptor,
// so it comes before the descriptor limit; rlimits and prctl are denied once the seccomp
// filter is loaded, so they come before it; descriptors are closed last, after the filter,
// so a plugin thread cannot open one in between.
#include "plugins/runner/sandbox.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>

#include "plugins/runner/sandbox_landlock.hpp"
#include "plugins/runner/sandbox_seccomp.hpp"

namespace switchboard::runner {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

// /proc/self/statm, opened before RestrictFilesForLoading's Landlock layer hides /proc.
int g_statm_fd = -1;

std::optional<uint64_t> AddressSpaceInUse() {
  const int fd = g_statm_fd >= 0 ? g_statm_fd : open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char text[64] = {};
  const ssize_t got = pread(fd, text, sizeof(text) - 1, 0);
  if (fd != g_statm_fd) close(fd);
  unsigned long long pages = 0;
  if (got <= 0 || std::sscanf(text, "%llu", &pages) != 1) return std::nullopt;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// Sets soft and hard limit to the value (or the current hard limit, when lower): without
// CAP_SYS_RESOURCE the process can never raise it again.
Status LowerLimit(int resource, const char* name, rlim_t value) {
  rlimit current{};
  if (getrlimit(resource, &current) != 0) {
    return Status::Error(Code::kSandboxRlimit, std::string("cannot read ") + name);
  }
  const rlim_t limit = current.rlim_max == RLIM_INFINITY ? value : std::min(value, current.rlim_max);
  const rlimit lowered{limit, limit};
  if (setrlimit(resource, &lowered) != 0) {
    return Status::Error(Code::kSandboxRlimit, std::string("cannot set ") + name + " (" + std::strerror(errno) + ")");
  }
  return Status::Ok();
}

std::set<int> KeptFds(const SandboxOptions& options) {
  std::set<int> kept{STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO};
  for (int fd : options.keep_fds) {
    if (fd >= 0) kept.insert(fd);
  }
  return kept;
}

void CloseRange(unsigned int first, unsigned int last, rlim_t fallback_limit) {
  if (first > last) return;
  if (close_range(first, last, 0) == 0) return;
  // Kernels before 5.9: close one by one up to the old descriptor limit.
  const rlim_t end = std::min<rlim_t>(last, fallback_limit == 0 ? 0 : fallback_limit - 1);
  for (rlim_t fd = first; fd <= end; ++fd) close(static_cast<int>(fd));
}

void CloseEveryFdBut(const std::set<int>& kept, rlim_t fallback_limit) {
  unsigned int next = 0;
  for (int fd : kept) {
    if (static_cast<unsigned int>(fd) > next) CloseRange(next, static_cast<unsigned int>(fd) - 1, fallback_limit);
    next = static_cast<unsigned int>(fd) + 1;
  }
  CloseRange(next, ~0u, fallback_limit);
}

}  // namespace

Result<SandboxReport> ApplySandbox(const SandboxOptions& options) {
  SandboxReport report;
  const std::optional<uint64_t> in_use = AddressSpaceInUse();
  if (g_statm_fd >= 0) {
    close(g_statm_fd);
    g_statm_fd = -1;
  }
  if (in_use && *in_use >= options.address_space_bytes) {
    return Status::Error(Code::kSandboxAddressSpace,
                         "the address space in use (" + std::to_string(*in_use / kMiB) + " MiB) is over the limit (" +
                             std::to_string(options.address_space_bytes / kMiB) + " MiB)");
  }

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return Status::Error(Code::kSandboxNoNewPrivs, "the kernel refused no_new_privs");
  }
  report.no_new_privs = true;
  // Not dumpable: no core file, and no ptrace attach by another process of the same user.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Status::Error(Code::kSandboxDumpable, "the kernel refused to make the process not dumpable");
  }
  // With RLIMIT_FSIZE 0 a write that would grow a regular file raises SIGXFSZ, which
  // kills; ignored, the write fails with EFBIG instead (stdout redirected to a file).
  signal(SIGXFSZ, SIG_IGN);

  const LandlockOutcome landlock = ApplyLandlock();
  report.landlock = landlock.applied;
  report.landlock_abi = landlock.abi;

  const std::set<int> kept = KeptFds(options);
  rlimit descriptors{};
  getrlimit(RLIMIT_NOFILE, &descriptors);
  for (const Status& status :
       {LowerLimit(RLIMIT_CORE, "RLIMIT_CORE", 0), LowerLimit(RLIMIT_FSIZE, "RLIMIT_FSIZE", 0),
        LowerLimit(RLIMIT_AS, "RLIMIT_AS", options.address_space_bytes),
        LowerLimit(RLIMIT_NOFILE, "RLIMIT_NOFILE", static_cast<rlim_t>(*kept.rbegin()) + 1)}) {
    if (!status.ok()) return status;
  }

  if (Status seccomp = ApplySeccompFilter(); !seccomp.ok()) return seccomp;
  report.seccomp = true;

  CloseEveryFdBut(kept, descriptors.rlim_cur);

  report.detail = "seccomp allowlist on every thread; " + landlock.detail +
                  (landlock.applied ? " (this thread and those it starts)" : "") + "; address space " +
                  (in_use ? std::to_string(*in_use / kMiB) : std::string("?")) + " of " +
                  std::to_string(options.address_space_bytes / kMiB) + " MiB in use";
  return report;
}

Result<int> RestrictFilesForLoading(const std::vector<std::string>& readable) {
  if (g_statm_fd < 0) g_statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return Status::Error(Code::kSandboxNoNewPrivs, "the kernel refused no_new_privs");
  }
  // With or without Landlock: no network, no process of its own while loading.
  if (Status loading = ApplyLoadingFilter(); !loading.ok()) return loading;
  if (LandlockAbi() == 0) return 0;
  const LandlockOutcome landlock = ApplyLandlock(readable);
  if (!landlock.applied) return Status::Error(Code::kSandboxLandlock, landlock.detail);
  return landlock.abi;
}

std::vector<std::string> LoadingPaths(const std::string& plugin_file) {
  return {plugin_file, "/etc/ld.so.cache", "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"};
}

}  // namespace switchboard::runner
