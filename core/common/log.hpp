// The host's log: one line per event on stderr, "time level message". Thread-safe.
// Never pass a secret: nothing here redacts, except what a ScopedLineFilter removes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace switchboard::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Lines below `level` are dropped. Default: kInfo.
void SetLevel(Level level);
void Write(Level level, std::string_view message);

// While alive, every line written from this thread passes through `filter` first. The
// probe runner sets one around each plugin call, so a plugin's log line cannot carry the
// secrets of the probe it is working on. Nests; not shared with other threads.
class ScopedLineFilter {
 public:
  using Filter = std::function<std::string(std::string_view)>;
  explicit ScopedLineFilter(Filter filter);
  ~ScopedLineFilter();
  ScopedLineFilter(const ScopedLineFilter&) = delete;
  ScopedLineFilter& operator=(const ScopedLineFilter&) = delete;

 private:
  Filter filter_;
  const Filter* previous_;
};

inline void Info(std::string_view message) { Write(Level::kInfo, message); }
inline void Warn(std::string_view message) { Write(Level::kWarn, message); }
inline void Error(std::string_view message) { Write(Level::kError, message); }

}  // namespace switchboard::log
