#include "cli/probe_engine.hpp"

#include <cstdlib>

#include "common/log.hpp"

namespace switchboard::cli {

const std::vector<std::string> kProbeOptionNames = {
    "egress-allow", "probe-timeout", "probe-concurrency", "probe-provider-concurrency",
    "probe-interval", "probe-ca-file", "probe-threads", "webhook-url",
    "proxy-timeout", "proxy-max-response", "usage-flush-interval"};

const char* const kProbeOptionsHelp =
    "\n"
    "Credential probes:\n"
    "  --egress-allow CIDR  let probes and webhooks reach this private range (repeatable;\n"
    "                       comma-separated in the variable)              SWITCHBOARD_EGRESS_ALLOW\n"
    "  --probe-timeout MS   per-request deadline; default 10000           SWITCHBOARD_PROBE_TIMEOUT\n"
    "  --probe-concurrency N  probes in flight at once; default 256       SWITCHBOARD_PROBE_CONCURRENCY\n"
    "  --probe-provider-concurrency N  of one provider; default = the above\n"
    "                                                                     SWITCHBOARD_PROBE_PROVIDER_CONCURRENCY\n"
    "  --probe-interval SECONDS  probe every connection this often, jittered;\n"
    "                       default 3600, 0 = never                       SWITCHBOARD_PROBE_INTERVAL\n"
    "  --probe-ca-file FILE extra CA certificates to trust (PEM)          SWITCHBOARD_PROBE_CA_FILE\n"
    "  --probe-threads N    network threads; default 2                    SWITCHBOARD_PROBE_THREADS\n"
    "  --webhook-url URL    POST each status change here, signed with     SWITCHBOARD_WEBHOOK_URL\n"
    "                       HMAC-SHA256 of SWITCHBOARD_WEBHOOK_SECRET\n"
    "\n"
    "Using connections (the proxy and the credentials endpoint):\n"
    "  --proxy-timeout MS   a proxied request's deadline; default 30000   SWITCHBOARD_PROXY_TIMEOUT\n"
    "  --proxy-max-response BYTES  largest answer passed on; default 16 MiB\n"
    "                                                                     SWITCHBOARD_PROXY_MAX_RESPONSE\n"
    "  --usage-flush-interval MS  how often use counts are written; default 10000\n"
    "                                                                     SWITCHBOARD_USAGE_FLUSH_INTERVAL\n";

namespace {

bool ParseCount(const std::string& text, long min, long max, long& out) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < min || v > max) return false;
  out = v;
  return true;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

}  // namespace

Result<std::unique_ptr<ProbeEngine>> ProbeEngine::Create(const Arguments& args, Store& store,
                                                        ConnectionService& connections,
                                                        probe::ProbeRunner::Observer observer,
                                                        std::vector<std::shared_ptr<boost::asio::io_context>> use_ios) {
  std::unique_ptr<ProbeEngine> engine(new ProbeEngine());
  engine->use_ios_ = std::move(use_ios);
  long value = 0;
  if (!ParseCount(args.Setting("probe-timeout", "SWITCHBOARD_PROBE_TIMEOUT", "10000"), 1, 600000, value)) {
    return Status::Error(Code::kUsage, "--probe-timeout must be from 1 to 600000 milliseconds");
  }
  engine->client_options_.timeout = std::chrono::milliseconds(value);
  if (!ParseCount(args.Setting("probe-concurrency", "SWITCHBOARD_PROBE_CONCURRENCY", "256"), 1, 100000, value)) {
    return Status::Error(Code::kUsage, "--probe-concurrency must be from 1 to 100000");
  }
  engine->limits_.global = static_cast<size_t>(value);
  if (!ParseCount(args.Setting("probe-provider-concurrency", "SWITCHBOARD_PROBE_PROVIDER_CONCURRENCY",
                          std::to_string(engine->limits_.global)),
                  1, 100000, value)) {
    return Status::Error(Code::kUsage, "--probe-provider-concurrency must be from 1 to 100000");
  }
  engine->limits_.per_provider = static_cast<size_t>(value);
  if (!ParseCount(args.Setting("probe-interval", "SWITCHBOARD_PROBE_INTERVAL", "3600"), 0, 365L * 86400, value)) {
    return Status::Error(Code::kUsage, "--probe-interval must be a number of seconds (0 turns scheduled probes off)");
  }
  engine->interval_ = std::chrono::seconds(value);
  if (!ParseCount(args.Setting("probe-threads", "SWITCHBOARD_PROBE_THREADS", "2"), 1, 64, value)) {
    return Status::Error(Code::kUsage, "--probe-threads must be from 1 to 64");
  }
  engine->io_threads_ = static_cast<int>(value);

  engine->allowed_ = args.All("egress-allow");
  if (engine->allowed_.empty()) {
    if (const char* env = std::getenv("SWITCHBOARD_EGRESS_ALLOW")) engine->allowed_ = SplitCommas(env);
  }
  auto egress = probe::EgressPolicy::WithAllowed(engine->allowed_);
  if (!egress.ok()) return Status::Error(Code::kUsage, "--egress-allow: " + egress.status().message());
  engine->client_options_.egress = *egress;
  // Literal addresses in URL fields are refused when they are typed in, by the same policy.
  connections.set_egress_policy(*egress);
  engine->client_options_.ca_file = args.Setting("probe-ca-file", "SWITCHBOARD_PROBE_CA_FILE", "");
  try {
    engine->client_ = std::make_unique<probe::HttpClient>(engine->io_, engine->client_options_);
  } catch (const std::exception& e) {
    return Status::Error(Code::kUsage, std::string("--probe-ca-file: ") + e.what());
  }
  if (!ParseCount(args.Setting("proxy-timeout", "SWITCHBOARD_PROXY_TIMEOUT", "30000"), 1, 600000, value)) {
    return Status::Error(Code::kUsage, "--proxy-timeout must be from 1 to 600000 milliseconds");
  }
  engine->proxy_options_ = engine->client_options_;
  engine->proxy_options_.timeout = std::chrono::milliseconds(value);
  engine->proxy_options_.follow_redirects = false;
  // Flows call their providers steadily: keep enough connections to each for many callers.
  engine->proxy_options_.max_idle_per_origin = 128;
  if (!ParseCount(args.Setting("proxy-max-response", "SWITCHBOARD_PROXY_MAX_RESPONSE", std::to_string(16 << 20)), 1,
                  1L << 30, value)) {
    return Status::Error(Code::kUsage, "--proxy-max-response must be from 1 to 1073741824 bytes");
  }
  engine->proxy_options_.max_response_bytes = static_cast<size_t>(value);
  if (!ParseCount(args.Setting("usage-flush-interval", "SWITCHBOARD_USAGE_FLUSH_INTERVAL", "10000"), 10, 3600000,
                  value)) {
    return Status::Error(Code::kUsage, "--usage-flush-interval must be from 10 to 3600000 milliseconds");
  }
  engine->usage_flush_interval_ = std::chrono::milliseconds(value);
  std::vector<probe::ProxyLane> lanes;
  auto add_lane = [&](boost::asio::io_context& io) {
    engine->proxy_clients_.push_back(std::make_unique<probe::HttpClient>(io, engine->proxy_options_));
    lanes.push_back({&io, engine->proxy_clients_.back().get()});
  };
  for (const auto& io : engine->use_ios_) add_lane(*io);
  if (lanes.empty()) add_lane(engine->io_);
  engine->runner_ = std::make_unique<probe::ProbeRunner>(engine->io_, *engine->client_, engine->limits_);
  engine->runner_->set_observer(std::move(observer));

  probe::StatusEventSink sink;
  const std::string webhook_url = args.Setting("webhook-url", "SWITCHBOARD_WEBHOOK_URL", "");
  if (!webhook_url.empty()) {
    const char* secret = std::getenv("SWITCHBOARD_WEBHOOK_SECRET");
    if (secret == nullptr || *secret == '\0') {
      return Status::Error(Code::kUsage, "--webhook-url needs SWITCHBOARD_WEBHOOK_SECRET to sign deliveries");
    }
    engine->webhook_ = std::make_unique<api::WebhookNotifier>(engine->io_, *engine->client_,
                                                                api::WebhookOptions{webhook_url, secret});
    engine->webhook_set_ = true;
    sink = [notifier = engine->webhook_.get()](const StatusEvent& event) { notifier->Notify(event); };
  }
  engine->service_ = std::make_unique<probe::ProbeService>(store, connections, *engine->runner_, sink);
  engine->jobs_ = std::make_unique<probe::ProbeJobs>(store, *engine->service_);
  engine->usage_ = std::make_unique<probe::UsageCounter>(connections);
  engine->use_ = std::make_unique<probe::ConnectionUse>(engine->io_, std::move(lanes), connections, *engine->service_,
                                                        *engine->client_, *engine->usage_);
  if (engine->interval_.count() > 0) {
    probe::ScheduleOptions schedule;
    schedule.interval = engine->interval_;
    schedule.first_backoff = std::min<std::chrono::milliseconds>(std::chrono::seconds(30), engine->interval_);
    schedule.rescan = std::min<std::chrono::milliseconds>(std::chrono::seconds(60), engine->interval_);
    engine->scheduler_ = std::make_unique<probe::ProbeScheduler>(store, *engine->service_, schedule);
  }
  return engine;
}

ProbeEngine::~ProbeEngine() { Stop(); }

void ProbeEngine::Start() {
  if (!threads_.empty()) return;
  work_ = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
      io_.get_executor());
  for (int i = 0; i < io_threads_; ++i) threads_.emplace_back([this] { io_.run(); });
  if (scheduler_) scheduler_->Start();
  usage_timer_ = std::make_unique<boost::asio::steady_timer>(io_);
  ScheduleUsageFlush();
}

void ProbeEngine::ScheduleUsageFlush() {
  usage_timer_->expires_after(usage_flush_interval_);
  usage_timer_->async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    usage_->Flush();
    ScheduleUsageFlush();
  });
}

void ProbeEngine::Stop() {
  if (scheduler_) scheduler_->Stop();
  work_.reset();
  io_.stop();
  for (auto& thread : threads_) thread.join();
  const bool started = !threads_.empty();
  threads_.clear();
  if (started && usage_) usage_->Flush();
}

std::string ProbeEngine::Describe() const {
  std::string allowed;
  for (const auto& cidr : allowed_) allowed += (allowed.empty() ? "" : ",") + cidr;
  return "probes: concurrency " + std::to_string(limits_.global) + " (" + std::to_string(limits_.per_provider) +
         " per provider), timeout " + std::to_string(client_options_.timeout.count()) + " ms, " +
         (interval_.count() > 0 ? "every " + std::to_string(interval_.count() / 1000) + " s" : "no schedule") +
         ", egress allowlist [" + allowed + "]" + (webhook_set_ ? ", webhook on" : "");
}

}  // namespace switchboard::cli
