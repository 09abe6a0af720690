// What the store reports about its storage (Store::Health): whether writes currently
// fail and whether stored data failed a checksum. A value type; store/storage_health.hpp
// keeps it up to date.
#pragma once

#include <cstdint>
#include <string>

namespace switchboard {

enum class WriteState { kOk, kFull, kUnavailable };

struct StorageReport {
  WriteState writes = WriteState::kOk;
  std::string writes_failing_since;   // RFC 3339, "" when writes work
  bool corrupt = false;               // some stored data failed its checksum
  std::string corrupt_since;
  bool verified = false;              // the checksum verification since start has finished
  uint64_t unreadable_rows = 0;       // rows left out of answers since start
  bool ok() const { return writes == WriteState::kOk && !corrupt; }
};

// "ok", "full", "unavailable" or "corrupt": the worst problem, for /healthz.
std::string StorageStateName(const StorageReport& report);

}  // namespace switchboard
