// The RocksDB backend's stored form of the records (model/records.hpp). Every stored
// record is a JSON object carrying "v" (the record format version) so the format can
// evolve: readers accept every version up to kRecordVersion and upgrade older ones on read.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "model/records.hpp"

namespace switchboard {

constexpr int kRecordVersion = 1;

nlohmann::json ToStored(const Project& p);
nlohmann::json ToStored(const TokenRecord& t);
nlohmann::json ToStored(const ConnectionRecord& c);
nlohmann::json ToStored(const ComponentRecord& c);
nlohmann::json ToStored(const StatusEvent& e);

Result<Project> ProjectFromStored(const nlohmann::json& j);
Result<TokenRecord> TokenFromStored(const nlohmann::json& j);
Result<ConnectionRecord> ConnectionFromStored(const nlohmann::json& j);
Result<ComponentRecord> ComponentFromStored(const nlohmann::json& j);
Result<StatusEvent> StatusEventFromStored(const nlohmann::json& j);

}  // namespace switchboard
