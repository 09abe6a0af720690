// What a plugin keeps in the sandbox: threads, memory up to the limit, exceptions, stdio on
// the streams already open, abort(). None of it may leave a denial line on stderr.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/random.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <random>
#include <regex>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <new>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sandboxed_child.hpp"

using sandbox_test::ChildResult;
using sandbox_test::RunInChild;
using sandbox_test::RunSandboxed;

namespace {

constexpr uint64_t kMiB = 1ull << 20;

uint64_t SumOfSquares(uint64_t count) {
  std::vector<uint64_t> values(count);
  std::iota(values.begin(), values.end(), 1);
  uint64_t sum = 0;
  for (uint64_t value : values) sum += value * value;
  return sum;
}

}  // namespace

TEST_CASE("threads start, compute, allocate and join", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    std::vector<uint64_t> sums(4, 0);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < sums.size(); ++i) {
      threads.emplace_back([&sums, i] { sums[i] = SumOfSquares(100000 + i); });
    }
    for (auto& thread : threads) thread.join();
    for (size_t i = 0; i < sums.size(); ++i) CHILD_CHECK(sums[i] == SumOfSquares(100000 + i));
    // Threads come and go: glibc reuses their stacks and arenas.
    for (int round = 0; round < 20; ++round) std::thread([] { SumOfSquares(1000); }).join();
    std::atomic<int> counter{0};
    std::mutex mutex;
    std::condition_variable ready;
    std::thread waiter([&] {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return counter.load() == 1; });
      counter = 2;
    });
    {
      std::lock_guard lock(mutex);
      counter = 1;
    }
    ready.notify_one();
    waiter.join();
    CHILD_CHECK(counter == 2);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
}

TEST_CASE("a thread started before the sandbox is sandboxed too", "[sandbox]") {
  ChildResult result = RunInChild([](void*) {
    std::mutex mutex;
    std::condition_variable changed;
    bool sandboxed = false;
    int socket_result = 0;
    int socket_errno = 0;
    std::thread worker([&] {  // as a plugin's worker, started while loading
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return sandboxed; });
      socket_result = socket(AF_INET, SOCK_STREAM, 0);
      socket_errno = errno;
    });
    CHILD_CHECK(switchboard::runner::ApplySandbox({}).ok());
    {
      std::lock_guard lock(mutex);
      sandboxed = true;
    }
    changed.notify_one();
    worker.join();
    CHILD_CHECK(socket_result == -1 && socket_errno == EPERM);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err == "sandbox: denied socket (" + std::to_string(SYS_socket) + ")\n");
}

TEST_CASE("memory up to the address-space limit, and not beyond", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    rlimit limit{};
    CHILD_CHECK(getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur == 256 * kMiB && limit.rlim_max == 256 * kMiB);
    CHILD_CHECK(std::malloc(8ull << 30) == nullptr);
    bool threw = false;
    try {
      auto* huge = new char[8ull << 30];
      huge[0] = 1;
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    CHILD_CHECK(threw);
    auto* block = static_cast<char*>(std::malloc(64 * kMiB));
    CHILD_CHECK(block != nullptr);
    std::memset(block, 0x5a, 64 * kMiB);  // touched, not only reserved
    CHILD_CHECK(block[64 * kMiB - 1] == 0x5a);
    std::free(block);
    std::vector<char> vector(64 * kMiB, 1);
    CHILD_CHECK(vector.back() == 1);
    // Many small blocks from several threads: the arenas fit.
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&failures] {
        std::vector<std::string> strings;
        for (int i = 0; i < 20000; ++i) strings.emplace_back(200, 'x');
        if (strings.size() != 20000) ++failures;
      });
    }
    for (auto& thread : threads) thread.join();
    CHILD_CHECK(failures == 0);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
}

TEST_CASE("exceptions are thrown and caught, also across threads", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    std::string caught;
    try {
      try {
        throw std::runtime_error("inner");
      } catch (const std::exception& inner) {
        throw std::logic_error(std::string(inner.what()) + " then outer");
      }
    } catch (const std::logic_error& outer) {
      caught = outer.what();
    }
    CHILD_CHECK(caught == "inner then outer");
    std::exception_ptr from_thread;
    std::thread([&from_thread] {
      try {
        throw std::out_of_range("in a thread");
      } catch (...) {
        from_thread = std::current_exception();
      }
    }).join();
    try {
      std::rethrow_exception(from_thread);
    } catch (const std::out_of_range& error) {
      caught = error.what();
    }
    CHILD_CHECK(caught == "in a thread");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
}

TEST_CASE("printf and iostreams write to the stdout and stderr already open", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    std::printf("printf %d\n", 42);
    std::cout << "cout " << 3.5 << std::endl;
    std::fprintf(stderr, "fprintf to stderr\n");
    std::cerr << "cerr line" << std::endl;
    std::fflush(stdout);
    CHILD_CHECK(!std::ferror(stdout) && !std::ferror(stderr) && std::cout.good() && std::cerr.good());
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.out == "printf 42\ncout 3.5\n");
  CHECK(result.err == "fprintf to stderr\ncerr line\n");
}

TEST_CASE("a write that would grow a file fails with EFBIG instead of killing", "[sandbox]") {
  static std::filesystem::path file;
  char name[] = "/tmp/sandbox-test-XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  file = std::filesystem::path(name) / "log";
  ChildResult result = RunInChild([](void*) {
    const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHILD_CHECK(fd > 2);
    switchboard::runner::SandboxOptions options;
    options.keep_fds = {fd};
    CHILD_CHECK(switchboard::runner::ApplySandbox(options).ok());
    CHILD_CHECK(write(fd, "x", 1) == -1 && errno == EFBIG);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(std::filesystem::file_size(file) == 0);
  std::filesystem::remove_all(name);
}

TEST_CASE("abort() still ends the plugin with SIGABRT, and no core file is written", "[sandbox]") {
  char name[] = "/tmp/sandbox-test-XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  static std::string folder;
  folder = name;
  ChildResult result = RunInChild([](void*) {
    // Everything a core dump needs, before the sandbox: it must take it away again.
    CHILD_CHECK(chdir(folder.c_str()) == 0);
    rlimit core{};
    getrlimit(RLIMIT_CORE, &core);
    core.rlim_cur = core.rlim_max;
    setrlimit(RLIMIT_CORE, &core);
    CHILD_CHECK(switchboard::runner::ApplySandbox({}).ok());
    std::abort();
  });
  INFO(result.Describe());
  CHECK(result.KilledBy(SIGABRT));
  CHECK_FALSE(result.DumpedCore());
  CHECK(result.err.empty());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++files;
  CHECK(files == 0);
  std::filesystem::remove_all(folder);
}

TEST_CASE("other signal handlers may be installed and run", "[sandbox]") {
  static volatile sig_atomic_t handled = 0;
  ChildResult result = RunSandboxed([](void*) {
    struct sigaction action {};
    action.sa_handler = [](int) { handled = 1; };
    CHILD_CHECK(sigaction(SIGUSR1, &action, nullptr) == 0);
    CHILD_CHECK(raise(SIGUSR1) == 0);
    CHILD_CHECK(handled == 1);
    CHILD_CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
}

TEST_CASE("everyday library calls work quietly: randomness, clocks, sleeping, regex, formatting", "[sandbox]") {
  ChildResult result = RunSandboxed([](void*) {
    std::random_device device;
    std::mt19937_64 generator(device());
    CHILD_CHECK(generator() != generator());
    unsigned char bytes[16];
    CHILD_CHECK(getrandom(bytes, sizeof(bytes), 0) == static_cast<ssize_t>(sizeof(bytes)));
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHILD_CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(5));
    CHILD_CHECK(std::chrono::system_clock::now().time_since_epoch().count() > 0);
    const time_t epoch = 86400;
    tm utc{};
    char date[32];
    CHILD_CHECK(gmtime_r(&epoch, &utc) != nullptr && std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &utc) > 0);
    CHILD_CHECK(std::string(date) == "1970-01-02T00:00:00Z");
    CHILD_CHECK(std::regex_match("abc-123", std::regex("[a-z]+-[0-9]+")));
    char number[32];
    std::snprintf(number, sizeof(number), "%.3f", 2.5);
    CHILD_CHECK(std::string(number) == "2.500");
    CHILD_CHECK(std::to_string(1.5) == "1.500000");
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
}

TEST_CASE("with four worker threads started before the sandbox, 64 MiB blocks still fit", "[sandbox]") {
  ChildResult result = RunInChild([](void*) {
    mallopt(M_ARENA_MAX, 2);  // what the runner does first
    std::mutex mutex;
    std::condition_variable changed;
    bool stop = false;
    std::vector<std::thread> workers;
    for (int i = 0; i < 4; ++i) {
      workers.emplace_back([&] {  // each allocates, so the process has its arenas
        std::vector<std::string> strings(1000, std::string(100, 'w'));
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop; });
      });
    }
    auto report = switchboard::runner::ApplySandbox({});
    CHILD_CHECK(report.ok());
    const std::string detail = report->detail + "\n";
    [[maybe_unused]] ssize_t written = write(STDOUT_FILENO, detail.data(), detail.size());
    std::vector<char*> blocks;
    for (int i = 0; i < 2; ++i) {
      blocks.push_back(static_cast<char*>(std::malloc(64 * kMiB)));
      CHILD_CHECK(blocks.back() != nullptr);
      std::memset(blocks.back(), 1, 64 * kMiB);
    }
    for (char* block : blocks) std::free(block);
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (auto& worker : workers) worker.join();
    return 0;
  });
  INFO(result.Describe());
  CHECK(result.ExitedWith(0));
  CHECK(result.err.empty());
}
