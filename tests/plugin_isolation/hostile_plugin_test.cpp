// Attacks on the host by a plugin author, through the real host (the "hostile" fixtures of
// tests/fixtures/broken_plugins/hostile_plugin.cpp): what a plugin's code does while it is
// loaded or called must not reach the network, the host's log or the host itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>
#include <string>
#include <thread>

#include "fixture_paths.hpp"
#include "plugin_isolation/isolation_client.hpp"

namespace switchboard::testing {
namespace {

using nlohmann::json;

// A UDP socket on 127.0.0.1, port chosen by the kernel: where the hostile fixture sends
// what it managed to send.
class UdpListener {
 public:
  UdpListener() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~UdpListener() { ::close(fd_); }
  int port() const { return port_; }
  // The first datagram within `wait`, or "" when none came.
  std::string Receive(std::chrono::milliseconds wait) const {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) <= 0) return "";
    char buffer[512];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_CASE("plugin code gets no network while its library loads, and leaves no process behind",
          "[isolation][hostile]") {
  UdpListener listener;
  HostProcess host({"--plugins", HostileAtLoadDir().string(), "--probe-interval", "0"},
                   {"SB_FIXTURE_UDP_PORT=" + std::to_string(listener.port())});
  HostClient client(host);
  INFO("host log:\n" << host.Log());
  REQUIRE(host.running());
  // The plugin loaded (its constructor ran) and serves.
  CHECK(client.Validate("hostile_load", {{"token", "none"}}).status == 200);
  // What its constructor sent, or its forked child keeps sending for 5 s.
  const std::string received = listener.Receive(std::chrono::milliseconds(1500));
  CHECK(received == "");
}

// The hostile plugin alone (with the built-in providers), attacked through validate.
class HostileHost {
 public:
  HostileHost() : host_({"--plugins", HostilePluginDir().string(), "--probe-interval", "0"}), client_(host_) {}
  const HostProcess& host() const { return host_; }
  Reply Attack(const std::string& token, json extra = json::object()) const {
    extra["token"] = token;
    return client_.Validate("hostile_calls", extra);
  }
  // The host is up, answers /healthz, and the plugin answers again.
  void ExpectServing() const {
    INFO("host: " << host_.HowItEnded() << "\n" << host_.Log());
    REQUIRE(host_.running());
    CHECK(host_.Healthz().status == 200);
    CHECK(Attack("none").status == 200);
  }

 private:
  HostProcess host_;
  HostClient client_;
};

TEST_CASE("a plugin's log line cannot forge a line of the host's log", "[isolation][hostile]") {
  HostileHost h;
  Reply reply = h.Attack("log_inject");
  CHECK(reply.status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string log = h.host().Log();
  INFO("host log:\n" << log);
  CHECK(log.find("innocent") != std::string::npos);
  // The plugin's text stays inside its own line: no line of the log starts with it.
  CHECK(log.find("\nFORGED ERROR") == std::string::npos);
  h.ExpectServing();
}

// A plugin that calls a denied system call in a loop (here pause(), from 800 threads), or
// floods stderr, must not fill the host's log: the sandbox's lines and a runner's output
// are logged at a bounded rate (the denial counter still counts every one).
TEST_CASE("a plugin cannot flood the host's log", "[isolation][hostile]") {
  HostileHost h;
  const size_t before = h.host().Log().size();
  // 800 threads denied pause() in a loop, until the host ends the runner for its threads
  CHECK(h.Attack("threads", {{"max", 800}}).status != 0);
  CHECK(h.Attack("stderr_flood").status != 0);                  // 256 MiB on stderr (or its deadline)
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const size_t grown = h.host().Log().size() - before;
  INFO("the host log grew by " << grown << " bytes");
  CHECK(grown < size_t{4} << 20);
  h.ExpectServing();
}

// SIGTERM stops the host within its grace period (30 s for requests in flight) whatever a
// plugin is doing, even when an operator gave plugin calls a deadline longer than that.
TEST_CASE("SIGTERM stops the host within its grace period while a plugin call loops", "[isolation][hostile]") {
  HostProcess host({"--plugins", HostilePluginDir().string(), "--probe-interval", "0",
                    "--plugin-timeout-validate", "300000"});
  HostClient client(host, std::chrono::seconds(120));
  std::thread looping([&] { client.Validate("hostile_calls", {{"token", "loop"}}); });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ::kill(host.pid(), SIGTERM);
  const auto start = std::chrono::steady_clock::now();
  while (host.running() && std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto took = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
  INFO("host: " << host.HowItEnded() << " after " << took.count() << " s\n" << host.Log());
  CHECK_FALSE(host.running());
  CHECK(took < std::chrono::seconds(40));
  if (host.running()) ::kill(host.pid(), SIGKILL);
  looping.join();
}

// The pids of the host's children whose command line mentions `plugin_file_part`.
std::vector<pid_t> RunnersOf(pid_t host, const std::string& plugin_file_part) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t parent = 0;
    rest >> state >> parent;
    if (parent != host) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string command((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (command.find(plugin_file_part) != std::string::npos) found.push_back(std::stoi(name));
  }
  return found;
}

bool Alive(pid_t pid) { return ::kill(pid, 0) == 0; }

// A host that dies (SIGKILL, a crash) leaves no runner behind, even one whose plugin is
// stuck in a call: it would spin at 100% of a CPU for ever, its parent gone.
TEST_CASE("a runner does not outlive its host", "[isolation][hostile]") {
  HostProcess host({"--plugins", HostilePluginDir().string(), "--probe-interval", "0",
                    "--plugin-timeout-validate", "300000"});
  HostClient client(host, std::chrono::seconds(20));
  std::thread looping([&] { client.Validate("hostile_calls", {{"token", "loop"}}); });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const std::vector<pid_t> runners = RunnersOf(host.pid(), "hostile_calls");
  REQUIRE(runners.size() == 1);
  ::kill(host.pid(), SIGKILL);
  looping.join();
  const auto start = std::chrono::steady_clock::now();
  while (Alive(runners[0]) && std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const bool survived = Alive(runners[0]);
  if (survived) ::kill(runners[0], SIGKILL);
  CHECK_FALSE(survived);
}

// A plugin that prints or logs a config's secret (to stderr, from a thread of its own, from
// the call) does not put it in the host's log: every line a runner sends loses the secrets
// of the calls it may belong to. Failed before: all three lines carried the secret.
TEST_CASE("a secret a plugin prints or logs during validate does not reach the host's log",
          "[isolation][hostile]") {
  HostileHost h;
  const std::string secret = "zq9-VALIDATE-SECRET-7731";
  Reply reply = h.Attack("echo_secret", {{"secret", secret}});
  INFO(reply.status << " " << reply.text);
  CHECK(reply.status == 200);
  CHECK(reply.text.find(secret) == std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::string log = h.host().Log();
  INFO("host log:\n" << log);
  CHECK(log.find("stderr secret=") != std::string::npos);
  CHECK(log.find("thread secret=") != std::string::npos);
  CHECK(log.find("call secret=") != std::string::npos);
  CHECK(log.find(secret) == std::string::npos);
  CHECK(log.find("VALIDATE-SECRET") == std::string::npos);
  // Found by the attack review: a field error's field and code came back verbatim, and a
  // long stderr line's remainder after the host's cut logged the secret's tail.
  Reply fields = h.Attack("echo_secret_fields", {{"secret", secret}});
  INFO(fields.status << " " << fields.text);
  CHECK(fields.status == 200);
  CHECK(fields.text.find("VALIDATE-SECRET") == std::string::npos);
  CHECK(fields.text.find("[redacted]") != std::string::npos);
  CHECK(h.Attack("long_stderr", {{"secret", secret}}).status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::string later = h.host().Log();
  CHECK(later.find("AAAAAAAA") != std::string::npos);
  CHECK(later.find("SECRET-7731") == std::string::npos);
  CHECK(later.find("7731BBBB") == std::string::npos);
  h.ExpectServing();
}

// When a runner cannot be started again (its executable is gone), the answer and the
// provider's availability say so without naming a path of the host's: the log has that.
// Failed before: the 503's detail named the runner's path.
TEST_CASE("a runner that cannot be restarted: 503 plugin_unavailable naming no host path", "[isolation][hostile]") {
  TempDirectory copy;
  const std::filesystem::path runner = copy.path() / "switchboard-plugin-runner";
  std::filesystem::copy_file(SWITCHBOARD_PLUGIN_RUNNER_PATH, runner);
  HostProcess host({"--plugins", HostilePluginDir().string(), "--probe-interval", "0", "--plugin-runner",
                    runner.string()});
  HostClient client(host);
  REQUIRE(client.Validate("hostile_calls", {{"token", "none"}}).status == 200);
  std::filesystem::remove(runner);
  client.Validate("hostile_calls", {{"token", "crash_every_call"}});  // the runner ends
  Reply reply;
  for (int attempt = 0; attempt < 50; ++attempt) {  // past the restart's back-off
    reply = client.Validate("hostile_calls", {{"token", "none"}});
    if (reply.status == 503 && reply.text.find("could not be restarted") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(reply.status << " " << reply.text << "\nhost log:\n" << host.Log());
  CHECK(reply.status == 503);
  CHECK((reply.body.is_object() && reply.body.value("code", "") == "plugin_unavailable"));
  CHECK(reply.text.find(copy.path().string()) == std::string::npos);
  CHECK(reply.text.find("switchboard-plugin-runner") == std::string::npos);
  Reply providers = client.Get("/v1/providers");
  CHECK(providers.text.find(copy.path().string()) == std::string::npos);
  CHECK(host.Log().find(copy.path().string()) != std::string::npos);  // the operator learns where
  CHECK(host.Healthz().status == 200);
}

// A reload that changes a plugin starts the new version's runner and ends the old one
// once nothing uses it: a host reloaded every day must not gather runners. Failed
// before: the start-up runner stayed (the start-up load report kept its provider).
TEST_CASE("a reload that changes a plugin leaves one runner for it", "[isolation][hostile]") {
  TempDirectory plugins;
  const std::filesystem::path library = plugins.path() / "hostile_calls.so";
  std::filesystem::copy_file(HostilePluginDir() / "hostile_calls.so", library);
  HostProcess host({"--plugins", plugins.path().string(), "--probe-interval", "0"});
  HostClient client(host);
  REQUIRE(client.Validate("hostile_calls", {{"token", "none"}}).status == 200);
  const std::vector<pid_t> before = RunnersOf(host.pid(), "hostile_calls");
  REQUIRE(before.size() == 1);
  for (int version = 0; version < 2; ++version) {
    // A new file (a new inode) in the old one's place, as an install does.
    const std::filesystem::path staged = plugins.path() / "hostile_calls.so.new";
    std::filesystem::copy_file(HostilePluginDir() / "hostile_calls.so", staged);
    std::filesystem::rename(staged, library);
    Reply reloaded = client.Post("/v1/admin/plugins/reload", json::object());
    INFO(reloaded.status << " " << reloaded.text);
    REQUIRE(reloaded.status == 200);
    CHECK(client.Validate("hostile_calls", {{"token", "none"}}).status == 200);
  }
  std::vector<pid_t> after;
  for (int wait = 0; wait < 50; ++wait) {
    after = RunnersOf(host.pid(), "hostile_calls");
    if (after.size() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO("host log:\n" << host.Log());
  CHECK(after.size() == 1);
  CHECK((after.empty() || after.front() != before.front()));
}

// Threads cost the machine more than address space says (a 64 KiB stack each): a runner
// over its thread limit is ended, and the plugin answers again from a new one. Failed
// before: the runner kept its 800 threads.
TEST_CASE("a runner over its thread limit is ended and comes back", "[isolation][hostile]") {
  HostileHost h;
  REQUIRE(h.Attack("none").status == 200);
  const std::vector<pid_t> before = RunnersOf(h.host().pid(), "hostile_calls");
  REQUIRE(before.size() == 1);
  h.Attack("threads", {{"max", 800}});
  for (int wait = 0; wait < 50 && Alive(before.front()); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO("host log:\n" << h.host().Log());
  CHECK_FALSE(Alive(before.front()));
  CHECK(h.host().Log().find("more than the 128 a runner may have") != std::string::npos);
  h.ExpectServing();
}

}  // namespace
}  // namespace switchboard::testing
