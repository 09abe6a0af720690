// /healthz latency while the HTTP edge is under attack (run by scripts/bench/edge_healthz).
//
// For each case a fresh `switchboard serve` on 127.0.0.1 (tests/http_edge/edge_host.hpp),
// warmed up with 20 /healthz; background threads start the attack, and once it is in
// place the main thread sends GET /healthz on a new connection every --interval-ms for
// --seconds while the attack goes on, then prints one Markdown table row: p50, p99 and
// max, each also as a ratio to the idle host measured first in the same run. Progress,
// and each /healthz over 10 ms with its connect time and time into the case, go to stderr.
//
// Usage: edge_healthz --slow-fixture-dir DIR [--seconds 5] [--interval-ms 20]
//                     [--cases idle,slowloris,...] [--settle-ms 0]
// --settle-ms waits that long after the attack is in place before sampling (to tell its
// start from its steady state; the default samples from the start).
// All traffic goes to 127.0.0.1.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_edge/black_hole.hpp"
#include "support/host_process.hpp"
#include "support/raw_client.hpp"

namespace switchboard::bench {
namespace {

using testing::HostProcess;
using testing::RawConnection;
using testing::StatusOf;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr double kBudgetMs = 100;  // issue 9: /healthz under 100 ms throughout

// What the attack threads share with the sampler: when to stop, how many have their
// attack in place, and counters that show the attack kept going.
struct Attack {
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};
  std::atomic<long> rounds{0};    // bodies or headers refused, requests answered
  std::atomic<long> reopened{0};  // connections the host closed, opened again
  std::atomic<long> unexpected{0};  // answers other than the expected status
  std::atomic<long> held{0};        // attacking connections open when the samples start
  std::atomic<bool> broken{false};  // a thread could not set its attack up
  std::vector<std::thread> threads;

  ~Attack() { Stop(); }
  void Launch(std::function<void(Attack&)> body) {
    threads.emplace_back([this, body] {
      try {
        body(*this);
      } catch (const std::exception& e) {
        std::cerr << "attack: " << e.what() << std::endl;
        broken = true;
        ++ready;
      }
    });
  }
  void Stop() {
    stop = true;
    for (auto& t : threads) t.join();
    threads.clear();
  }
  // Sleeps up to `total` in short steps; false once the attack is to stop.
  bool Pause(milliseconds total) {
    for (auto left = total; left.count() > 0 && !stop; left -= milliseconds(10)) {
      std::this_thread::sleep_for(std::min(left, milliseconds(10)));
    }
    return !stop;
  }
};

struct Case {
  std::string name;     // as given to --cases
  std::string summary;  // the table's first column
  std::vector<std::string> args;
  std::vector<std::string> env;
  // Starts the attack's threads; each adds one to `ready` once its attack is in place.
  std::function<int(const HostProcess&, Attack&)> start;  // returns how many threads
  // What the attack did, for the table, from the counters.
  std::function<std::string(const Attack&)> progress;
};

// --- The attacks --------------------------------------------------------------------

std::string PartialHeader() { return "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: "; }

// 300 connections that each sent half a header, then one more byte a second.
int Slowloris(const HostProcess& host, Attack& attack) {
  attack.Launch([port = host.port()](Attack& a) {
    std::vector<RawConnection> open;
    for (int i = 0; i < 300; ++i) {
      open.emplace_back(port);
      open.back().Send(PartialHeader());
    }
    a.held = static_cast<long>(open.size());
    ++a.ready;
    while (a.Pause(milliseconds(1000))) {
      for (auto& c : open) {
        if (c.Send("a")) continue;
        c = RawConnection(port);
        c.Send(PartialHeader());
        ++a.reopened;
      }
      ++a.rounds;
    }
  });
  return 1;
}

// 50 connections, each sending a long header one byte every 100 ms (it would take far
// longer than the header deadline to finish); cut off ones start again.
int Trickle(const HostProcess& host, Attack& attack) {
  attack.Launch([port = host.port()](Attack& a) {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Trickle: " + std::string(4000, 'a') + "\r\n\r\n";
    std::vector<RawConnection> open;
    std::vector<size_t> sent(50, 0);
    for (int i = 0; i < 50; ++i) open.emplace_back(port);
    a.held = static_cast<long>(open.size());
    ++a.ready;
    do {
      for (size_t i = 0; i < open.size(); ++i) {
        if (open[i].Readable() || !open[i].Send(request.substr(sent[i] % request.size(), 1))) {
          open[i] = RawConnection(port);
          sent[i] = 0;
          ++a.reopened;
          continue;
        }
        ++sent[i];
        ++a.rounds;
      }
    } while (a.Pause(milliseconds(100)));
  });
  return 1;
}

// 4 connections streaming a chunked body into POST /v1/projects as fast as they can;
// after each 413 a new connection does it again.
int ChunkedBomb(const HostProcess& host, Attack& attack) {
  for (int t = 0; t < 4; ++t) {
    attack.Launch([port = host.port()](Attack& a) {
      const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
      bool first = true;
      while (!a.stop) {
        RawConnection c(port);
        c.Send("POST /v1/projects HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
               "Transfer-Encoding: chunked\r\n\r\n");
        if (first) ++a.ready, first = false;
        while (!a.stop && !c.Readable() && c.Send(chunk)) {
        }
        if (a.stop) break;
        if (StatusOf(c.ReadResponse(milliseconds(2000))) == 413) ++a.rounds;
        else ++a.unexpected;
      }
    });
  }
  return 4;
}

// 4 connections sending a request with 10,000 header fields; after each 431 a new
// connection does it again.
int HeaderBomb(const HostProcess& host, Attack& attack) {
  std::string bomb = "GET /healthz HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; i < 10000; ++i) bomb += "X-A: 1\r\n";
  bomb += "\r\n";
  for (int t = 0; t < 4; ++t) {
    attack.Launch([port = host.port(), bomb](Attack& a) {
      ++a.ready;
      while (!a.stop) {
        RawConnection c(port);
        c.Send(bomb);  // the host may stop reading once it has refused it
        if (StatusOf(c.ReadResponse(milliseconds(2000))) == 431) ++a.rounds;
        else ++a.unexpected;
      }
    });
  }
  return 4;
}

// 300 connections that made one request each and then wait, kept alive.
int IdleKeepAlive(const HostProcess& host, Attack& attack) {
  attack.Launch([port = host.port()](Attack& a) {
    std::vector<RawConnection> open;
    for (int i = 0; i < 300; ++i) {
      open.emplace_back(port);
      open.back().Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    }
    for (auto& c : open) {
      if (StatusOf(c.ReadResponse(milliseconds(10000))) == 200) ++a.held;
      else ++a.unexpected;
    }
    ++a.ready;
    while (a.Pause(milliseconds(1000))) {
    }
  });
  return 1;
}

// Keeps one request in flight on each of `requests.size()` connections: sends it, and
// when it is answered (`expected` counts in rounds) sends it again.
void KeepInFlight(int port, const std::vector<std::string>& requests, int expected, Attack& a) {
  std::vector<RawConnection> open;
  for (const auto& request : requests) {
    open.emplace_back(port);
    open.back().Send(request);
  }
  a.held = static_cast<long>(open.size());
  ++a.ready;
  std::vector<pollfd> fds(open.size());
  while (!a.stop) {
    for (size_t i = 0; i < open.size(); ++i) fds[i] = {open[i].fd(), POLLIN, 0};
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    for (size_t i = 0; i < open.size(); ++i) {
      if (!fds[i].revents) continue;
      const std::string response = open[i].ReadResponse(milliseconds(1000));
      if (StatusOf(response) == expected) ++a.rounds;
      else ++a.unexpected;
      if (response.empty() || !open[i].Send(requests[i])) {
        open[i] = RawConnection(port);
        open[i].Send(requests[i]);
        ++a.reopened;
      }
    }
  }
}

// 64 validates of the slow_fixture plugin in flight (each takes SB_FIXTURE_VALIDATE_MS).
int SlowValidates(const HostProcess& host, Attack& attack) {
  const std::vector<std::string> requests(
      64, testing::JsonRequest("POST", "/v1/providers/slow_fixture/validate", host.admin_token(), R"({"token":"t"})"));
  attack.Launch([port = host.port(), requests](Attack& a) { KeepInFlight(port, requests, 200, a); });
  return 1;
}

// 200 on-demand probes of connections whose endpoint accepts and never answers.
int BlackHoledProbes(const HostProcess& host, Attack& attack) {
  attack.Launch([port = host.port(), token = host.admin_token()](Attack& a) {
    testing::BlackHole hole;
    std::vector<std::string> requests;
    for (const auto& id : testing::CreateBlackHoledConnections(port, token, hole.port(), 200)) {
      requests.push_back(testing::JsonRequest("POST", "/v1/projects/hole/connections/" + id + "/probe", token, "{}"));
    }
    KeepInFlight(port, requests, 200, a);
  });
  return 1;
}

std::vector<Case> AllCases(const std::string& slow_fixture_dir) {
  auto counted = [](const char* what) {
    return [what](const Attack& a) {
      std::string text = a.held ? std::to_string(a.held.load()) + " open, " : std::string();
      text += std::to_string(a.rounds.load()) + " " + what;
      if (a.reopened) text += ", " + std::to_string(a.reopened.load()) + " reopened";
      if (a.unexpected) text += ", " + std::to_string(a.unexpected.load()) + " other answers";
      return text;
    };
  };
  auto none = [](const HostProcess&, Attack&) { return 0; };
  return {
      {"idle", "idle host (reference)", {}, {}, none, [](const Attack&) { return std::string("-"); }},
      {"slowloris", "slowloris: 300 half headers, 1 byte/s each", {}, {}, Slowloris, counted("seconds of trickling")},
      {"trickle", "trickle: 50 connections, 1 byte / 100 ms each", {}, {}, Trickle, counted("bytes sent")},
      {"chunked_bomb", "chunked bomb: 4 connections, `--max-body` 1 MiB", {"--max-body", "1048576"}, {}, ChunkedBomb,
       counted("bodies refused 413")},
      {"header_bomb", "header bomb: 4 connections, 10,000 fields", {}, {}, HeaderBomb, counted("headers refused 431")},
      {"idle_keepalive", "300 idle keep-alive connections", {}, {}, IdleKeepAlive,
       [](const Attack& a) { return std::to_string(a.held.load()) + " open, each answered once before"; }},
      {"slow_validates", "64 slow plugin validates (3 s each)",
       {"--plugins", slow_fixture_dir, "--no-default-plugins"}, {"SB_FIXTURE_VALIDATE_MS=3000"}, SlowValidates,
       counted("validates answered")},
      {"blackholed_probes", "200 probes of a black-holed endpoint (4 s timeout)",
       {"--egress-allow", "127.0.0.0/8", "--probe-timeout", "4000", "--probe-interval", "0"}, {}, BlackHoledProbes,
       counted("probes answered")},
      // The reference again: how much the machine itself drifted during the run.
      {"idle_after", "idle host again, at the end", {}, {}, none, [](const Attack&) { return std::string("-"); }},
  };
}

// --- Measuring ----------------------------------------------------------------------

struct Figures {
  int samples = 0;
  int failed = 0;  // not answered 200
  double p50 = 0, p99 = 0, max = 0;
};

std::string Fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100 * sorted.size()));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

Figures Sample(const HostProcess& host, milliseconds duration, milliseconds interval) {
  std::vector<double> ms;
  struct Slow {
    double ms, connect_ms, at_s;
  };
  std::vector<Slow> slow;  // over 10 ms
  Figures figures;
  const auto started = Clock::now();
  auto next = started;
  while (Clock::now() - started < duration) {
    std::this_thread::sleep_until(next);
    const double at = std::chrono::duration<double>(Clock::now() - started).count();
    HostProcess::Timed timed = host.Healthz(milliseconds(10000));
    ms.push_back(timed.ms);
    if (timed.ms > 10) slow.push_back({timed.ms, timed.connect_ms, at});
    if (timed.status != 200) ++figures.failed;
    // A late answer delays the next sample instead of bunching those behind it.
    next = std::max(next + interval, Clock::now());
  }
  // When the slow ones came, to line them up with what the attack did (stderr only).
  for (const Slow& s : slow) {
    std::cerr << "  " << Fixed(s.ms, 1) << " ms (connect " << Fixed(s.connect_ms, 1) << ") at +" << Fixed(s.at_s, 2)
              << " s\n";
  }
  std::sort(ms.begin(), ms.end());
  figures.samples = static_cast<int>(ms.size());
  figures.p50 = Percentile(ms, 50);
  figures.p99 = Percentile(ms, 99);
  figures.max = ms.empty() ? 0 : ms.back();
  return figures;
}

// CPU seconds (user + system) a process has used so far.
double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int Run(int argc, char** argv) {
  std::string slow_fixture_dir, only;
  int seconds = 5, interval_ms = 20, settle_ms = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--slow-fixture-dir") slow_fixture_dir = argv[i + 1];
    else if (flag == "--seconds") seconds = std::stoi(argv[i + 1]);
    else if (flag == "--interval-ms") interval_ms = std::stoi(argv[i + 1]);
    else if (flag == "--settle-ms") settle_ms = std::stoi(argv[i + 1]);
    else if (flag == "--cases") only = "," + std::string(argv[i + 1]) + ",";
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (slow_fixture_dir.empty()) {
    std::cerr << "usage: edge_healthz --slow-fixture-dir DIR [--seconds 5] [--interval-ms 20] [--cases a,b]\n";
    return 2;
  }
  std::cout << "| case | samples | not 200 | p50 | p99 | max | p50 / idle | p99 / idle | max / idle | host CPU | "
               "attack during the samples | max and p99 < 100 ms |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  Figures idle;
  bool have_idle = false, all_met = true;
  for (const Case& c : AllCases(slow_fixture_dir)) {
    if (!only.empty() && c.name != "idle" && only.find("," + c.name + ",") == std::string::npos) continue;
    std::cerr << "== " << c.name << std::endl;
    HostProcess host(c.args, c.env);
    // A fresh host's first answers are slower (code paged in, threads first woken, the
    // storage check after open): warm it up, so the samples measure the attack.
    for (int i = 0; i < 20; ++i) {
      host.Healthz();
      std::this_thread::sleep_for(milliseconds(10));
    }
    Attack attack;
    const int threads = c.start(host, attack);
    while (attack.ready < threads) std::this_thread::sleep_for(milliseconds(10));
    if (attack.broken) {
      attack.Stop();
      return 1;
    }
    std::this_thread::sleep_for(milliseconds(settle_ms));
    const long rounds_before = attack.rounds, reopened_before = attack.reopened;
    const double cpu_before = CpuSeconds(host.pid());
    Figures f = Sample(host, std::chrono::seconds(seconds), milliseconds(interval_ms));
    const double cpu = CpuSeconds(host.pid()) - cpu_before;
    // Only what happened while the samples were taken.
    attack.rounds -= rounds_before;
    attack.reopened -= reopened_before;
    const std::string progress = c.progress(attack);
    attack.Stop();
    if (!host.running()) {
      std::cerr << "the host died during " << c.name << "\n";
      return 1;
    }
    if (!have_idle) idle = f, have_idle = true;
    const bool met = f.failed == 0 && f.max < kBudgetMs && f.p99 < kBudgetMs;
    all_met = all_met && met;
    auto ratio = [](double a, double b) { return b > 0 ? Fixed(a / b, 1) : std::string("-"); };
    std::cout << "| " << c.summary << " | " << f.samples << " | " << f.failed << " | " << Fixed(f.p50, 2) << " ms | "
              << Fixed(f.p99, 2) << " ms | " << Fixed(f.max, 2) << " ms | " << ratio(f.p50, idle.p50) << " | "
              << ratio(f.p99, idle.p99) << " | " << ratio(f.max, idle.max) << " | " << Fixed(cpu, 2) << " s | "
              << progress << " | " << (met ? "yes" : "**no**") << " |" << std::endl;
  }
  return all_met ? 0 : 3;
}

}  // namespace
}  // namespace switchboard::bench

int main(int argc, char** argv) {
  try {
    return switchboard::bench::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "edge_healthz: " << e.what() << "\n";
    return 1;
  }
}
