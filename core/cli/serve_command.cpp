// switchboard serve: the host. Opens the store, loads plugins, serves the API.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/app.hpp"
#include "api/router.hpp"
#include "api/routes_web.hpp"
#include "cli/commands.hpp"
#include "cli/probe_engine.hpp"
#include "common/log.hpp"
#include "http/http_server.hpp"
#include "http/worker_pool.hpp"
#include "secrets/sealer.hpp"
#include "service/admin_token.hpp"
#include "service/connection_service.hpp"
#include "service/schema_compatibility.hpp"
#include "store/open_store.hpp"

namespace switchboard::cli {
namespace {

// How long requests in flight may wait for plugins after SIGTERM.
constexpr std::chrono::seconds kPluginStopGrace{5};

std::string Help() {
  return std::string(
             "Usage: switchboard serve [options]\n"
             "\n"
             "Starts the host: RocksDB in the data folder, the provider plugins, and the REST\n"
             "API on the listen address. On first start it creates the data folder, a master\n"
             "key (<data>/master.key, mode 0600) unless SWITCHBOARD_MASTER_KEY gives one, and\n"
             "a server admin token in <data>/admin.token (mode 0600) unless\n"
             "SWITCHBOARD_ADMIN_TOKEN gives one. SIGINT/SIGTERM stop it gracefully; SIGHUP\n"
             "rescans the plugin folders (as POST /v1/admin/plugins/reload does).\n"
             "\n"
             "Options (each also read from the environment variable shown):\n"
             "  --data DIR         data folder; default ./data                   SWITCHBOARD_DATA\n"
             "  --listen HOST:PORT address; default 127.0.0.1:8080 (port 0: any)  SWITCHBOARD_LISTEN\n"
             "  --max-body BYTES   largest request body (chunked too); default 1048576\n"
             "                                                                SWITCHBOARD_MAX_BODY\n"
             "  --threads N        route handler threads; default 64             SWITCHBOARD_THREADS\n"
             "  --io-threads N     network threads: every connection's reads and writes, and the\n"
             "                     proxy's calls to providers; default 2     SWITCHBOARD_IO_THREADS\n"
             "  --plugin-threads N threads for handlers that call a plugin (validate, create,\n"
             "                     update, reconnect); default 16       SWITCHBOARD_PLUGIN_THREADS\n"
             "  --max-connections N  open connections; more are answered 503; default 10000\n"
             "                                                         SWITCHBOARD_MAX_CONNECTIONS\n"
             "  --max-header-bytes BYTES  request line and header fields; default 16384\n"
             "                                                        SWITCHBOARD_MAX_HEADER_BYTES\n"
             "  --max-headers N    header fields in one request; default 100   SWITCHBOARD_MAX_HEADERS\n"
             "  --header-timeout MS  a request's header must arrive within this; default 10000\n"
             "                                                          SWITCHBOARD_HEADER_TIMEOUT\n"
             "  --body-timeout MS  its body within this after the header; default 30000\n"
             "                                                            SWITCHBOARD_BODY_TIMEOUT\n"
             "  --idle-timeout MS  an idle keep-alive connection closes after this; default 60000\n"
             "                                                            SWITCHBOARD_IDLE_TIMEOUT\n"
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
  ArgumentSpec spec{{"data", "listen", "max-body", "threads", "io-threads", "plugin-threads", "max-connections",
                     "max-header-bytes", "max-headers", "header-timeout", "body-timeout", "idle-timeout"},
                    {"no-sync"}};
  spec.options.insert(kProbeOptionNames.begin(), kProbeOptionNames.end());
  auto parsed = ParsePluginCommandArguments(argv, spec);
  if (auto exit_code = EndsBeforeStart(parsed, help)) return *exit_code;
  const Arguments& args = *parsed;
  if (!args.positionals.empty()) return UsageError("serve takes no arguments", help.c_str());

  const std::filesystem::path data_dir = args.Setting("data", "SWITCHBOARD_DATA", "./data");
  const std::string listen = args.Setting("listen", "SWITCHBOARD_LISTEN", "127.0.0.1:8080");
  http::ServerOptions edge;
  size_t threads = 0, plugin_threads = 0, io_threads = 0;
  struct Limit {
    const char* option;
    const char* variable;
    const char* fallback;
    size_t max;
    size_t* out;
  };
  size_t header_ms = 0, body_ms = 0, idle_ms = 0;
  const Limit limits[] = {
      {"max-body", "SWITCHBOARD_MAX_BODY", "1048576", SIZE_MAX, &edge.max_body},
      {"threads", "SWITCHBOARD_THREADS", "64", 1024, &threads},
      {"io-threads", "SWITCHBOARD_IO_THREADS", "2", 64, &io_threads},
      {"plugin-threads", "SWITCHBOARD_PLUGIN_THREADS", "16", 1024, &plugin_threads},
      {"max-connections", "SWITCHBOARD_MAX_CONNECTIONS", "10000", 1000000, &edge.max_connections},
      {"max-header-bytes", "SWITCHBOARD_MAX_HEADER_BYTES", "16384", 1 << 20, &edge.max_header_bytes},
      {"max-headers", "SWITCHBOARD_MAX_HEADERS", "100", 10000, &edge.max_header_fields},
      {"header-timeout", "SWITCHBOARD_HEADER_TIMEOUT", "10000", 3600000, &header_ms},
      {"body-timeout", "SWITCHBOARD_BODY_TIMEOUT", "30000", 3600000, &body_ms},
      {"idle-timeout", "SWITCHBOARD_IDLE_TIMEOUT", "60000", 3600000, &idle_ms},
  };
  for (const Limit& limit : limits) {
    if (!ParseSize(args.Setting(limit.option, limit.variable, limit.fallback), *limit.out) || *limit.out > limit.max) {
      return UsageError("--" + std::string(limit.option) + " must be a number from 1 to " + std::to_string(limit.max),
                        help.c_str());
    }
  }
  edge.header_timeout = std::chrono::milliseconds(header_ms);
  edge.body_timeout = std::chrono::milliseconds(body_ms);
  edge.idle_timeout = std::chrono::milliseconds(idle_ms);
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return UsageError("--listen must be HOST:PORT", help.c_str());
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  size_t port = 0;
  if (listen.substr(colon + 1) == "0") port = 0;
  else if (!ParseSize(listen.substr(colon + 1), port) || port > 65535) return UsageError("bad port in --listen", help.c_str());
  edge.host = host;
  edge.port = static_cast<int>(port);
  edge.io_threads = static_cast<int>(io_threads);

  // Signals go to one thread that stops the server; block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // reloads the plugins
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Every connection is a descriptor: allow as many as the hard limit lets us.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    log::Error("cannot create data folder " + data_dir.string() + ": " + ec.message());
    return kExitFailure;
  }
  ::chmod(data_dir.c_str(), 0700);
  StoreOptions store_options;
  store_options.url = RocksDbUrl((data_dir / "db").string());
  store_options.rocksdb.sync_writes = !args.Has("no-sync");
  auto store = OpenStore(store_options);
  if (!store.ok()) {
    log::Error(store.status().message());
    if (store.status().Is(Code::kWalCorrupt) || store.status().Is(Code::kStoreCorrupt)) {
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

  api::Metrics metrics;
  ProjectService projects(**store);
  api::Authenticator auth(projects, admin->hash);
  ConnectionService connections(**store, registry, *sealer);
  // The HTTP server's I/O threads' io_contexts, one each, shared with the proxy's clients
  // (ProbeEngine::Create).
  const auto network = http::IoContextsFor(edge.io_threads);
  auto probes = ProbeEngine::Create(
      args, **store, connections,
      [&metrics](const std::string& provider, const ProbeResult& result) {
        metrics.RecordProbe(provider, OutcomeName(result.outcome));
      },
      network);
  if (!probes.ok()) return UsageError(probes.status().message(), help.c_str());
  auto plugin_options = PluginHostOptionsFrom(args);
  PluginReloader reloader(PluginDirectories(args), plugin_options.ok() ? *plugin_options : PluginHostOptions{}, registry);
  reloader.Remember(report);
  // From here the registry alone holds the providers, so a reload that replaces one ends
  // its start-up runner once its last call is done.
  report.loaded.clear();
  ComponentService components(**store, connections);
  probe::ProbeService& probe_service = (*probes)->service();
  // A connection a component's integration created is probed at once, in the background.
  components.set_on_connection_created([&probe_service](const ConnectionRecord& created) {
    probe_service.ProbeStored(created.project, created.id, [](Result<probe::ProbeReport>) {}, created.provider);
  });
  HostService host_service(**store, connections, &reloader);
  api::App app{registry,      projects, connections, components, host_service, metrics, probe_service,
               (*probes)->jobs(), (*probes)->use()};
  http::WorkerPool workers("request handler", threads);
  http::WorkerPool plugin_workers("plugin call", plugin_threads);
  api::Router router(metrics, auth, [&projects](const std::string& p) { return projects.Exists(p); },
                     workers, plugin_workers);
  router.set_use_check([&components](const std::string& project, const ComponentBinding& component,
                                     const std::string& connection) {
    return components.CheckUse(project, component, connection);
  });
  api::RegisterHealthRoutes(router, app);
  api::RegisterProjectRoutes(router, app);
  api::RegisterProviderRoutes(router, app);
  api::RegisterConnectionRoutes(router, app);
  api::RegisterConnectionUseRoutes(router, app);
  api::RegisterComponentRoutes(router, app);
  api::RegisterProbeRoutes(router, app);
  api::RegisterAdminRoutes(router, app);
  api::RegisterSessionRoutes(router, app);
  api::RegisterWebRoutes(router);

  http::HttpServer server(
      edge, [&router](http::HttpRequest request, http::Responder respond) {
        router.Dispatch(std::move(request), std::move(respond));
      },
      [&router](int status, const std::string& code, const std::string& detail) {
        return router.EdgeProblem(status, code, detail);
      },
      network);
  int bound = server.Bind();
  if (bound <= 0) {
    log::Error("cannot listen on " + listen + " (address in use or not available)");
    return kExitFailure;
  }

  // After SIGTERM, requests in flight get a few seconds to finish; then the plugins are
  // stopped, so that a plugin stuck in a call holds up nothing.
  std::mutex stop_mutex;
  std::condition_variable stop_changed;
  bool served = false;
  std::thread signal_thread([&server, &registry, &host_service, &stop_mutex, &stop_changed,
                             &served, stop_signals] {
    int received = 0;
    for (;;) {
      sigwait(&stop_signals, &received);
      if (received != SIGHUP) break;
      log::Info("received SIGHUP, reloading the plugins");
      // The check of the stored connections logs those the new schemas refuse. This
      // thread takes SIGTERM too: a stop that arrives meanwhile ends the check, so the
      // host still stops in its grace period.
      const HostService::PluginReload reload = host_service.ReloadPlugins([] {
        sigset_t pending;
        sigpending(&pending);
        return sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1;
      });
      size_t changed = 0;
      for (const auto& outcome : reload.report.outcomes) changed += outcome.action != ReloadOutcome::Action::kUnchanged;
      log::Info("plugins reloaded: " + std::to_string(changed) + " change(s)");
    }
    log::Info(std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    server.Stop();
    std::unique_lock<std::mutex> lock(stop_mutex);
    if (!stop_changed.wait_for(lock, kPluginStopGrace, [&] { return served; })) {
      log::Info("requests still wait for plugins: stopping the plugins");
      registry.ShutdownPlugins();
    }
  });

  if (admin->generated) log::Info("server admin token written to " + admin->file.string() + " (mode 0600)");
  else if (!admin->file.empty()) log::Info("server admin token is in " + admin->file.string());
  else log::Info("server admin token taken from SWITCHBOARD_ADMIN_TOKEN");
  std::cout << "switchboard listening on http://" << host << ":" << bound << std::endl;
  log::Info("listening on http://" + host + ":" + std::to_string(bound) + ", data in " + data_dir.string());

  (*probes)->Start();
  log::Info((*probes)->Describe());
  server.Run();  // returns after Stop(), once in-flight requests are answered
  {
    std::lock_guard<std::mutex> lock(stop_mutex);
    served = true;
  }
  stop_changed.notify_all();
  registry.ShutdownPlugins();  // the plugin lane's threads wait for no plugin
  workers.Stop();
  plugin_workers.Stop();
  (*probes)->Stop();
  if (signal_thread.joinable()) {
    pthread_kill(signal_thread.native_handle(), SIGTERM);  // wakes sigwait if we stopped otherwise
    signal_thread.join();
  }
  log::Info("stopped");
  return kExitOk;
}

}  // namespace switchboard::cli
