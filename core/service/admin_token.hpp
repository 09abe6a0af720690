// The server admin token: from SWITCHBOARD_ADMIN_TOKEN, or generated on first start and
// written to <data>/admin.token (mode 0600). Only its hash is kept in the store.
#pragma once

#include <filesystem>
#include <string>

#include "common/status.hpp"
#include "model/records.hpp"

namespace switchboard {

class Store;  // store/store.hpp: the service's .cpp files use it, its clients never do

struct AdminToken {
  std::string hash;
  std::filesystem::path file;  // where the token can be read; empty when it came from the environment
  bool generated = false;      // a new token was written this start
};

Result<AdminToken> EnsureAdminToken(Store& store, const std::filesystem::path& data_dir);

}  // namespace switchboard
