// The probe side of `switchboard serve`: the io_context and its threads, the HTTP
// client with its egress policy, the runner, the probe service, bulk jobs, the schedule
// and the webhook, built from serve's options.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cli/arguments.hpp"
#include "common/status.hpp"
#include "probe_net/http_client.hpp"
#include "probe/connection_use.hpp"
#include "probe/probe_jobs.hpp"
#include "probe/probe_runner.hpp"
#include "probe/probe_scheduler.hpp"
#include "probe/probe_service.hpp"
#include "api/webhook.hpp"

namespace switchboard::cli {

// Options serve accepts for probes (names without "--").
extern const std::vector<std::string> kProbeOptionNames;
extern const char* const kProbeOptionsHelp;

class ProbeEngine {
 public:
  // Fails with a message for the user on a bad option. `use_ios` are where flows' uses of
  // connections run (a proxy client on each): the HTTP server's I/O threads' io_contexts,
  // so that a proxied call stays on the thread that answers its caller; the engine's own
  // when empty.
  static Result<std::unique_ptr<ProbeEngine>> Create(const Arguments& args, Store& store,
                                                    ConnectionService& connections,
                                                    probe::ProbeRunner::Observer observer = {},
                                                    std::vector<std::shared_ptr<boost::asio::io_context>> use_ios = {});
  ~ProbeEngine();

  probe::ProbeService& service() { return *service_; }
  probe::ProbeJobs& jobs() { return *jobs_; }
  probe::ConnectionUse& use() { return *use_; }

  // Starts the io threads and, when an interval is set, scheduled probes.
  void Start();
  // Stops the schedule and the io threads; probes in flight are abandoned. The usage
  // counted so far is written.
  void Stop();

  std::string Describe() const;  // one line for the log

 private:
  ProbeEngine() = default;
  void ScheduleUsageFlush();

  boost::asio::io_context io_;
  std::vector<std::shared_ptr<boost::asio::io_context>> use_ios_;  // outlive the proxy clients' sockets
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  int io_threads_ = 2;
  std::unique_ptr<probe::HttpClient> client_;
  std::unique_ptr<probe::ProbeRunner> runner_;
  std::unique_ptr<api::WebhookNotifier> webhook_;
  std::unique_ptr<probe::ProbeService> service_;
  std::unique_ptr<probe::ProbeJobs> jobs_;
  std::unique_ptr<probe::ProbeScheduler> scheduler_;
  std::vector<std::unique_ptr<probe::HttpClient>> proxy_clients_;  // one per use io_context
  std::unique_ptr<probe::UsageCounter> usage_;
  std::unique_ptr<probe::ConnectionUse> use_;
  std::unique_ptr<boost::asio::steady_timer> usage_timer_;
  std::chrono::milliseconds usage_flush_interval_{10000};
  probe::HttpClientOptions proxy_options_;
  probe::ProbeLimits limits_;
  probe::HttpClientOptions client_options_;
  std::vector<std::string> allowed_;
  std::chrono::milliseconds interval_{0};
  bool webhook_set_ = false;
};

}  // namespace switchboard::cli
