// What the store knows about its storage: whether writes currently fail (volume full,
// other I/O errors) and whether stored data failed a checksum. The store records every
// failure here; /healthz reports it; RocksDB's own message (paths, files, offsets) goes
// to the log only, once when a problem starts and then at most once a minute.
//
// THREADS: safe for concurrent use.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "model/storage_report.hpp"

namespace switchboard {

class StorageHealth {
 public:
  // A write failed. `internal` is logged (rate-limited), never returned.
  void WriteFailed(WriteState state, const std::string& internal);
  // Writes work again (a write or a resume succeeded after failures).
  void WritesRecovered();
  bool WritesFailing() const;
  // Stored data failed its checksum (a read, a scan or the verification).
  void CorruptionFound(const std::string& internal);
  void RowSkipped();
  void VerificationFinished(bool clean, const std::string& internal);
  // An I/O error on a read: logged, rate-limited.
  void ReadFailed(const std::string& internal);
  StorageReport Report() const;

 private:
  // Logs `message` under `key` unless it was logged less than a minute ago.
  void LogLimited(const std::string& key, const std::string& message);

  mutable std::mutex mutex_;
  StorageReport report_;
  std::atomic<bool> writes_failing_{false};  // report_.writes != kOk, read without the lock on every commit
  struct Logged {
    std::chrono::steady_clock::time_point at;
    uint64_t suppressed = 0;
  };
  std::map<std::string, Logged> logged_;
};

}  // namespace switchboard
