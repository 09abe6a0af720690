// Runs one plugin's probe to its verdict on the host's real ProbeRunner and HttpClient,
// with 127.0.0.1 allowed as a destination: for tests that judge a plugin against a local
// stand-in for its provider.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "plugins/loaded_provider.hpp"
#include "probe_net/http_client.hpp"
#include "probe/probe_runner.hpp"

namespace switchboard::testing {

class PluginProbeDriver {
 public:
  PluginProbeDriver() {
    probe::HttpClientOptions options;
    options.timeout = std::chrono::milliseconds(5000);
    options.egress = probe::EgressPolicy::WithAllowed({"127.0.0.1/32"}).value();
    client_ = std::make_unique<probe::HttpClient>(io_, options);
    runner_ = std::make_unique<probe::ProbeRunner>(io_, *client_, probe::ProbeLimits{});
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~PluginProbeDriver() {
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }
  PluginProbeDriver(const PluginProbeDriver&) = delete;
  PluginProbeDriver& operator=(const PluginProbeDriver&) = delete;

  // The verdict of one probe of `config`; fails the test when none comes within 20 s.
  ProbeResult Probe(std::shared_ptr<const LoadedProvider> provider, nlohmann::json config) {
    auto promise = std::make_shared<std::promise<ProbeResult>>();
    auto future = promise->get_future();
    const std::string id = provider->id();
    runner_->Run(
        id,
        [provider, config] {
          return Result<probe::ProbeRunner::Subject>(probe::ProbeRunner::Subject{provider, config});
        },
        [promise](ProbeResult result) { promise->set_value(std::move(result)); });
    REQUIRE(future.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    return future.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<probe::HttpClient> client_;
  std::unique_ptr<probe::ProbeRunner> runner_;
  std::vector<std::thread> threads_;
};

}  // namespace switchboard::testing
