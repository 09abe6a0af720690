// A probe engine over a real store, the real OpenAI plugin and a stand-in for OpenAI's
// GET /v1/models on 127.0.0.1, whose answer depends on the API key it is sent.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "plugins/plugin_loader.hpp"
#include "plugins/provider_registry.hpp"
#include "probe_net/http_client.hpp"
#include "probe/probe_runner.hpp"
#include "probe/probe_service.hpp"
#include "secrets/master_key.hpp"
#include "secrets/sealer.hpp"
#include "service/connection_service.hpp"
#include "store/open_store.hpp"

namespace probe_engine_test {

using namespace switchboard;

constexpr const char* kGoodKey = "sk-proj-good000000000000000000000000000000000";
constexpr const char* kOtherGoodKey = "sk-proj-good111111111111111111111111111111111";
constexpr const char* kRevokedKey = "sk-proj-revoked0000000000000000000000000000000";
constexpr const char* kDownKey = "sk-proj-down00000000000000000000000000000000000";

class FakeOpenAi {
 public:
  FakeOpenAi() {
    server_.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      int now = ++in_flight;
      int seen = peak_in_flight.load();
      while (now > seen && !peak_in_flight.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms.load()));
      --in_flight;
      const std::string auth = req.get_header_value("Authorization");
      if (auth.find("sk-proj-good") != std::string::npos) {
        res.set_content(R"({"object":"list","data":[{"id":"gpt-4o","object":"model","created":1,"owned_by":"system"}]})",
                        "application/json");
      } else if (auth.find("sk-proj-down") != std::string::npos) {
        res.status = 503;
        res.set_content(R"({"error":{"message":"The server is overloaded.","type":"server_error","param":null,"code":null}})",
                        "application/json");
      } else {
        res.status = 401;
        res.set_content(R"({"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
                        "application/json");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeOpenAi() {
    server_.stop();
    thread_.join();
  }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  std::atomic<int> requests{0};
  std::atomic<int> delay_ms{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> peak_in_flight{0};

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

struct ProbeHost {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  ProviderRegistry registry;
  std::unique_ptr<Sealer> sealer;
  std::unique_ptr<ConnectionService> connections;
  boost::asio::io_context io;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::unique_ptr<probe::HttpClient> client;
  std::unique_ptr<probe::ProbeRunner> runner;
  std::unique_ptr<probe::ProbeService> service;
  std::mutex events_mutex;
  std::vector<StatusEvent> events;
  FakeOpenAi openai;

  // `allowed`: the egress allowlist of both the HTTP client and the config checks.
  explicit ProbeHost(const std::vector<std::string>& allowed = {"127.0.0.1/32"}) {
    dir = std::filesystem::temp_directory_path() /
          ("sb-probe-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(dir);
    StoreOptions store_options;
    store_options.url = RocksDbUrl(dir.string());
    auto opened = OpenStore(store_options);
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    REQUIRE(store->CreateProject({"p", "P", NowRfc3339()}).ok());
    auto plugin = LoadPlugin(std::string(SWITCHBOARD_PLUGIN_DIR) + "/openai.so");
    REQUIRE(plugin.ok());
    REQUIRE(registry.Add(*plugin).ok());
    std::array<unsigned char, 32> key{};
    key.fill(7);
    sealer = std::make_unique<Sealer>(MasterKeyFromBytes(key));
    connections = std::make_unique<ConnectionService>(*store, registry, *sealer);
    probe::HttpClientOptions options;
    options.timeout = std::chrono::milliseconds(5000);
    options.egress = probe::EgressPolicy::WithAllowed(allowed).value();
    connections->set_egress_policy(options.egress);
    client = std::make_unique<probe::HttpClient>(io, options);
    runner = std::make_unique<probe::ProbeRunner>(io, *client, probe::ProbeLimits{});
    service = std::make_unique<probe::ProbeService>(*store, *connections, *runner, [this](const StatusEvent& e) {
      std::lock_guard<std::mutex> lock(events_mutex);
      events.push_back(e);
    });
    work = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(io.get_executor());
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }

  ~ProbeHost() {
    work.reset();
    io.stop();
    for (auto& t : threads) t.join();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  ConnectionInput Input(const std::string& name, const std::string& key) const {
    return {name, "openai", {{"api_key", key}, {"base_url", openai.BaseUrl()}}};
  }

  // A stored connection, active and never probed (as a flow's integration creates one, and
  // as every connection was stored before creating probed first), whatever `key` would
  // answer now: the state these tests start from.
  std::string Create(const std::string& name, const std::string& key) {
    std::vector<FieldError> errors;
    auto candidate = connections->PrepareNew("p", Input(name, key));
    errors = candidate.status().field_errors();
    INFO((errors.empty() ? candidate.status().ToString() : errors[0].field + ": " + errors[0].message));
    REQUIRE(candidate.ok());
    candidate->record.status = "active";
    candidate->record.status_reason.clear();
    candidate->record.connected_at = candidate->record.created_at;
    auto row = connections->StoreNew(std::move(candidate).value(), nullptr);
    errors = row.status().field_errors();
    REQUIRE(row.ok());
    REQUIRE(row->record.status == "active");
    return row->record.id;
  }

  std::string StoredKey(const std::string& id) {
    auto row = store->GetConnection("p", id);
    REQUIRE(row.ok());
    auto config = connections->UnsealedConfig(row->record);
    REQUIRE(config.ok());
    return (*config)["api_key"];
  }
};

}  // namespace probe_engine_test
