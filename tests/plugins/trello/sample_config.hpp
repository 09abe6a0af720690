// Credentials the Trello plugin tests use, shaped like real ones, and where the built
// plugin lives.
#pragma once

#include <string>

#include <switchboard/provider.hpp>

#include "../plugin_test_support.hpp"

namespace switchboard::testing {

inline const std::string kTrelloKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
// Since 2023: ATTA + 64 lower-case hex + 8 upper-case hex.
inline const std::string kTrelloToken =
    "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4";
// Before 2023: 64 characters.
inline const std::string kLegacyTrelloToken =
    "4c6f72656d697073756d646f6c6f7273697461d6574636f6e736563746574757";

inline std::string TrelloPluginPath() { return std::string(SWITCHBOARD_PLUGIN_DIR) + "/trello.so"; }

inline Json TrelloConfig() { return Json{{"api_key", kTrelloKey}, {"token", kTrelloToken}}; }

inline Json FullTrelloConfig() {
  Json config = TrelloConfig();
  config["base_url"] = "https://api.trello.com/1";
  return config;
}

// GET /members/me as Trello answers it.
inline const std::string kMember = R"({"id":"5abbe4b7ddc1b351ef961414","username":"bobloblaw"})";

// Trello's 401s are plain text.
inline HttpResponse Text(int status, std::string body, Headers headers = {}) {
  headers.emplace("content-type", "text/plain; charset=utf-8");
  return HttpResponse{status, std::move(headers), std::move(body)};
}

}  // namespace switchboard::testing
