#include <catch2/catch.hpp>

#include "local_servers.hpp"
#include "probe_net/http_client.hpp"
#include "self_signed_cert.hpp"

namespace {

namespace probe = switchboard::probe;
using probe_net_test::AllowLoopback;
using probe_net_test::Get;
using probe_net_test::FetchNow;
using probe_net_test::LocalServer;
using probe_net_test::SelfSignedCert;
using switchboard::HttpRequest;
using switchboard::HttpResponse;


void Serve(LocalServer& server) {
  server.routes().Get("/me", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("secure " + req.get_param_value("q"), "text/plain");
  });
  server.Start();
}

}  // namespace

TEST_CASE("an untrusted self-signed certificate fails with tls while verification is on") {
  SelfSignedCert cert({"IP:127.0.0.1", "DNS:localhost"});
  LocalServer server(cert.cert_file(), cert.key_file());
  Serve(server);

  auto result = FetchNow(AllowLoopback(), Get(server.Url("/me?q=1")));
  auto* error = std::get_if<probe::FetchError>(&result);
  REQUIRE(error != nullptr);
  CHECK(error->code == "tls");
  CHECK_THAT(error->message, Catch::Contains("certificate"));
  CHECK_THAT(error->message, Catch::Contains("127.0.0.1:" + std::to_string(server.port())));
}

TEST_CASE("trusting the certificate through ca_file makes the same request succeed") {
  SelfSignedCert cert({"IP:127.0.0.1", "DNS:localhost"});
  LocalServer server(cert.cert_file(), cert.key_file());
  Serve(server);

  auto options = AllowLoopback();
  options.ca_file = cert.cert_file();
  for (std::string host : {"127.0.0.1", "localhost"}) {
    CAPTURE(host);
    auto result = FetchNow(options, Get("https://" + host + ":" + std::to_string(server.port()) + "/me?q=ok"));
    auto* response = std::get_if<HttpResponse>(&result);
    REQUIRE(response != nullptr);
    CHECK(response->status == 200);
    CHECK(response->body == "secure ok");
  }
}

TEST_CASE("a trusted certificate for another host name fails with tls") {
  SelfSignedCert cert({"DNS:api.example.com"});
  LocalServer server(cert.cert_file(), cert.key_file());
  Serve(server);

  auto options = AllowLoopback();
  options.ca_file = cert.cert_file();
  auto result = FetchNow(options, Get(server.Url("/me")));
  auto* error = std::get_if<probe::FetchError>(&result);
  REQUIRE(error != nullptr);
  CHECK(error->code == "tls");
}

TEST_CASE("verify_tls = false accepts an untrusted certificate") {
  SelfSignedCert cert({"DNS:api.example.com"});
  LocalServer server(cert.cert_file(), cert.key_file());
  Serve(server);

  auto options = AllowLoopback();
  options.verify_tls = false;
  auto result = FetchNow(options, Get(server.Url("/me?q=x")));
  auto* response = std::get_if<HttpResponse>(&result);
  REQUIRE(response != nullptr);
  CHECK(response->body == "secure x");
}

TEST_CASE("https to a plain-HTTP server fails with tls, not a hang") {
  LocalServer server;
  Serve(server);
  auto result = FetchNow(AllowLoopback(), Get("https://127.0.0.1:" + std::to_string(server.port()) + "/me"));
  auto* error = std::get_if<probe::FetchError>(&result);
  REQUIRE(error != nullptr);
  CHECK(error->code == "tls");
}

TEST_CASE("an unreadable ca_file is reported when the client is made") {
  auto options = AllowLoopback();
  options.ca_file = "/nonexistent/ca.pem";
  boost::asio::io_context io;
  CHECK_THROWS_WITH(probe::HttpClient(io, options), Catch::Contains("CA file"));
}
