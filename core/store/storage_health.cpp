#include "store/storage_health.hpp"

#include "common/log.hpp"
#include "model/records.hpp"

namespace switchboard {

void StorageHealth::WriteFailed(WriteState state, const std::string& internal) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (report_.writes != state) {
      if (report_.writes == WriteState::kOk) report_.writes_failing_since = NowRfc3339();
      report_.writes = state;
      writes_failing_ = true;
      logged_.erase("write");  // a new problem is logged at once
    }
  }
  LogLimited("write", std::string(state == WriteState::kFull ? "storage full: " : "storage unavailable: ") +
                          "writes are refused until it recovers: " + internal);
}

void StorageHealth::WritesRecovered() {
  if (!writes_failing_.load()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (report_.writes == WriteState::kOk) return;
    report_.writes = WriteState::kOk;
    writes_failing_ = false;
    report_.writes_failing_since.clear();
    logged_.erase("write");
  }
  log::Info("storage recovered: writes are accepted again");
}

bool StorageHealth::WritesFailing() const { return writes_failing_.load(); }

void StorageHealth::CorruptionFound(const std::string& internal) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!report_.corrupt) {
      report_.corrupt = true;
      report_.corrupt_since = NowRfc3339();
    }
  }
  LogLimited("corrupt", "storage corrupt: stored data failed its checksum; unreadable rows are left out of "
                        "answers; run 'switchboard store check' with the host stopped: " + internal);
}

void StorageHealth::RowSkipped() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++report_.unreadable_rows;
}

void StorageHealth::VerificationFinished(bool clean, const std::string& internal) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    report_.verified = true;
  }
  if (!clean) CorruptionFound(internal);
}

void StorageHealth::ReadFailed(const std::string& internal) { LogLimited("read", "storage read failed: " + internal); }

StorageReport StorageHealth::Report() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return report_;
}

void StorageHealth::LogLimited(const std::string& key, const std::string& message) {
  const auto now = std::chrono::steady_clock::now();
  uint64_t suppressed = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = logged_.find(key);
    if (it != logged_.end() && now - it->second.at < std::chrono::minutes(1)) {
      ++it->second.suppressed;
      return;
    }
    if (it != logged_.end()) suppressed = it->second.suppressed;
    logged_[key] = Logged{now, 0};
  }
  log::Error(suppressed == 0 ? message
                             : message + " (and " + std::to_string(suppressed) + " more like it in the last minute)");
}

}  // namespace switchboard
