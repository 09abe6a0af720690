// The report ApplySandbox returns, the address-space check before anything is applied, and
// Landlock on its own (seccomp denies the same calls first, so it is tested apart).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "plugins/runner/sandbox_landlock.hpp"
#include "sandboxed_child.hpp"

using sandbox_test::ChildResult;
using sandbox_test::RunInChild;

namespace {

void Say(const std::string& text) { [[maybe_unused]] ssize_t written = write(STDOUT_FILENO, text.data(), text.size()); }

}  // namespace

TEST_CASE("the report says what is active", "[sandbox]") {
  const int abi = switchboard::runner::LandlockAbi();
  ChildResult result = RunInChild([](void*) {
    auto report = switchboard::runner::ApplySandbox({});
    CHILD_CHECK(report.ok());
    CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
    CHILD_CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
    CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2);  // SECCOMP_MODE_FILTER
    Say("seccomp=" + std::to_string(report->seccomp) + " landlock=" + std::to_string(report->landlock) +
        " abi=" + std::to_string(report->landlock_abi) + " nnp=" + std::to_string(report->no_new_privs) + "\n" +
        report->detail + "\n");
    return 0;
  });
  INFO(result.Describe());
  REQUIRE(result.ExitedWith(0));
  const std::string expected = "seccomp=1 landlock=" + std::to_string(abi > 0) + " abi=" + std::to_string(abi) +
                               " nnp=1\n";
  CHECK(result.out.substr(0, expected.size()) == expected);
  CHECK(result.out.find("seccomp allowlist on every thread") != std::string::npos);
  CHECK(result.out.find(" MiB in use") != std::string::npos);
  CHECK(result.out.find("address space ?") == std::string::npos);
  CHECK(result.out.find(abi > 0 ? "no file system access" : "not offered by the kernel") != std::string::npos);
  CHECK(result.err.empty());
  WARN("Landlock ABI of this kernel: " << abi);
}

TEST_CASE("an address-space limit below what is in use is refused before anything is applied", "[sandbox]") {
  ChildResult result = RunInChild([](void*) {
    switchboard::runner::SandboxOptions options;
    options.address_space_bytes = 1u << 20;
    auto report = switchboard::runner::ApplySandbox(options);
    CHILD_CHECK(!report.ok());
    Say(report.status().code_name() + "\n");
    CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHILD_CHECK(fd >= 0);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.out == "sandbox_address_space\n");
}

TEST_CASE("Landlock alone leaves no file system access and no TCP connect", "[sandbox][landlock]") {
  const int abi = switchboard::runner::LandlockAbi();
  if (abi == 0) {
    WARN("this kernel has no Landlock: nothing to test");
    return;
  }
  static int expected_abi = abi;
  ChildResult result = RunInChild([](void*) {
    // A listener on loopback, made before, and a file opened before: both stay usable.
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    CHILD_CHECK(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    CHILD_CHECK(listen(listener, 1) == 0);
    CHILD_CHECK(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    const int opened_before = open("/etc/passwd", O_RDONLY);
    CHILD_CHECK(opened_before >= 0);

    CHILD_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    const auto outcome = switchboard::runner::ApplyLandlock();
    CHILD_CHECK(outcome.applied && outcome.abi == expected_abi);
    CHILD_CHECK(open("/etc/passwd", O_RDONLY) == -1 && errno == EACCES);
    CHILD_CHECK(open("/tmp", O_RDONLY | O_DIRECTORY) == -1 && errno == EACCES);
    char byte;
    CHILD_CHECK(read(opened_before, &byte, 1) == 1);
    if (expected_abi >= 4) {
      const int client = socket(AF_INET, SOCK_STREAM, 0);
      CHILD_CHECK(client >= 0);  // Landlock does not deny sockets; seccomp does
      CHILD_CHECK(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == -1 && errno == EACCES);
    }
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
}
