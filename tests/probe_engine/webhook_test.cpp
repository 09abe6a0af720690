#include <condition_variable>

#include <nlohmann/json.hpp>

#include "api/webhook.hpp"
#include "probe_host_fixture.hpp"

using namespace switchboard;

TEST_CASE("the webhook signature is HMAC-SHA256 of timestamp.body") {
  // Expected value from: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
  CHECK(api::WebhookSignature("whsec_test", "1700000000", R"({"a":1})") ==
        "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
  CHECK(api::WebhookSignature("other", "1700000000", R"({"a":1})") !=
        api::WebhookSignature("whsec_test", "1700000000", R"({"a":1})"));
}

namespace {

struct Receiver {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<httplib::Request> requests;

  explicit Receiver(int fail_first = 0) {
    server.Post("/hook", [this, fail_first](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex);
      requests.push_back(req);
      res.status = static_cast<int>(requests.size()) <= fail_first ? 500 : 204;
      arrived.notify_all();
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server.stop();
    thread.join();
  }
  bool WaitFor(size_t count, int seconds = 10) {
    std::unique_lock<std::mutex> lock(mutex);
    return arrived.wait_for(lock, std::chrono::seconds(seconds), [&] { return requests.size() >= count; });
  }
};

struct Engine {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::unique_ptr<probe::HttpClient> client;
  std::thread thread;
  explicit Engine(std::vector<std::string> allowed) {
    probe::HttpClientOptions options;
    options.egress = probe::EgressPolicy::WithAllowed(allowed).value();
    client = std::make_unique<probe::HttpClient>(io, options);
    thread = std::thread([this] { io.run(); });
  }
  ~Engine() {
    work.reset();
    io.stop();
    thread.join();
  }
};

StatusEvent SampleEvent() {
  StatusEvent e;
  e.at = "2026-11-23T10:00:00.000Z";
  e.project = "p";
  e.connection = "con_1";
  e.connection_name = "Support inbox";
  e.provider = "outlook";
  e.outcome = "invalid_credentials";
  e.reason = "invalid_grant";
  e.message = "The refresh token was revoked.";
  e.status = "inactive";
  e.previous_status = "active";
  return e;
}

}  // namespace

TEST_CASE("a status change is delivered to the webhook, signed") {
  Receiver receiver;
  Engine engine({"127.0.0.1/32"});
  api::WebhookNotifier notifier(engine.io, *engine.client,
                                  {"http://127.0.0.1:" + std::to_string(receiver.port) + "/hook", "whsec_test"});
  notifier.Notify(SampleEvent());
  REQUIRE(receiver.WaitFor(1));
  const auto& req = receiver.requests[0];
  const std::string timestamp = req.get_header_value("X-Switchboard-Timestamp");
  CHECK_FALSE(timestamp.empty());
  CHECK(req.get_header_value("X-Switchboard-Signature") == api::WebhookSignature("whsec_test", timestamp, req.body));
  auto body = nlohmann::json::parse(req.body);
  CHECK(body["type"] == "connection.status_changed");
  CHECK(body["event"]["connection"] == "con_1");
  CHECK(body["event"]["status"] == "inactive");
  CHECK(body["event"]["previous_status"] == "active");
}

TEST_CASE("a failed webhook delivery is retried once") {
  Receiver receiver(/*fail_first=*/1);
  Engine engine({"127.0.0.1/32"});
  api::WebhookNotifier notifier(engine.io, *engine.client,
                                  {"http://127.0.0.1:" + std::to_string(receiver.port) + "/hook", "s"});
  notifier.Notify(SampleEvent());
  REQUIRE(receiver.WaitFor(2));
  CHECK(receiver.requests[0].body == receiver.requests[1].body);
}

TEST_CASE("the webhook obeys the egress policy") {
  Receiver receiver;
  Engine engine({});  // loopback not allowed
  api::WebhookNotifier notifier(engine.io, *engine.client,
                                  {"http://127.0.0.1:" + std::to_string(receiver.port) + "/hook", "s"});
  notifier.Notify(SampleEvent());
  CHECK_FALSE(receiver.WaitFor(1, 2));
}
