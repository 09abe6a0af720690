// switchboard serve: the host. Opens the store, loads plugins, serves the API.
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include <httplib.h>

#include "api/app.hpp"
#include "api/listen_socket.hpp"
#include "api/router.hpp"
#include "api/routes_web.hpp"
#include "cli/commands.hpp"
#include "cli/probe_engine.hpp"
#include "common/log.hpp"
#include "secrets/sealer.hpp"
#include "service/admin_token.hpp"
#include "service/connection_service.hpp"
#include "store/store.hpp"

namespace switchboard::cli {
namespace {

std::string Help() {
  return std::string(
             "Usage: switchboard serve [options]\n"
             "\n"
             "Starts the host: RocksDB in the data folder, the provider plugins, and the REST\n"
             "API on the listen address. On first start it creates the data folder, a master\n"
             "key (<data>/master.key, mode 0600) unless SWITCHBOARD_MASTER_KEY gives one, and\n"
             "a server admin token in <data>/admin.token (mode 0600) unless\n"
             "SWITCHBOARD_ADMIN_TOKEN gives one. SIGINT/SIGTERM stop it gracefully.\n"
             "\n"
             "Options (each also read from the environment variable shown):\n"
             "  --data DIR         data folder; default ./data                   SWITCHBOARD_DATA\n"
             "  --listen HOST:PORT address; default 127.0.0.1:8080 (port 0: any)  SWITCHBOARD_LISTEN\n"
             "  --max-body BYTES   largest request body; default 1048576         SWITCHBOARD_MAX_BODY\n"
             "  --threads N        request threads; default 64                   SWITCHBOARD_THREADS\n"
             "  --no-sync          acknowledge writes before they are fsynced (benchmarks only)\n") +
         kPluginOptionsHelp + kProbeOptionsHelp;
}

bool ParseSize(const std::string& text, size_t& out) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v == 0) return false;
  out = static_cast<size_t>(v);
  return true;
}

}  // namespace

int ServeCommand(const std::vector<std::string>& argv) {
  const std::string help = Help();
  ArgumentSpec spec{{"plugins", "data", "listen", "max-body", "threads"}, {"no-default-plugins", "no-sync"}};
  spec.options.insert(kProbeOptionNames.begin(), kProbeOptionNames.end());
  auto parsed = ParseArguments(argv, spec);
  if (!parsed.ok()) return UsageError(parsed.status().message(), help.c_str());
  const Arguments& args = *parsed;
  if (args.Has("help")) {
    std::cout << help;
    return kExitOk;
  }
  if (!args.positionals.empty()) return UsageError("serve takes no arguments", help.c_str());

  const std::filesystem::path data_dir = args.Setting("data", "SWITCHBOARD_DATA", "./data");
  const std::string listen = args.Setting("listen", "SWITCHBOARD_LISTEN", "127.0.0.1:8080");
  size_t max_body = 0, threads = 0;
  if (!ParseSize(args.Setting("max-body", "SWITCHBOARD_MAX_BODY", "1048576"), max_body)) {
    return UsageError("--max-body must be a positive number of bytes", help.c_str());
  }
  if (!ParseSize(args.Setting("threads", "SWITCHBOARD_THREADS", "64"), threads) || threads > 1024) {
    return UsageError("--threads must be from 1 to 1024", help.c_str());
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return UsageError("--listen must be HOST:PORT", help.c_str());
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  size_t port = 0;
  if (listen.substr(colon + 1) == "0") port = 0;
  else if (!ParseSize(listen.substr(colon + 1), port) || port > 65535) return UsageError("bad port in --listen", help.c_str());

  // Signals go to one thread that stops the server; block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    log::Error("cannot create data folder " + data_dir.string() + ": " + ec.message());
    return kExitFailure;
  }
  ::chmod(data_dir.c_str(), 0700);
  StoreOptions store_options;
  store_options.sync_writes = !args.Has("no-sync");
  auto store = Store::Open(data_dir / "db", store_options);
  if (!store.ok()) {
    log::Error(store.status().message());
    if (store.status().code() == "wal_corrupt" || store.status().code() == "store_corrupt") {
      log::Error("not starting: see what is damaged and what recovery would drop with 'switchboard store check --data " +
                 data_dir.string() + "', then recover with 'switchboard store recover --data " + data_dir.string() +
                 " --yes' (docs/operations.md)");
    }
    return kExitFailure;
  }
  auto sealer = Sealer::FromEnvironment(data_dir);
  if (!sealer.ok()) {
    log::Error("master key: " + sealer.status().message());
    return kExitFailure;
  }
  auto admin = EnsureAdminToken(**store, data_dir);
  if (!admin.ok()) {
    log::Error("admin token: " + admin.status().message());
    return kExitFailure;
  }

  ProviderRegistry registry;
  LoadReport report = LoadPlugins(args, registry);
  for (const auto& p : registry.List()) log::Info("provider " + p->id() + " loaded from " + p->file().string());
  log::Info(std::to_string(registry.size()) + " provider(s) loaded, " + std::to_string(report.refused.size()) +
            " refused");

  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(max_body);
  server.set_keep_alive_max_count(10000);
  server.set_read_timeout(30, 0);
  server.set_write_timeout(30, 0);

  api::Metrics metrics;
  api::Authenticator auth(**store, admin->hash);
  ConnectionService connections(**store, registry, *sealer);
  auto probes = ProbeEngine::Create(args, **store, connections,
                                    [&metrics](const std::string& provider, const ProbeResult& result) {
                                      metrics.RecordProbe(provider, OutcomeName(result.outcome));
                                    });
  if (!probes.ok()) return UsageError(probes.status().message(), help.c_str());
  api::App app{**store, registry, connections, metrics, (*probes)->service(), (*probes)->jobs()};
  Store& store_ref = **store;
  api::Router router(server, metrics, auth, [&store_ref](const std::string& p) { return store_ref.GetProject(p).ok(); });
  api::RegisterHealthRoutes(router, app);
  api::RegisterProjectRoutes(router, app);
  api::RegisterProviderRoutes(router, app);
  api::RegisterConnectionRoutes(router, app);
  api::RegisterComponentRoutes(router, app);
  api::RegisterProbeRoutes(router, app);
  api::RegisterSessionRoutes(router, app);
  api::RegisterWebRoutes(router);
  router.InstallFallbacks();

  int bound = api::BindWithBacklog(server, host, static_cast<int>(port), SOMAXCONN);
  if (bound <= 0) {
    log::Error("cannot listen on " + listen + " (address in use or not available)");
    return kExitFailure;
  }

  std::thread signal_thread([&server, stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    log::Info(std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    server.stop();
  });

  if (admin->generated) log::Info("server admin token written to " + admin->file.string() + " (mode 0600)");
  else if (!admin->file.empty()) log::Info("server admin token is in " + admin->file.string());
  else log::Info("server admin token taken from SWITCHBOARD_ADMIN_TOKEN");
  std::cout << "switchboard listening on http://" << host << ":" << bound << std::endl;
  log::Info("listening on http://" + host + ":" + std::to_string(bound) + ", data in " + data_dir.string());

  (*probes)->Start();
  log::Info((*probes)->Describe());
  server.listen_after_bind();  // returns after stop(), once in-flight requests are done
  (*probes)->Stop();
  if (signal_thread.joinable()) {
    pthread_kill(signal_thread.native_handle(), SIGTERM);  // wakes sigwait if we stopped otherwise
    signal_thread.join();
  }
  log::Info("stopped");
  return kExitOk;
}

}  // namespace switchboard::cli
