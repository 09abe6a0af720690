#include "model/storage_report.hpp"

namespace switchboard {

std::string StorageStateName(const StorageReport& report) {
  if (report.writes == WriteState::kFull) return "full";
  if (report.writes == WriteState::kUnavailable) return "unavailable";
  if (report.corrupt) return "corrupt";
  return "ok";
}

}  // namespace switchboard
