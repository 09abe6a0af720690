// Connection reuse: the idle pool, the servers that close, TLS, concurrency, and that a
// pooled connection never serves another origin.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "local_servers.hpp"
#include "probe_net/http_client.hpp"
#include "self_signed_cert.hpp"

namespace {

namespace probe = switchboard::probe;
using probe_net_test::AllowLoopback;
using probe_net_test::Get;
using probe_net_test::KeepAliveServer;
using probe_net_test::LocalServer;
using probe_net_test::SelfSignedCert;
using switchboard::HttpRequest;
using switchboard::HttpResponse;


std::string Describe(const probe::FetchResult& result) {
  if (const auto* error = std::get_if<probe::FetchError>(&result)) {
    return "error " + error->code + ": " + error->message;
  }
  const auto& response = std::get<HttpResponse>(result);
  return "HTTP " + std::to_string(response.status) + " " + response.body;
}

// One client whose pool lives across requests, each run to completion in turn.
class Client {
 public:
  explicit Client(probe::HttpClientOptions options = AllowLoopback()) : client_(io_, options) {}

  probe::FetchResult Fetch(const std::string& url) {
    std::optional<probe::FetchResult> result;
    client_.Fetch(Get(url), [&](probe::FetchResult r) { result = std::move(r); });
    io_.restart();
    io_.run();  // returns once the answer is in: idle connections wait on nothing
    REQUIRE(result.has_value());
    return std::move(*result);
  }

  // `count` fetches at once on two threads; the description of each result, by index.
  std::vector<std::string> FetchAll(const std::function<std::string(int)>& url, int count) {
    std::vector<std::string> results(count);
    std::mutex mutex;
    for (int i = 0; i < count; ++i) {
      client_.Fetch(Get(url(i)), [&, i](probe::FetchResult r) {
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = Describe(r);
      });
    }
    io_.restart();
    std::thread second([&] { io_.run(); });
    io_.run();
    second.join();
    return results;
  }

 private:
  boost::asio::io_context io_;
  probe::HttpClient client_;
};

std::string Base(const KeepAliveServer& server, const std::string& host = "127.0.0.1") {
  return "http://" + host + ":" + std::to_string(server.port());
}

}  // namespace

TEST_CASE("sequential requests to one origin reuse one connection") {
  KeepAliveServer server;
  Client client;
  for (int i = 0; i < 3; ++i) {
    CHECK(Describe(client.Fetch(Base(server) + "/seq?i=" + std::to_string(i))) ==
          "HTTP 200 /seq?i=" + std::to_string(i));
  }
  CHECK(server.accepted() == 1);
}

TEST_CASE("max_idle_per_origin = 0 turns reuse off") {
  KeepAliveServer server;
  auto options = AllowLoopback();
  options.max_idle_per_origin = 0;
  Client client(options);
  CHECK(Describe(client.Fetch(Base(server) + "/a")) == "HTTP 200 /a");
  CHECK(Describe(client.Fetch(Base(server) + "/b")) == "HTTP 200 /b");
  CHECK(server.accepted() == 2);
}

TEST_CASE("a connection the server closed while idle is replaced without the caller noticing") {
  // kClosesWhenIdle: the close is seen before the connection is taken from the pool.
  // kDropsLaterRequests: the server closes only on reading the next request, as when a
  // server's idle timeout crosses the request, so the request is sent again.
  auto mode = GENERATE(KeepAliveServer::Mode::kClosesWhenIdle, KeepAliveServer::Mode::kDropsLaterRequests);
  CAPTURE(static_cast<int>(mode));
  KeepAliveServer server(mode);
  Client client;
  for (int i = 0; i < 3; ++i) {
    CHECK(Describe(client.Fetch(Base(server) + "/again?i=" + std::to_string(i))) ==
          "HTTP 200 /again?i=" + std::to_string(i));
  }
  CHECK(server.accepted() == 3);
}

TEST_CASE("a redirect within the origin continues on the same connection") {
  LocalServer server;
  std::mutex mutex;
  std::set<int> client_ports;
  server.routes().Get("/old", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    client_ports.insert(req.remote_port);
    res.set_redirect("/new");
  });
  server.routes().Get("/new", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    client_ports.insert(req.remote_port);
    res.set_content("moved", "text/plain");
  });
  server.Start();
  Client client;
  CHECK(Describe(client.Fetch(server.Url("/old"))) == "HTTP 200 moved");
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(client_ports.size() == 1);
}

TEST_CASE("an answer with Connection: close is not pooled, even if the server keeps the socket open") {
  KeepAliveServer server(KeepAliveServer::Mode::kSaysCloseStaysOpen);
  Client client;
  CHECK(Describe(client.Fetch(Base(server) + "/a")) == "HTTP 200 /a");
  CHECK(Describe(client.Fetch(Base(server) + "/b")) == "HTTP 200 /b");
  CHECK(server.accepted() == 2);
}

TEST_CASE("https connections are reused with a ca_file, each for its own host name") {
  SelfSignedCert cert({"IP:127.0.0.1", "DNS:localhost"});
  LocalServer server(cert.cert_file(), cert.key_file());
  std::mutex mutex;
  std::set<int> client_ports;  // one per connection the server saw
  server.routes().Get("/me", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    client_ports.insert(req.remote_port);
    res.set_content("secure " + req.get_param_value("q"), "text/plain");
  });
  server.Start();

  auto options = AllowLoopback();
  options.ca_file = cert.cert_file();
  Client client(options);
  auto url = [&](const std::string& host, int i) {
    return "https://" + host + ":" + std::to_string(server.port()) + "/me?q=" + std::to_string(i);
  };
  for (int i = 0; i < 3; ++i) CHECK(Describe(client.Fetch(url("127.0.0.1", i))) == "HTTP 200 secure " + std::to_string(i));
  {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK(client_ports.size() == 1);
  }
  // Same address, another name: verified for that name on a connection of its own.
  CHECK(Describe(client.Fetch(url("localhost", 7))) == "HTTP 200 secure 7");
  CHECK(Describe(client.Fetch(url("localhost", 8))) == "HTTP 200 secure 8");
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(client_ports.size() == 2);
}

TEST_CASE("200 concurrent requests to one origin all succeed, and the pool keeps at most its cap") {
  KeepAliveServer server;
  auto options = AllowLoopback();
  options.timeout = std::chrono::seconds(30);
  options.max_idle_per_origin = 32;  // more than the default, to see the cap hold
  Client client(options);
  constexpr int kConcurrent = 200;
  auto url = [&](int i) { return Base(server) + "/c?i=" + std::to_string(i); };

  for (int wave = 0; wave < 2; ++wave) {
    CAPTURE(wave);
    auto results = client.FetchAll(url, kConcurrent);
    int ok = 0;
    std::map<std::string, int> failures;
    for (int i = 0; i < kConcurrent; ++i) {
      if (results[i] == "HTTP 200 /c?i=" + std::to_string(i)) {
        ++ok;
      } else {
        failures[results[i]]++;
      }
    }
    for (const auto& [failure, count] : failures) UNSCOPED_INFO(count << " x " << failure);
    CHECK(ok == kConcurrent);
  }
  // The first wave opens one connection per request; 32 of them wait in the pool and
  // carry 32 of the second wave.
  CHECK(server.accepted() <= kConcurrent + kConcurrent - 32);
  CHECK(server.accepted() >= kConcurrent);
}

TEST_CASE("a pooled connection is never used for another origin, and the egress policy still refuses") {
  KeepAliveServer server;
  Client client;  // allows 127.0.0.1/32 only
  CHECK(Describe(client.Fetch(Base(server) + "/a")) == "HTTP 200 /a");
  CHECK(server.accepted() == 1);

  // Another host on the same port: refused before any connection, pooled or new.
  auto refused = client.Fetch(Base(server, "127.0.0.2") + "/b");
  auto* error = std::get_if<probe::FetchError>(&refused);
  REQUIRE(error != nullptr);
  CHECK(error->code == "egress_refused");

  // Another name for the same address: a connection of its own.
  CHECK(Describe(client.Fetch(Base(server, "localhost") + "/c")) == "HTTP 200 /c");
  CHECK(server.accepted() == 2);
  CHECK(Describe(client.Fetch(Base(server) + "/d")) == "HTTP 200 /d");
  CHECK(server.accepted() == 2);
}
