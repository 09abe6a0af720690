// The cost of running plugins in runner processes (scripts/bench/plugin_isolation):
// validate round trips through the provider channel, in the host's process and in a
// runner, one at a time (p50, p99) and from 16 threads at once (calls a second), each
// isolated figure as a ratio to the in-process one measured in the same run; then the
// resident memory of each built-in plugin's runner.
// Usage: plugin_channel PLUGIN_DIR [CALLS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "plugins/plugin_loader.hpp"
#include "plugins/subprocess_channel.hpp"

namespace {

using switchboard::LoadedProvider;
using switchboard::PluginHostOptions;
using switchboard::PluginIsolation;
using Clock = std::chrono::steady_clock;

struct Figures {
  double p50_us = 0, p99_us = 0, per_second = 0;
};

std::shared_ptr<const LoadedProvider> Load(const std::string& file, PluginIsolation isolation) {
  PluginHostOptions options;
  options.isolation = isolation;
  auto loaded = switchboard::LoadPlugin(file, options);
  if (!loaded.ok()) {
    std::fprintf(stderr, "cannot load %s: %s\n", file.c_str(), loaded.status().message().c_str());
    std::exit(1);
  }
  return *loaded;
}

Figures Measure(const LoadedProvider& provider, int calls) {
  const nlohmann::json config = {{"api_key", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"}};
  for (int i = 0; i < 200; ++i) (void)provider.ValidateWithPlugin(config);  // warm
  std::vector<double> samples;
  samples.reserve(calls);
  for (int i = 0; i < calls; ++i) {
    const auto started = Clock::now();
    auto result = provider.ValidateWithPlugin(config);
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - started).count());
    if (!result.ok()) {
      std::fprintf(stderr, "validate failed: %s\n", result.status().message().c_str());
      std::exit(1);
    }
  }
  std::sort(samples.begin(), samples.end());
  Figures figures;
  figures.p50_us = samples[samples.size() / 2];
  figures.p99_us = samples[samples.size() * 99 / 100];
  const int threads = 16;
  const auto started = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < calls / threads; ++i) (void)provider.ValidateWithPlugin(config);
    });
  }
  for (auto& worker : workers) worker.join();
  figures.per_second = (calls / threads * threads) / std::chrono::duration<double>(Clock::now() - started).count();
  return figures;
}

long RssKiB(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: plugin_channel PLUGIN_DIR [CALLS]\n");
    return 64;
  }
  const std::string dir = argv[1];
  const int calls = argc > 2 ? std::atoi(argv[2]) : 20000;
  auto in_process = Load(dir + "/openai.so", PluginIsolation::kInProcess);
  auto isolated = Load(dir + "/openai.so", PluginIsolation::kProcess);
  // Alternated, so that drift in a shared machine's load touches both alike.
  Figures a = Measure(*in_process, calls), b = Measure(*isolated, calls);
  Figures a2 = Measure(*in_process, calls), b2 = Measure(*isolated, calls);
  auto best = [](Figures x, Figures y) {
    return Figures{std::min(x.p50_us, y.p50_us), std::min(x.p99_us, y.p99_us), std::max(x.per_second, y.per_second)};
  };
  a = best(a, a2);
  b = best(b, b2);
  std::printf("| openai validate | p50 | p99 | calls/s, 16 threads |\n|---|---:|---:|---:|\n");
  std::printf("| in-process (reference) | %.1f µs | %.1f µs | %.0f |\n", a.p50_us, a.p99_us, a.per_second);
  std::printf("| isolated (runner) | %.1f µs | %.1f µs | %.0f |\n", b.p50_us, b.p99_us, b.per_second);
  std::printf("| isolated / in-process | %.1f× | %.1f× | %.2f× |\n\n", b.p50_us / a.p50_us, b.p99_us / a.p99_us,
              b.per_second / a.per_second);
  std::printf("| plugin | runner RSS |\n|---|---:|\n");
  for (const char* name : {"openai", "google_calendar", "trello", "outlook"}) {
    auto provider = Load(dir + "/" + name + ".so", PluginIsolation::kProcess);
    (void)provider->ValidateWithPlugin(nlohmann::json::object());
    auto* channel = dynamic_cast<switchboard::SubprocessChannel*>(&provider->channel());
    std::printf("| %s | %.1f MiB |\n", name, RssKiB(channel->runner_pid()) / 1024.0);
  }
  return 0;
}
