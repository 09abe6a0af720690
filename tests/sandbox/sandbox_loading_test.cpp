// RestrictFilesForLoading: where the kernel has Landlock, the code that runs while a plugin
// loads can read the system's libraries and the plugin's file, and nothing else.
#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "plugins/runner/sandbox_landlock.hpp"
#include "sandboxed_child.hpp"
#include "support/plugin_library.hpp"

namespace {

std::string g_key_path;
int g_expected_abi = 0;

int LoadUnderRestriction(void*) {
  const std::string plugin_file = std::string(SWITCHBOARD_PLUGIN_DIR) + "/openai.so";
  auto restricted = switchboard::runner::RestrictFilesForLoading(switchboard::runner::LoadingPaths(plugin_file));
  CHILD_CHECK(restricted.ok() && *restricted == g_expected_abi);
  // What a hostile constructor would try, on this thread and on one it starts.
  CHILD_CHECK(open(g_key_path.c_str(), O_RDONLY) == -1 && errno == EACCES);
  CHILD_CHECK(open("/etc/passwd", O_RDONLY) == -1 && errno == EACCES);
  CHILD_CHECK(open("/tmp/sandbox-loading-new", O_WRONLY | O_CREAT, 0600) == -1 && errno == EACCES);
  int thread_errno = 0;
  std::thread([&] {
    if (open(g_key_path.c_str(), O_RDONLY) == -1) thread_errno = errno;
  }).join();
  CHILD_CHECK(thread_errno == EACCES);
  // Loading itself still works, and so does the sandbox after it.
  switchboard::testing::PluginLibrary library("openai");
  switchboard::testing::FakeHost host(library.entry());
  auto report = switchboard::runner::ApplySandbox({});
  CHILD_CHECK(report.ok());
  CHILD_CHECK(report->detail.find("address space ?") == std::string::npos);  // still measured
  CHILD_CHECK(host.Manifest().contains("schema"));
  return 0;
}

}  // namespace

TEST_CASE("while a plugin loads it reads only libraries and its own file", "[sandbox][landlock]") {
  g_expected_abi = switchboard::runner::LandlockAbi();
  if (g_expected_abi == 0) {
    WARN("this kernel has no Landlock: RestrictFilesForLoading must apply nothing and say 0");
    auto result = sandbox_test::RunInChild([](void*) {
      auto restricted = switchboard::runner::RestrictFilesForLoading({"/usr/lib"});
      CHILD_CHECK(restricted.ok() && *restricted == 0);
      CHILD_CHECK(open("/etc/passwd", O_RDONLY) >= 0);
      return 0;
    });
    INFO(result.Describe());
    CHECK(result.ExitedWith(0));
    return;
  }
  char name[] = "/tmp/sandbox-test-XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  g_key_path = std::string(name) + "/master.key";
  std::ofstream(g_key_path) << "TOPSECRET";
  auto result = sandbox_test::RunInChild(LoadUnderRestriction);
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
  CHECK_FALSE(std::filesystem::exists("/tmp/sandbox-loading-new"));
  std::filesystem::remove_all(name);
}
