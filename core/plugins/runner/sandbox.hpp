// The sandbox a plugin runner applies to itself once the plugin library is loaded and its
// worker threads run: afterwards the process can compute, allocate (up to a limit), run
// threads and talk over the descriptors it already has, and nothing else: no files, no
// sockets, no processes, no exec, no ptrace.
//
// What the caller must do first (ApplySandbox cannot do it afterwards):
//  - mallopt(M_ARENA_MAX, 2) before any thread starts: glibc reserves 64 MiB of address
//    space per malloc arena (one per thread by default, up to 8 per core), which would eat
//    the RLIMIT_AS budget; with at most 2 arenas a few threads fit in 256 MiB.
//  - create every descriptor it will need (channel socket, pipes, epoll...) and list the
//    ones it keeps using in keep_fds: every other descriptor above 2 is closed, and no new
//    one can be created afterwards.
//  - give it pipes (or sockets) for stdout and stderr, not regular files: RLIMIT_FSIZE 0
//    makes every write that would grow a file fail with EFBIG.
//  - call it once, from any thread: the seccomp filter covers every thread of the process;
//    Landlock (where the kernel has it) covers the calling thread and the threads it
//    starts afterwards (seccomp alone guards threads started before).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace switchboard::runner {

struct SandboxOptions {
  uint64_t address_space_bytes = 256ull << 20;  // RLIMIT_AS
  std::vector<int> keep_fds;  // fds the runner still uses (channel socket, stderr); 0-2 are always kept
};

struct SandboxReport {
  bool seccomp = false;
  bool landlock = false;
  int landlock_abi = 0;  // the kernel's Landlock ABI version, 0 when it has none
  bool no_new_privs = false;
  std::string detail;  // one line for the runner's hello and the host log
};

// Applies, in this order: no_new_privs and not-dumpable (no core dumps, no ptrace attach),
// rlimits (address space, no core, no file growth, descriptors), Landlock with no file
// system access at all (when the kernel offers it), a SIGSYS handler, then the seccomp
// allowlist; last it closes every descriptor not kept. A forbidden system call is answered
// with EPERM and one line "sandbox: denied <name> (<nr>)\n" on fd 2; exec, ptrace,
// process_vm_* and touching the SIGSYS handler kill the process with SIGSYS.
// Fails before applying anything when the address space in use is already over the limit;
// fails part way when no_new_privs, an rlimit or the seccomp filter cannot be applied (the
// runner must then refuse to serve). A kernel without Landlock is not a failure: the
// report says landlock=false.
Result<SandboxReport> ApplySandbox(const SandboxOptions& options);

// Optional, before the plugin library is loaded and before any thread starts, where the
// kernel has Landlock: from then on the process, and every thread it starts, may only read
// beneath `readable` (no writing anywhere, no TCP bind/connect), so the code that runs
// while the library loads (its constructors, sb_provider_entry) cannot read the master key
// or the data folder either. Sets no_new_privs and, with or without Landlock, a seccomp
// filter refusing sockets, new processes, exec and ptrace (ApplyLoadingFilter), so that
// code gets no network and cannot fork a process the sandbox would never cover. Returns
// the kernel's Landlock ABI, or 0 when it has none (no file restriction; not a failure).
// ApplySandbox later takes reading away too.
Result<int> RestrictFilesForLoading(const std::vector<std::string>& readable);

// What loading a plugin reads: its file, the dynamic linker's cache and the system's
// library folders. A plugin that bundles libraries beside itself needs its folder added.
std::vector<std::string> LoadingPaths(const std::string& plugin_file);

}  // namespace switchboard::runner
