// What the sandbox takes away: sockets, files, processes, exec, ptrace, signals to others,
// and its own SIGSYS handler. A denied call fails with EPERM and one line on stderr; the
// calls that could undo the sandbox kill the process with SIGSYS.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <ctime>

#include "sandboxed_child.hpp"

using sandbox_test::ChildResult;
using sandbox_test::RunInChild;
using sandbox_test::RunSandboxed;

namespace {

std::string DeniedLine(const char* name, long nr) {
  return std::string("sandbox: denied ") + name + " (" + std::to_string(nr) + ")\n";
}

void Say(const char* text) { [[maybe_unused]] ssize_t written = write(STDOUT_FILENO, text, std::strlen(text)); }

// A scratch folder with a file standing for the master key.
struct MasterKeyFolder {
  std::filesystem::path folder;
  std::filesystem::path key;
  MasterKeyFolder() {
    char name[] = "/tmp/sandbox-test-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    folder = name;
    key = folder / "master.key";
    std::ofstream(key) << "TOPSECRET-master-key";
  }
  ~MasterKeyFolder() { std::filesystem::remove_all(folder); }
};

}  // namespace

TEST_CASE("without the sandbox the same child can open sockets and files", "[sandbox]") {
  // The control: the denials below come from the sandbox, not from the test's environment.
  ChildResult result = RunInChild([](void*) {
    const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
    CHILD_CHECK(socket_fd >= 0);
    const int file_fd = open("/etc/passwd", O_RDONLY);
    CHILD_CHECK(file_fd >= 0);
    CHILD_CHECK(kill(getppid(), 0) == 0);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
}

TEST_CASE("a socket is denied with EPERM and one line on stderr, and the plugin lives", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    CHILD_CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1 && errno == EPERM);
    int pair[2];
    CHILD_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == -1 && errno == EPERM);
    Say("still running\n");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.out == "still running\n");
  CHECK(result.err == DeniedLine("socket", SYS_socket) + DeniedLine("socketpair", SYS_socketpair));
}

TEST_CASE("no file can be opened, created or removed", "[sandbox]") {
  MasterKeyFolder scratch;
  static std::string folder;
  folder = scratch.folder.string();
  ChildResult result = RunSandboxed([](void*) {
    CHILD_CHECK(open("/etc/passwd", O_RDONLY) == -1 && errno == EPERM);
    CHILD_CHECK(openat(AT_FDCWD, "/etc/passwd", O_RDONLY) == -1 && errno == EPERM);
#ifdef SYS_open
    CHILD_CHECK(syscall(SYS_open, "/etc/passwd", O_RDONLY) == -1 && errno == EPERM);
#endif
    CHILD_CHECK(std::fopen("/etc/hostname", "r") == nullptr);
    CHILD_CHECK(open((folder + "/new-file").c_str(), O_WRONLY | O_CREAT, 0600) == -1);
    CHILD_CHECK(mkdir((folder + "/new-folder").c_str(), 0700) == -1);
    CHILD_CHECK(unlink((folder + "/master.key").c_str()) == -1);
    CHILD_CHECK(dup(STDOUT_FILENO) == -1);  // no new descriptor either
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(std::filesystem::exists(scratch.key));
  CHECK_FALSE(std::filesystem::exists(scratch.folder / "new-file"));
  CHECK_FALSE(std::filesystem::exists(scratch.folder / "new-folder"));
  CHECK(result.err.find(DeniedLine("openat", SYS_openat)) != std::string::npos);
}

TEST_CASE("the master key file cannot be read, not even through a descriptor opened before", "[sandbox]") {
  MasterKeyFolder scratch;
  static std::string key_path;
  key_path = scratch.key.string();
  static int opened_before = -1;
  ChildResult result = RunInChild([](void*) {
    opened_before = open(key_path.c_str(), O_RDONLY);  // as a plugin's constructor might
    CHILD_CHECK(opened_before > 2);
    auto applied = switchboard::runner::ApplySandbox({});
    CHILD_CHECK(applied.ok());
    char buffer[64] = {};
    CHILD_CHECK(open(key_path.c_str(), O_RDONLY) == -1 && errno == EPERM);
    CHILD_CHECK(read(opened_before, buffer, sizeof(buffer)) == -1 && errno == EBADF);
    CHILD_CHECK(pread(opened_before, buffer, sizeof(buffer), 0) == -1 && errno == EBADF);
    Say(buffer);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.out.find("TOPSECRET") == std::string::npos);
}

TEST_CASE("a descriptor in keep_fds stays usable", "[sandbox]") {
  MasterKeyFolder scratch;
  static std::string key_path;
  key_path = scratch.key.string();
  ChildResult result = RunInChild([](void*) {
    const int kept = open(key_path.c_str(), O_RDONLY);
    CHILD_CHECK(kept > 2);
    switchboard::runner::SandboxOptions options;
    options.keep_fds = {kept};
    CHILD_CHECK(switchboard::runner::ApplySandbox(options).ok());
    char buffer[64] = {};
    CHILD_CHECK(read(kept, buffer, sizeof(buffer) - 1) > 0);
    Say(buffer);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.out == "TOPSECRET-master-key");
}

TEST_CASE("exec kills the process", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    Say("about to exec\n");
    char* const argv[] = {const_cast<char*>("/bin/echo"), const_cast<char*>("escaped"), nullptr};
    execve("/bin/echo", argv, environ);
    Say("execve returned\n");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.KilledBy(SIGSYS));
  CHECK_FALSE(result.DumpedCore());
  CHECK(result.out == "about to exec\n");
}

TEST_CASE("fork fails with EPERM and the plugin lives", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    const pid_t forked = fork();
    if (forked == 0) {
      Say("escaped\n");
      _exit(42);
    }
    CHILD_CHECK(forked == -1 && errno == EPERM);
    Say("still running\n");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.out == "still running\n");
  CHECK(result.err == DeniedLine("clone", SYS_clone));  // clone3 answers ENOSYS quietly
}

// posix_spawn and system() block every signal around their clone, and the kernel turns a
// trap that cannot be delivered into a kill: these end the plugin instead of failing.
TEST_CASE("posix_spawn and system() kill the process, nothing runs", "[sandbox]") {
  ChildResult spawned = RunSandboxed([](void*) {
    pid_t child = 0;
    char* const argv[] = {const_cast<char*>("/bin/echo"), const_cast<char*>("escaped"), nullptr};
    const int rc = posix_spawn(&child, "/bin/echo", nullptr, nullptr, argv, environ);
    Say(rc == 0 ? "spawned\n" : "posix_spawn failed\n");
    return 0;
  });
  INFO(spawned.Describe());
  CHECK(spawned.KilledBy(SIGSYS));
  CHECK(spawned.out.empty());

  ChildResult shell = RunSandboxed([](void*) {
    const int rc = std::system("echo escaped");
    Say(rc == -1 ? "system failed\n" : "system ran\n");
    return 0;
  });
  INFO(shell.Describe());
  CHECK(shell.KilledBy(SIGSYS));
  CHECK(shell.out.empty());
}

TEST_CASE("glibc's own probes are denied quietly, the same path from the plugin is logged", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    CHILD_CHECK(std::thread::hardware_concurrency() >= 1);  // reads /sys/devices/system/cpu/online
    const time_t now = time(nullptr);
    tm local{};
    CHILD_CHECK(localtime_r(&now, &local) != nullptr);  // reads /etc/localtime
    char own_copy[] = "/etc/localtime";
    CHILD_CHECK(open(own_copy, O_RDONLY) == -1 && errno == EPERM);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err == DeniedLine("openat", SYS_openat));
}

TEST_CASE("no signal to another process, to itself yes", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    CHILD_CHECK(kill(getppid(), 0) == -1 && errno == EPERM);  // signal 0: only asks
    CHILD_CHECK(kill(getpid(), 0) == 0);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err == DeniedLine("kill", SYS_kill));
}

TEST_CASE("a system call the name table does not know is denied by number", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    CHILD_CHECK(syscall(1000) == -1 && errno == EPERM);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err == "sandbox: denied unknown (1000)\n");
}

TEST_CASE("ptrace and process_vm_readv kill the process", "[sandbox]") {
  ChildResult traced = RunSandboxed([](void*) {
    ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    Say("ptrace returned\n");
    return 0;
  });
  INFO(traced.Describe());
  CHECK(traced.KilledBy(SIGSYS));
  CHECK(traced.out.empty());

  ChildResult peeked = RunSandboxed([](void*) {
    char buffer[8];
    iovec local{buffer, sizeof(buffer)};
    iovec remote{buffer, sizeof(buffer)};
    process_vm_readv(getppid(), &local, 1, &remote, 1, 0);
    Say("process_vm_readv returned\n");
    return 0;
  });
  INFO(peeked.Describe());
  CHECK(peeked.KilledBy(SIGSYS));
  CHECK(peeked.out.empty());
}

TEST_CASE("installing a SIGSYS handler kills the process", "[sandbox]") {
  ChildResult ignored = RunSandboxed([](void*) {
    signal(SIGSYS, SIG_IGN);
    Say("SIGSYS ignored\n");
    return 0;
  });
  INFO(ignored.Describe());
  CHECK(ignored.KilledBy(SIGSYS));
  CHECK(ignored.out.empty());

  // The kernel reads the signal number as an int: junk in the upper half must not pass.
  ChildResult smuggled = RunSandboxed([](void*) {
    struct sigaction action {};
    action.sa_handler = SIG_IGN;
    syscall(SYS_rt_sigaction, (1L << 32) | SIGSYS, &action, nullptr, 8);
    Say("SIGSYS ignored\n");
    return 0;
  });
  INFO(smuggled.Describe());
  CHECK(smuggled.KilledBy(SIGSYS));
  CHECK(smuggled.out.empty());
}

TEST_CASE("blocking SIGSYS turns the next denied call into a kill, never a pass", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    sigset_t sigsys;
    sigemptyset(&sigsys);
    sigaddset(&sigsys, SIGSYS);
    CHILD_CHECK(sigprocmask(SIG_BLOCK, &sigsys, nullptr) == 0);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    Say(fd >= 0 ? "socket created\n" : "socket refused\n");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.KilledBy(SIGSYS));
  CHECK(result.out.empty());
}

TEST_CASE("the limits cannot be raised and the process cannot be made dumpable again", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    rlimit more{RLIM_INFINITY, RLIM_INFINITY};
    CHILD_CHECK(setrlimit(RLIMIT_AS, &more) == -1);
    CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &more) == -1);
    CHILD_CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == -1 && errno == EPERM);
    CHILD_CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
}

#if defined(__x86_64__)
namespace {

// getpid through the 32-bit entry (int 0x80), numbered as i386 numbers it.
long Getpid32() {
  long result = 20;
  asm volatile("int $0x80" : "+a"(result) : : "memory");
  return result;
}

}  // namespace

TEST_CASE("a 32-bit system call kills the whole process, not only its thread", "[sandbox]") {
  ChildResult control = RunInChild([](void*) { return Getpid32() == getpid() ? 0 : 1; });
  if (!control.ExitedWith(0)) {
    WARN("this kernel has no 32-bit entry: " << control.Describe());
    return;
  }
  ChildResult result = RunSandboxed([](void*) {
    std::thread([] { Getpid32(); }).join();
    Say("survived\n");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.KilledBy(SIGSYS));
  CHECK(result.out.empty());
}
#endif
