// The host's log: one line per event on stderr, "time level message". Thread-safe.
// Never pass a secret: nothing here redacts.
#pragma once

#include <string_view>

namespace switchboard::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Lines below `level` are dropped. Default: kInfo.
void SetLevel(Level level);
void Write(Level level, std::string_view message);

inline void Info(std::string_view message) { Write(Level::kInfo, message); }
inline void Warn(std::string_view message) { Write(Level::kWarn, message); }
inline void Error(std::string_view message) { Write(Level::kError, message); }

}  // namespace switchboard::log
