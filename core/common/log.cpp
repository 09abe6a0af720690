#include "common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace switchboard::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_write_mutex;
thread_local const ScopedLineFilter::Filter* t_filter = nullptr;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

ScopedLineFilter::ScopedLineFilter(Filter filter) : filter_(std::move(filter)), previous_(t_filter) {
  t_filter = &filter_;
}

ScopedLineFilter::~ScopedLineFilter() { t_filter = previous_; }

void Write(Level level, std::string_view message) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::string filtered;
  if (t_filter != nullptr) {
    filtered = (*t_filter)(message);
    message = filtered;
  }
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::fprintf(stderr, "%s %-5s %.*s\n", stamp, LevelName(level), static_cast<int>(message.size()),
               message.data());
  std::fflush(stderr);
}

}  // namespace switchboard::log
