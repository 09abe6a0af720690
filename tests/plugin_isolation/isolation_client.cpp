#include "plugin_isolation/isolation_client.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <catch2/catch.hpp>
#include <httplib.h>

namespace switchboard::testing {

Reply HostClient::Send(const std::string& method, const std::string& path, const std::string* body) const {
  httplib::Client client("127.0.0.1", host_.port());
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(timeout_);
  client.set_write_timeout(timeout_);
  httplib::Headers headers = {{"Authorization", "Bearer " + host_.admin_token()}};
  const auto started = std::chrono::steady_clock::now();
  httplib::Result result = method == "GET" ? client.Get(path, headers)
                                           : client.Post(path, headers, *body, "application/json");
  Reply reply;
  reply.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!result) return reply;
  reply.status = result->status;
  reply.content_type = result->get_header_value("Content-Type");
  reply.text = result->body;
  reply.body = nlohmann::json::parse(reply.text, nullptr, /*allow_exceptions=*/false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

Reply HostClient::Get(const std::string& path) const { return Send("GET", path, nullptr); }

Reply HostClient::Post(const std::string& path, const nlohmann::json& body) const {
  const std::string text = body.dump();
  return Send("POST", path, &text);
}

Reply HostClient::Validate(const std::string& provider, const nlohmann::json& config) const {
  return Post("/v1/providers/" + provider + "/validate", config);
}

const std::string& HostClient::project() const {
  static const std::string kProject = "isolation";
  if (!project_created_) {
    Reply created = Post("/v1/projects", {{"id", kProject}, {"name", "Isolation"}});
    INFO(created.text);
    REQUIRE(created.status == 201);
    project_created_ = true;
  }
  return kProject;
}

Reply HostClient::TestProbe(const std::string& provider, const nlohmann::json& config) const {
  return Post("/v1/projects/" + project() + "/connections/test", {{"provider", provider}, {"config", config}});
}

std::string HostClient::CreateConnection(const std::string& provider, const nlohmann::json& config) const {
  static int count = 0;
  Reply created = Post("/v1/projects/" + project() + "/connections?probe=false",
                       {{"name", provider + " " + std::to_string(++count)}, {"provider", provider}, {"config", config}});
  INFO(created.text);
  REQUIRE(created.status == 201);
  return created.body.value("id", "");
}

}  // namespace switchboard::testing
