// switchboard-fake-providers: OpenAI, Trello, Google and Microsoft imitations on one
// local port, for tests, demos and the probe benchmark. See README.md.
//
//   switchboard-fake-providers [--listen 127.0.0.1:PORT] [--latency-ms N] [--slow-ms N]
//                              [--threads N] [--no-keep-alive]
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include <httplib.h>

#include "fake_context.hpp"
#include "listen_socket.hpp"
#include "provider_routes.hpp"

namespace {

constexpr const char* kUsage =
    "usage: switchboard-fake-providers [--listen HOST:PORT] [--latency-ms N] [--slow-ms N] "
    "[--threads N] [--no-keep-alive]\n"
    "  --listen      where to listen (default 127.0.0.1:0, 0 = any free port)\n"
    "  --latency-ms  delay before every provider answer (default 0)\n"
    "  --slow-ms     extra delay for credentials ending in -slow (default 2000)\n"
    "  --threads     worker threads; each slow request holds one (default 1536)\n"
    "  --no-keep-alive  answer every request with Connection: close. cpp-httplib's server\n"
    "                wakes every idle kept-alive connection's thread about every 11 ms, so\n"
    "                a thousand of them spend the CPU a benchmark wants for the host\n";

struct Arguments {
  std::string host = "127.0.0.1";
  int port = 0;
  fakes::FakeOptions options;
  int threads = 1536;
  bool keep_alive = true;
};

int NonNegative(const std::string& flag, const std::string& text) {
  try {
    size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  std::cerr << flag << " needs a non-negative number, not '" << text << "'\n" << kUsage;
  std::exit(2);
}

Arguments Parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (flag == "--no-keep-alive") {
      args.keep_alive = false;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "unknown option or missing value: " << flag << "\n" << kUsage;
      std::exit(2);
    }
    const std::string value = argv[++i];
    if (flag == "--listen") {
      auto colon = value.rfind(':');
      if (colon == std::string::npos) {
        std::cerr << "--listen needs HOST:PORT\n";
        std::exit(2);
      }
      args.host = value.substr(0, colon);
      args.port = NonNegative(flag, value.substr(colon + 1));
    } else if (flag == "--latency-ms") {
      args.options.latency_ms = NonNegative(flag, value);
    } else if (flag == "--slow-ms") {
      args.options.slow_ms = NonNegative(flag, value);
    } else if (flag == "--threads") {
      args.threads = std::max(1, NonNegative(flag, value));
    } else {
      std::cerr << "unknown option: " << flag << "\n" << kUsage;
      std::exit(2);
    }
  }
  return args;
}

// A thousand concurrent connections need more descriptors than the usual soft limit.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments args = Parse(argc, argv);
  RaiseDescriptorLimit();

  // SIGINT/SIGTERM are taken by a waiting thread, which stops the server cleanly.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  fakes::FakeContext context(args.options);
  httplib::Server server;
  const int threads = args.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(args.keep_alive ? 1000 : 1);
  // Without it, a response written in two parts waits out the client's delayed ACK
  // (40 ms), which no real provider adds.
  server.set_tcp_nodelay(true);
  fakes::AddAllRoutes(server, context);

  const int port = fakes::BindWithBacklog(server, args.host, args.port, 4096);
  if (port <= 0) {
    std::cerr << "fake-providers: cannot listen on " << args.host << ":" << args.port << "\n";
    return 1;
  }
  std::thread([&server, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  }).detach();

  std::cout << "fake-providers listening on http://" << args.host << ":" << port << std::endl;
  return server.listen_after_bind() ? 0 : 1;
}
