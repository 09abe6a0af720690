// The allowlist is what glibc, libstdc++ and a plugin computing an answer need: memory,
// threads (clone with CLONE_THREAD only), futexes, clocks, randomness, signals to itself
// (abort), and I/O on the descriptors already open. Everything else traps (SIGSYS): the
// handler logs the call and makes it return -EPERM, so the plugin's call fails and the
// runner lives. What could take the process out of the sandbox (exec, ptrace,
// process_vm_*, a new SIGSYS disposition) kills it instead.
//
// Blocking SIGSYS does not disable the trap: the kernel forces a blocked trap signal with
// the default action, which kills the process. So rt_sigprocmask stays allowed (glibc
// blocks signals around thread creation and abort), and seccomp could not read the
// signal set it points to anyway.
#include "plugins/runner/sandbox_seccomp.hpp"

#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

#include "plugins/runner/sandbox_quiet_paths.hpp"

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "the plugin sandbox sets the system call's return register: x86_64 and aarch64 only"
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

namespace switchboard::runner {
namespace {

// Names of the native system calls, resolved before the filter is loaded: the SIGSYS
// handler may only read memory (libseccomp's resolver allocates, not async-signal-safe).
constexpr int kNameTableSize = 512;
constexpr int kNameLength = 32;
char g_syscall_names[kNameTableSize][kNameLength];

void FillSyscallNames() {
  const uint32_t arch = seccomp_arch_native();
  for (int nr = 0; nr < kNameTableSize; ++nr) {
    char* name = seccomp_syscall_resolve_num_arch(arch, nr);
    if (name == nullptr) continue;
    std::strncpy(g_syscall_names[nr], name, kNameLength - 1);
    std::free(name);
  }
}

size_t AppendText(char* line, size_t at, size_t capacity, const char* text) {
  while (*text != '\0' && at < capacity) line[at++] = *text++;
  return at;
}

size_t AppendNumber(char* line, size_t at, size_t capacity, long number) {
  char digits[24];
  size_t count = 0;
  bool negative = number < 0;
  unsigned long value = negative ? 0ul - static_cast<unsigned long>(number) : static_cast<unsigned long>(number);
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 && count < sizeof(digits));
  if (negative && at < capacity) line[at++] = '-';
  while (count > 0 && at < capacity) line[at++] = digits[--count];
  return at;
}

// Async-signal-safe: builds the line on the stack and writes it with one write(), so lines
// from several threads never interleave (a pipe write under PIPE_BUF is atomic).
void OnSigsys(int, siginfo_t* info, void* context) {
  if (info->si_code != SYS_SECCOMP) return;  // a SIGSYS sent by kill(), not a trapped call
  const int saved_errno = errno;
  auto* frame = static_cast<ucontext_t*>(context);
#if defined(__x86_64__)
  frame->uc_mcontext.gregs[REG_RAX] = -EPERM;
  const auto openat_path = reinterpret_cast<const void*>(frame->uc_mcontext.gregs[REG_RSI]);
#elif defined(__aarch64__)
  frame->uc_mcontext.regs[0] = static_cast<uint64_t>(-EPERM);
  const auto openat_path = reinterpret_cast<const void*>(frame->uc_mcontext.regs[1]);
#endif
  const int nr = info->si_syscall;
  if (nr == SYS_openat && IsGlibcProbePath(openat_path)) {
    errno = saved_errno;
    return;  // glibc's own bookkeeping, denied quietly (sandbox_quiet_paths.hpp)
  }
  const char* name = (nr >= 0 && nr < kNameTableSize && g_syscall_names[nr][0] != '\0') ? g_syscall_names[nr]
                                                                                        : "unknown";
  char line[96];
  size_t length = 0;
  length = AppendText(line, length, sizeof(line) - 1, "sandbox: denied ");
  length = AppendText(line, length, sizeof(line) - 1, name);
  length = AppendText(line, length, sizeof(line) - 1, " (");
  length = AppendNumber(line, length, sizeof(line) - 1, nr);
  length = AppendText(line, length, sizeof(line) - 1, ")");
  line[length++] = '\n';
  [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, line, length);
  errno = saved_errno;
}

Status InstallSigsysHandler() {
  struct sigaction action {};
  action.sa_sigaction = OnSigsys;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGSYS, &action, nullptr) != 0) {
    return Status::Error(Code::kSandboxSignal, "could not install the SIGSYS handler");
  }
  sigset_t sigsys;
  sigemptyset(&sigsys);
  sigaddset(&sigsys, SIGSYS);
  pthread_sigmask(SIG_UNBLOCK, &sigsys, nullptr);
  return Status::Ok();
}

// Adds rules by name; a name the architecture lacks (open on aarch64) is skipped.
class FilterRules {
 public:
  explicit FilterRules(scmp_filter_ctx filter) : filter_(filter) {}

  void Add(uint32_t action, const char* name, std::initializer_list<scmp_arg_cmp> conditions = {}) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr < 0) return;  // __NR_SCMP_ERROR, or a pseudo number: not a system call here
    const int rc = seccomp_rule_add_array(filter_, action, nr, static_cast<unsigned int>(conditions.size()),
                                          conditions.begin());
    if (rc != 0 && first_error_.empty()) first_error_ = std::string(name) + ": " + std::strerror(-rc);
  }
  void Allow(const char* name, std::initializer_list<scmp_arg_cmp> conditions = {}) {
    Add(SCMP_ACT_ALLOW, name, conditions);
  }
  const std::string& first_error() const { return first_error_; }

 private:
  scmp_filter_ctx filter_;
  std::string first_error_;
};

// Argument comparisons on all 64 bits (libseccomp's SCMP_A* macros leave a field unset).
scmp_arg_cmp Equal(unsigned int argument, scmp_datum_t value) { return {argument, SCMP_CMP_EQ, value, 0}; }
scmp_arg_cmp Masked(unsigned int argument, scmp_datum_t mask, scmp_datum_t value) {
  return {argument, SCMP_CMP_MASKED_EQ, mask, value};
}

void AddAllowlist(FilterRules& rules) {
  // I/O on descriptors already open (none can be created: socket, open*, pipe*, dup* trap).
  for (const char* name : {"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
                           "preadv2", "pwritev2", "recvmsg", "sendmsg", "recvfrom", "sendto", "lseek", "close",
                           "close_range", "fstat", "poll", "ppoll", "select", "pselect6", "epoll_wait",
                           "epoll_pwait", "epoll_pwait2", "epoll_ctl"}) {
    rules.Allow(name);
  }
  // glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH) (stdio calls it on first use of
  // a stream). The path cannot be checked, so a path still reaches metadata only; opening
  // anything stays denied.
  rules.Allow("newfstatat", {Masked(3, AT_EMPTY_PATH, AT_EMPTY_PATH)});
  for (int command : {F_GETFD, F_SETFD, F_GETFL, F_SETFL}) {  // not F_DUPFD*
    rules.Allow("fcntl", {Equal(1, static_cast<scmp_datum_t>(command))});
  }
  // isatty() and a byte count; never TIOCSTI or anything else that writes.
  for (unsigned long request : {static_cast<unsigned long>(TCGETS), static_cast<unsigned long>(FIONREAD)}) {
    rules.Allow("ioctl", {Equal(1, request)});
  }

  // Memory.
  for (const char* name : {"mmap", "munmap", "mremap", "mprotect", "madvise", "brk"}) rules.Allow(name);

  // Threads and their synchronisation. clone3 passes its flags in memory seccomp cannot
  // read, so it answers ENOSYS and glibc falls back to clone, whose flags are checked: a
  // thread yes; a process (fork, vfork, posix_spawn) or a new namespace no.
  constexpr scmp_datum_t kCloneMask = CLONE_THREAD | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                      CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
  rules.Allow("clone", {Masked(0, kCloneMask, CLONE_THREAD)});
  rules.Add(SCMP_ACT_ERRNO(ENOSYS), "clone3");
  for (const char* name : {"futex", "set_robust_list", "rseq", "membarrier", "sched_yield", "sched_getaffinity",
                           "getcpu", "exit", "exit_group", "restart_syscall"}) {
    rules.Allow(name);
  }

  // Time, randomness, identity.
  for (const char* name : {"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
                           "getrandom", "getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid"}) {
    rules.Allow(name);
  }

  // Limits may be read, never changed (prlimit64 on itself with no new value).
  rules.Allow("getrlimit");
  rules.Allow("prlimit64", {Equal(0, 0), Equal(2, 0)});
  for (int option : {PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE, PR_GET_NO_NEW_PRIVS, PR_GET_SECCOMP}) {
    rules.Allow("prctl", {Equal(0, static_cast<scmp_datum_t>(option))});
  }

  // Signals: handlers for anything but SIGSYS (compared on all 64 bits: the kernel reads an
  // int, so a SIGSYS with junk in the upper half must not slip through as "another
  // signal"); signals only to itself (raise, abort), never to the host or another process.
  for (int signal_number = 1; signal_number <= 64; ++signal_number) {
    if (signal_number == SIGSYS) continue;
    rules.Allow("rt_sigaction", {Equal(0, static_cast<scmp_datum_t>(signal_number))});
  }
  rules.Add(SCMP_ACT_KILL_PROCESS, "rt_sigaction", {Masked(0, 0xffffffffu, SIGSYS)});
  for (const char* name : {"rt_sigreturn", "rt_sigprocmask", "sigaltstack"}) rules.Allow(name);
  const auto self = static_cast<scmp_datum_t>(getpid());
  rules.Allow("tgkill", {Equal(0, self)});
  rules.Allow("kill", {Equal(0, self)});

  // Ways out of the sandbox: the process is killed, not told no.
  for (const char* name : {"execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev"}) {
    rules.Add(SCMP_ACT_KILL_PROCESS, name);
  }
}

}  // namespace

Status ApplySeccompFilter() {
  FillSyscallNames();
  FindGlibcProbePaths();
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_TRAP);
  if (filter == nullptr) return Status::Error(Code::kSandboxSeccomp, "libseccomp could not start a filter");
  FilterRules rules(filter);
  AddAllowlist(rules);
  if (!rules.first_error().empty()) {
    seccomp_release(filter);
    return Status::Error(Code::kSandboxSeccomp, "seccomp rule refused: " + rules.first_error());
  }
  // A system call of another ABI (int 0x80 on x86_64) kills the whole process, not only
  // the thread (libseccomp's default), so a plugin cannot use one to stop a thread quietly.
  if (seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0) {
    seccomp_release(filter);
    return Status::Error(Code::kSandboxSeccomp, "libseccomp refused the action for other architectures");
  }
  // A binary tree of system call numbers rather than a list: every allowed call (each
  // read and write of the channel) pays a few comparisons instead of up to a hundred.
  seccomp_attr_set(filter, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  if (seccomp_attr_set(filter, SCMP_FLTATR_CTL_TSYNC, 1) != 0) {
    seccomp_release(filter);
    return Status::Error(Code::kSandboxSeccomp, "seccomp cannot synchronise the filter across threads");
  }
  if (Status handler = InstallSigsysHandler(); !handler.ok()) {
    seccomp_release(filter);
    return handler;
  }
  const int loaded = seccomp_load(filter);
  seccomp_release(filter);
  if (loaded != 0) {
    return Status::Error(Code::kSandboxSeccomp, std::string("the kernel refused the seccomp filter (") +
                                                std::strerror(-loaded) + ")");
  }
  return Status::Ok();
}

Status ApplyLoadingFilter() {
  // Everything else stays allowed: the dynamic linker, the library's constructors and its
  // entry point may need calls the allowlist lacks (opening and mapping libraries, which
  // Landlock confines to reading the system's folders). What no loading code needs, and
  // what would outlast the sandbox applied after it, is refused: the network (Landlock
  // covers TCP only, on kernels that have it), a process of its own (a fork made now would
  // never get the seccomp filter), exec, ptrace and another process's memory.
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
  if (filter == nullptr) return Status::Error(Code::kSandboxSeccomp, "libseccomp could not start a filter");
  FilterRules rules(filter);
  for (const char* name : {"socket", "socketpair", "fork", "vfork", "execve", "execveat", "ptrace",
                           "process_vm_readv", "process_vm_writev", "unshare", "setns"}) {
    rules.Add(SCMP_ACT_ERRNO(EPERM), name);
  }
  // clone: a thread yes; a process or a new namespace no (clone3 hides its flags from
  // seccomp: ENOSYS makes glibc use clone).
  rules.Add(SCMP_ACT_ERRNO(EPERM), "clone", {Masked(0, CLONE_THREAD, 0)});
  for (scmp_datum_t flag : {CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
                            CLONE_NEWNET}) {
    rules.Add(SCMP_ACT_ERRNO(EPERM), "clone", {Masked(0, flag, flag)});
  }
  rules.Add(SCMP_ACT_ERRNO(ENOSYS), "clone3");
  if (!rules.first_error().empty()) {
    seccomp_release(filter);
    return Status::Error(Code::kSandboxSeccomp, "seccomp rule refused: " + rules.first_error());
  }
  seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  const int loaded = seccomp_load(filter);
  seccomp_release(filter);
  if (loaded != 0) {
    return Status::Error(Code::kSandboxSeccomp, std::string("the kernel refused the loading filter (") +
                                                std::strerror(-loaded) + ")");
  }
  return Status::Ok();
}

}  // namespace switchboard::runner
