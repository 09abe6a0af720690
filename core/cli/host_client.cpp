#include "cli/host_client.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/bounded_json.hpp"

namespace switchboard::cli {

using nlohmann::json;

std::string TokenFrom(const Arguments& args) {
  if (auto token = args.Last("token"); !token.empty()) return token;
  for (const char* name : {"SWITCHBOARD_TOKEN", "SWITCHBOARD_ADMIN_TOKEN"}) {
    if (const char* env = std::getenv(name); env != nullptr && *env != '\0') return env;
  }
  std::ifstream file(std::filesystem::path(args.Last("data", "./data")) / "admin.token");
  std::string token;
  std::getline(file, token);
  return token;
}

// The host's answer as JSON, or null when it is not JSON the CLI accepts.
json ParseAnswer(const std::string& body) {
  auto parsed = ParseBoundedJson(body, JsonLimits{64 << 20, 64});
  return parsed.ok() ? std::move(parsed).value() : json(nullptr);
}

std::string ProblemText(const httplib::Result& res) {
  if (!res) return "cannot reach the host: " + httplib::to_string(res.error());
  json body = ParseAnswer(res->body);
  std::string detail = body.is_object() ? body.value("detail", "") : "";
  return "HTTP " + std::to_string(res->status) + (detail.empty() ? "" : ": " + detail);
}

}  // namespace switchboard::cli
