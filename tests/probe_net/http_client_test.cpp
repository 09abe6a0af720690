#include "probe_net/http_client.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "local_servers.hpp"

namespace {

namespace probe = switchboard::probe;
using probe_net_test::AllowLoopback;
using probe_net_test::Get;
using probe_net_test::FetchNow;
using probe_net_test::LocalServer;
using switchboard::HttpRequest;
using switchboard::HttpResponse;


const HttpResponse& ResponseOf(const probe::FetchResult& result) {
  if (const auto* error = std::get_if<probe::FetchError>(&result)) {
    FAIL("fetch failed: " << error->code << ": " << error->message);
  }
  return std::get<HttpResponse>(result);
}

const probe::FetchError& ErrorOf(const probe::FetchResult& result) {
  if (const auto* response = std::get_if<HttpResponse>(&result)) {
    std::string headers;
    for (const auto& [name, value] : response->headers) headers += name + ": " + value + "; ";
    FAIL("expected an error, got HTTP " << response->status << " with " << response->body.size()
                                        << " bytes; " << headers);
  }
  return std::get<probe::FetchError>(result);
}

}  // namespace

TEST_CASE("a GET returns status, lower-cased headers, body, and sends the query and headers") {
  LocalServer server;
  server.routes().Get("/v1/members/me", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_header("X-Request-Id", "abc");
    res.set_header("Retry-After", "7");
    res.set_content("key=" + req.get_param_value("key") + " token=" + req.get_param_value("token") +
                        " auth=" + req.get_header_value("Authorization") +
                        " host=" + req.get_header_value("Host"),
                    "text/plain");
  });
  server.Start();

  HttpRequest request = Get(server.Url("/v1/members/me?key=k1&token=t%202"));
  request.headers["authorization"] = "Bearer sk-test";
  auto response = ResponseOf(FetchNow(AllowLoopback(), request));
  CHECK(response.status == 201);
  CHECK(response.Header("x-request-id") == "abc");
  CHECK(response.Header("retry-after") == "7");
  CHECK(response.Header("content-type") == "text/plain");
  CHECK(response.body == "key=k1 token=t 2 auth=Bearer sk-test host=127.0.0.1:" +
                             std::to_string(server.port()));
  for (const auto& [name, value] : response.headers) {
    CHECK(name == probe_net_test::Lower(name));
  }
}

// What docs/plugin-guide.md ("The exchange as your plugin sees it") promises plugins.
TEST_CASE("the host sends its own User-Agent unless the plugin sets one; repeated headers are joined") {
  LocalServer server;
  server.routes().Get("/ua", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Repeat", "a");
    res.set_header("X-Repeat", "b");
    res.set_header("X-Empty", "");
    res.set_content(req.get_header_value("User-Agent"), "text/plain");
  });
  server.Start();

  auto plain = ResponseOf(FetchNow(AllowLoopback(), Get(server.Url("/ua"))));
  CHECK(plain.body == "switchboard");
  CHECK(plain.Header("x-repeat") == "a, b");
  CHECK(plain.Header("x-absent").empty());

  HttpRequest named = Get(server.Url("/ua"));
  named.headers["user-agent"] = "hello-plugin/1.0";
  CHECK(ResponseOf(FetchNow(AllowLoopback(), named)).body == "hello-plugin/1.0");
}

TEST_CASE("a POST sends its body and content type; error statuses are responses, not errors") {
  LocalServer server;
  server.routes().Post("/token", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 400;
    res.set_content("{\"error\":\"invalid_grant\",\"echo\":\"" + req.body + "\",\"type\":\"" +
                        req.get_header_value("Content-Type") + "\"}",
                    "application/json");
  });
  server.Start();

  HttpRequest request;
  request.method = "POST";
  request.url = server.Url("/token");
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  request.body = "grant_type=refresh_token&refresh_token=r1";
  auto response = ResponseOf(FetchNow(AllowLoopback(), request));
  CHECK(response.status == 400);
  CHECK(response.body ==
        "{\"error\":\"invalid_grant\",\"echo\":\"grant_type=refresh_token&refresh_token=r1\","
        "\"type\":\"application/x-www-form-urlencoded\"}");
}

TEST_CASE("without an allowlist, 127.0.0.1 is refused before any connection is made") {
  LocalServer server;
  std::atomic<int> hits{0};
  server.routes().Get("/", [&](const httplib::Request&, httplib::Response& res) { ++hits; });
  server.Start();

  auto error = ErrorOf(FetchNow(probe::HttpClientOptions{}, Get(server.Url("/?token=secret"))));
  CHECK(error.code == "egress_refused");
  CHECK_THAT(error.message, Catch::Contains("127.0.0.1 is a loopback address (127.0.0.0/8)"));
  CHECK_THAT(error.message, !Catch::Contains("secret"));
  CHECK(hits == 0);
}

TEST_CASE("a host name that resolves to a refused address is refused") {
  LocalServer server;
  server.routes().Get("/", [](const httplib::Request&, httplib::Response& res) {});
  server.Start();
  auto url = "http://localhost:" + std::to_string(server.port()) + "/";

  auto error = ErrorOf(FetchNow(probe::HttpClientOptions{}, Get(url)));
  CHECK(error.code == "egress_refused");
  CHECK_THAT(error.message, Catch::Contains("loopback address"));
  CHECK_THAT(error.message, Catch::Contains("localhost:" + std::to_string(server.port())));

  // With 127.0.0.1 allowed, the same name connects (to 127.0.0.1, never to ::1).
  CHECK(ResponseOf(FetchNow(AllowLoopback(), Get(url))).status == 200);
}

TEST_CASE("IPv4-mapped and NAT64 literals cannot smuggle a refused address") {
  auto url = GENERATE("http://[::ffff:127.0.0.1]:9/", "http://[::ffff:10.0.0.1]/",
                      "http://[64:ff9b::a9fe:a9fe]/", "http://[::1]:9/", "http://0.0.0.0:9/",
                      "http://169.254.169.254/latest/meta-data/");
  CAPTURE(url);
  auto error = ErrorOf(FetchNow(probe::HttpClientOptions{}, Get(url)));
  CHECK(error.code == "egress_refused");
}

TEST_CASE("redirects are followed, re-checked against the policy on every hop") {
  LocalServer server;
  int port = 0;
  server.routes().Get("/start", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/middle?step=2", 302);
  });
  server.routes().Get("/middle", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("end", 307);
  });
  server.routes().Get("/end", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("arrived auth=" + req.get_header_value("Authorization"), "text/plain");
  });
  server.routes().Get("/to-loopback-2", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://127.0.0.2:" + std::to_string(port) + "/end", 302);
  });
  server.routes().Get("/to-private", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://10.0.0.1/admin", 301);
  });
  server.routes().Get("/to-metadata", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://169.254.169.254/latest/meta-data/", 308);
  });
  server.routes().Get("/to-localhost", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://localhost:" + std::to_string(port) + "/end", 302);
  });
  server.Start();
  port = server.port();

  SECTION("an allowed chain arrives, keeping Authorization on the same origin") {
    HttpRequest request = Get(server.Url("/start"));
    request.headers["Authorization"] = "Bearer same-origin";
    auto response = ResponseOf(FetchNow(AllowLoopback(), request));
    CHECK(response.status == 200);
    CHECK(response.body == "arrived auth=Bearer same-origin");
  }
  SECTION("a redirect to another loopback address outside the allowlist is refused") {
    auto error = ErrorOf(FetchNow(AllowLoopback(), Get(server.Url("/to-loopback-2"))));
    CHECK(error.code == "egress_refused");
    CHECK_THAT(error.message, Catch::Contains("127.0.0.2"));
  }
  SECTION("a redirect to a private address is refused") {
    auto error = ErrorOf(FetchNow(AllowLoopback(), Get(server.Url("/to-private"))));
    CHECK(error.code == "egress_refused");
    CHECK_THAT(error.message, Catch::Contains("10.0.0.1 is a private address (10.0.0.0/8)"));
  }
  SECTION("a redirect to the metadata address is refused") {
    auto error = ErrorOf(FetchNow(AllowLoopback(), Get(server.Url("/to-metadata"))));
    CHECK(error.code == "egress_refused");
    CHECK_THAT(error.message, Catch::Contains("cloud metadata"));
  }
  SECTION("Authorization is not forwarded to another host") {
    HttpRequest request = Get(server.Url("/to-localhost"));
    request.headers["authorization"] = "Bearer other-host";
    auto response = ResponseOf(FetchNow(AllowLoopback(), request));
    CHECK(response.body == "arrived auth=");
  }
}

TEST_CASE("a 303 continues as a GET without the body; a 307 keeps the method and body") {
  LocalServer server;
  server.routes().Post("/see-other", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/landing", 303);
  });
  server.routes().Post("/temporary", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/landing", 307);
  });
  server.routes().Get("/landing", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("GET body=" + req.body, "text/plain");
  });
  server.routes().Post("/landing", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("POST body=" + req.body, "text/plain");
  });
  server.Start();

  HttpRequest request;
  request.method = "POST";
  request.body = "a=1";
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  request.url = server.Url("/see-other");
  CHECK(ResponseOf(FetchNow(AllowLoopback(), request)).body == "GET body=");
  request.url = server.Url("/temporary");
  CHECK(ResponseOf(FetchNow(AllowLoopback(), request)).body == "POST body=a=1");
}

TEST_CASE("more redirects than max_redirects fail with too_many_redirects") {
  LocalServer server;
  server.routes().Get(R"(/hop/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    int n = std::stoi(req.matches[1]);
    if (n == 0) return res.set_content("done", "text/plain");
    res.set_redirect("/hop/" + std::to_string(n - 1), 302);
  });
  server.Start();

  auto options = AllowLoopback();
  options.max_redirects = 3;
  CHECK(ResponseOf(FetchNow(options, Get(server.Url("/hop/3")))).body == "done");
  CHECK(ErrorOf(FetchNow(options, Get(server.Url("/hop/4")))).code == "too_many_redirects");
  options.max_redirects = 0;
  CHECK(ErrorOf(FetchNow(options, Get(server.Url("/hop/1")))).code == "too_many_redirects");
}

TEST_CASE("a server that never answers ends in timeout") {
  probe_net_test::SilentServer server;
  auto options = AllowLoopback();
  options.timeout = std::chrono::milliseconds(200);
  auto error = ErrorOf(FetchNow(options, Get("http://127.0.0.1:" + std::to_string(server.port()) + "/")));
  CHECK(error.code == "timeout");
  CHECK_THAT(error.message, Catch::Contains("127.0.0.1:" + std::to_string(server.port())));
}

TEST_CASE("a handler that sleeps past the deadline ends in timeout") {
  LocalServer server;
  server.routes().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    res.set_content("late", "text/plain");
  });
  server.Start();
  auto options = AllowLoopback();
  options.timeout = std::chrono::milliseconds(100);
  CHECK(ErrorOf(FetchNow(options, Get(server.Url("/slow")))).code == "timeout");
}

TEST_CASE("a closed port ends in connect") {
  int port = probe_net_test::ClosedPort();
  auto error = ErrorOf(FetchNow(AllowLoopback(), Get("http://127.0.0.1:" + std::to_string(port) + "/x?key=secret")));
  CHECK(error.code == "connect");
  CHECK_THAT(error.message, Catch::Contains("127.0.0.1:" + std::to_string(port)));
  CHECK_THAT(error.message, !Catch::Contains("secret"));
}

TEST_CASE("a name that does not resolve ends in dns") {
  auto error = ErrorOf(FetchNow(AllowLoopback(), Get("http://no-such-host.invalid/")));
  CHECK(error.code == "dns");
}

TEST_CASE("bad URLs and unsendable headers fail before any network activity") {
  CHECK(ErrorOf(FetchNow(AllowLoopback(), Get("gopher://127.0.0.1/"))).code == "bad_url");
  CHECK(ErrorOf(FetchNow(AllowLoopback(), Get("http://user:pw@127.0.0.1/"))).code == "bad_url");
  HttpRequest request = Get("http://127.0.0.1:9/");
  request.headers["x-injected"] = "a\r\nX-Evil: 1";
  CHECK(ErrorOf(FetchNow(AllowLoopback(), request)).code == "bad_request");
}

TEST_CASE("a body over max_response_bytes ends in response_too_large") {
  LocalServer server;
  server.routes().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(64 * 1024, 'x'), "text/plain");
  });
  server.routes().Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
      std::string chunk(4096, 'y');
      sink.write(chunk.data(), chunk.size());
      if (offset + chunk.size() >= 64 * 1024) sink.done();
      return true;
    });
  });
  server.Start();
  auto options = AllowLoopback();
  options.max_response_bytes = 1024;
  CHECK(ErrorOf(FetchNow(options, Get(server.Url("/big")))).code == "response_too_large");
  CHECK(ErrorOf(FetchNow(options, Get(server.Url("/big-chunked")))).code == "response_too_large");
  options.max_response_bytes = 64 * 1024;
  CHECK(ResponseOf(FetchNow(options, Get(server.Url("/big")))).body.size() == 64 * 1024);
}

TEST_CASE("500 concurrent fetches on two threads all complete, each exactly once") {
  probe_net_test::EchoServer server;
  auto url = [&](int i) { return "http://127.0.0.1:" + std::to_string(server.port()) + "/n?i=" + std::to_string(i); };

  constexpr int kRequests = 500;
  boost::asio::io_context io;
  auto options = AllowLoopback();
  options.timeout = std::chrono::seconds(30);
  probe::HttpClient client(io, options);
  std::vector<std::atomic<int>> calls(kRequests);
  std::atomic<int> ok{0};
  std::mutex errors_mutex;
  std::map<std::string, int> errors;  // shown when the check fails
  for (int i = 0; i < kRequests; ++i) {
    client.Fetch(Get(url(i)), [&, i](probe::FetchResult result) {
      ++calls[i];
      auto* response = std::get_if<HttpResponse>(&result);
      if (response && response->status == 200 && response->body == "/n?i=" + std::to_string(i)) {
        ++ok;
      } else if (auto* error = std::get_if<probe::FetchError>(&result)) {
        std::lock_guard<std::mutex> lock(errors_mutex);
        errors[error->code + ": " + error->message]++;
      }
    });
  }
  std::thread second([&] { io.run(); });
  io.run();
  second.join();

  for (const auto& [error, count] : errors) UNSCOPED_INFO(count << " x " << error);
  CHECK(ok == kRequests);
  for (int i = 0; i < kRequests; ++i) CHECK(calls[i] == 1);
}
