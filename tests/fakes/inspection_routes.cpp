// The routes that are not providers: the echo endpoint (header-forwarding tests see what
// arrived) and the capture listener (redirect tests see what followed a redirect there).
#include "provider_routes.hpp"

namespace fakes {
namespace {

constexpr size_t kEchoBodyLimit = 1024 * 1024;

// Registers `handler` for every method cpp-httplib routes (HEAD goes to the GET handler).
void AnyMethod(httplib::Server& server, const std::string& pattern,
               const httplib::Server::Handler& handler) {
  server.Get(pattern, handler);
  server.Post(pattern, handler);
  server.Put(pattern, handler);
  server.Patch(pattern, handler);
  server.Delete(pattern, handler);
  server.Options(pattern, handler);
}

}  // namespace

void AddEchoRoutes(httplib::Server& server) {
  AnyMethod(server, R"(/echo(/.*)?)", [](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, 200, DescribeRequest(req, kEchoBodyLimit));
  });
}

void AddCapturedRoutes(httplib::Server& server, FakeContext& context) {
  server.Get("/_captured", [&context](const httplib::Request&, httplib::Response& res) {
    // A plain array, so `jq length` counts the requests; the rest goes in headers.
    res.set_header("X-Capture-Origin", context.capture_origin());
    res.set_header("X-Captured-Dropped", std::to_string(context.captures().dropped()));
    SendJson(res, 200, context.captures().ToJson());
  });
  server.Delete("/_captured", [&context](const httplib::Request&, httplib::Response& res) {
    context.captures().Clear();
    res.status = 204;
  });
}

void AddCaptureListenerRoutes(httplib::Server& capture_server, FakeContext& context) {
  capture_server.set_payload_max_length(kMaxRequestBodyBytes);
  AnyMethod(capture_server, ".*", [&context](const httplib::Request& req, httplib::Response& res) {
    context.captures().Record(req);
    SendJson(res, 200, {{"captured", true}});
  });
}

}  // namespace fakes
