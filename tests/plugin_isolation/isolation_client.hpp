// The REST calls the plugin isolation tests make against a HostProcess, as its server
// admin, and the gate that skips them until the plugin runner is built.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "support/host_process.hpp"

namespace switchboard::testing {

struct Reply {
  int status = 0;  // 0: no answer (connection refused or reset, or timed out)
  std::string content_type;
  std::string text;
  nlohmann::json body;  // the parsed body, or null
  double ms = 0;        // how long the answer took
};

class HostClient {
 public:
  explicit HostClient(const HostProcess& host, std::chrono::seconds timeout = std::chrono::seconds(40))
      : host_(host), timeout_(timeout) {}

  Reply Get(const std::string& path) const;
  Reply Post(const std::string& path, const nlohmann::json& body) const;

  // POST /v1/providers/<provider>/validate
  Reply Validate(const std::string& provider, const nlohmann::json& config) const;
  // POST /v1/projects/<project>/connections/test, creating the project on first use.
  Reply TestProbe(const std::string& provider, const nlohmann::json& config) const;
  // POST /v1/projects/<project>/connections?probe=false (so it starts unverified): its id.
  std::string CreateConnection(const std::string& provider, const nlohmann::json& config) const;
  const std::string& project() const;

 private:
  Reply Send(const std::string& method, const std::string& path, const std::string* body) const;
  const HostProcess& host_;
  std::chrono::seconds timeout_;
  mutable bool project_created_ = false;
};

}  // namespace switchboard::testing
