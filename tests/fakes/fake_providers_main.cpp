// switchboard-fake-providers: OpenAI, Trello, Google and Microsoft imitations on one
// local port, for tests, demos and the probe benchmark. See README.md.
//
//   switchboard-fake-providers [--listen 127.0.0.1:PORT] [--capture-listen 127.0.0.1:PORT]
//                              [--latency-ms N] [--slow-ms N] [--access-token-seconds N]
//                              [--threads N] [--no-keep-alive]
#include <sys/resource.h>

#include <chrono>
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
    "usage: switchboard-fake-providers [--listen HOST:PORT] [--capture-listen HOST:PORT]\n"
    "         [--latency-ms N] [--slow-ms N] [--access-token-seconds N] [--threads N]\n"
    "         [--no-keep-alive]\n"
    "  --listen      where to listen (default 127.0.0.1:0, 0 = any free port)\n"
    "  --capture-listen  the second listener that `redirect` credentials are sent to and\n"
    "                that records every request (default 127.0.0.1:0; its address is\n"
    "                printed on stderr)\n"
    "  --latency-ms  delay before every provider answer (default 0)\n"
    "  --slow-ms     extra delay for credentials ending in -slow (default 2000)\n"
    "  --access-token-seconds  lifetime (expires_in) of issued OAuth access tokens\n"
    "                (default 3599; 'shortlived' refresh tokens always get 2)\n"
    "  --threads     worker threads; each slow request holds one (default 1536)\n"
    "  --no-keep-alive  answer every request with Connection: close. cpp-httplib's server\n"
    "                wakes every idle kept-alive connection's thread about every 11 ms, so\n"
    "                a thousand of them spend the CPU a benchmark wants for the host\n";

struct Address {
  std::string host = "127.0.0.1";
  int port = 0;
};

struct Arguments {
  Address listen;
  Address capture;
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

Address ParseAddress(const std::string& flag, const std::string& value) {
  auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::cerr << flag << " needs HOST:PORT\n";
    std::exit(2);
  }
  return {value.substr(0, colon), NonNegative(flag, value.substr(colon + 1))};
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
      args.listen = ParseAddress(flag, value);
    } else if (flag == "--capture-listen") {
      args.capture = ParseAddress(flag, value);
    } else if (flag == "--access-token-seconds") {
      args.options.access_token_seconds = NonNegative(flag, value);
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

  // The capture listener first: the providers' redirects need its origin.
  httplib::Server capture;
  capture.new_task_queue = [] { return new httplib::ThreadPool(16); };
  fakes::AddCaptureListenerRoutes(capture, context);
  const int capture_port = fakes::BindWithBacklog(capture, args.capture.host, args.capture.port, 512);
  if (capture_port <= 0) {
    std::cerr << "fake-providers: cannot listen on " << args.capture.host << ":"
              << args.capture.port << " (capture)\n";
    return 1;
  }
  // A wildcard address cannot be a redirect target; loopback reaches it.
  const std::string capture_host =
      args.capture.host == "0.0.0.0" ? "127.0.0.1" : args.capture.host;
  context.set_capture_origin("http://" + capture_host + ":" + std::to_string(capture_port));

  httplib::Server server;
  const int threads = args.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(args.keep_alive ? 1000 : 1);
  // Without it, a response written in two parts waits out the client's delayed ACK
  // (40 ms), which no real provider adds.
  server.set_tcp_nodelay(true);
  fakes::AddAllRoutes(server, context);

  const int port = fakes::BindWithBacklog(server, args.listen.host, args.listen.port, 4096);
  if (port <= 0) {
    std::cerr << "fake-providers: cannot listen on " << args.listen.host << ":"
              << args.listen.port << "\n";
    return 1;
  }
  std::thread capture_thread([&capture] { capture.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so a stop must not come before it.
  while (!capture.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread([&server, &capture, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    capture.stop();
    server.stop();
  }).detach();

  std::cout << "fake-providers listening on http://" << args.listen.host << ":" << port
            << std::endl;
  // Without its scheme: scripts and tests take the first http:// URL the fake prints, on
  // either stream, as the fake's own.
  const std::string capture_origin = context.capture_origin();
  std::cout << "fake-providers capture listener on " << capture_origin.substr(capture_origin.find("://") + 3) << std::endl;
  const bool served = server.listen_after_bind();
  capture.stop();
  capture_thread.join();
  return served ? 0 : 1;
}
