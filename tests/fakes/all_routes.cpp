// One server for all four providers, the counters endpoint, and the small helpers the
// providers share.
#include <mutex>
#include <vector>

#include "provider_routes.hpp"

namespace fakes {

std::string BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size()) return "";
  // The scheme is case-insensitive.
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return "";
    }
  }
  return header.substr(kScheme.size());
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void AddAllRoutes(httplib::Server& server, FakeContext& context) {
  server.set_payload_max_length(kMaxRequestBodyBytes);
  AddOpenAiRoutes(server, context);
  AddTrelloRoutes(server, context);
  AddGoogleRoutes(server, context);
  AddMicrosoftRoutes(server, context);
  AddEchoRoutes(server);
  AddCapturedRoutes(server, context);
  server.Get("/_stats", [&context](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, context.stats().ToJson());
  });
  server.Delete("/_stats", [&context](const httplib::Request&, httplib::Response& res) {
    context.stats().Reset();
    res.status = 204;
  });
  // A webhook receiver for tests: POST /_webhook keeps each body, GET /_webhook returns
  // them as a JSON array of strings.
  static std::mutex webhook_mutex;
  static std::vector<std::string> webhook_bodies;
  server.Post("/_webhook", [](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(webhook_mutex);
    webhook_bodies.push_back(req.body);
    res.status = 204;
  });
  server.Get("/_webhook", [](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(webhook_mutex);
    SendJson(res, 200, Json(webhook_bodies));
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      SendJson(res, 404, {{"error", "no fake provider route for " + req.method + " " + req.path}});
    }
  });
}

}  // namespace fakes
