// Unit tests of the Hello provider, through the same C table the host uses.
//
// FakeHost's default constructor calls this executable's own sb_provider_entry (the
// plugin source is compiled into the test), and every HTTP request the probe asks for
// is answered by a lambda below: nothing touches the network.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <switchboard/testing.hpp>

namespace {

using switchboard::HttpRequest;
using switchboard::HttpResponse;
using switchboard::Json;
using switchboard::Outcome;
using switchboard::testing::FakeHost;

const Json kConfig = {{"token", "hello_s3cr3t"}};

// A responder that answers every request with `response`.
FakeHost::Responder Answer(HttpResponse response) {
  return [response](const HttpRequest&) { return response; };
}

}  // namespace

TEST_CASE("manifest declares the token as a secret and the endpoint's default") {
  FakeHost host;
  Json manifest = host.Manifest();
  CHECK(manifest["id"] == "hello");
  const Json& schema = manifest["schema"];
  CHECK(schema["x-order"] == Json::array({"token", "endpoint"}));
  CHECK(schema["required"] == Json::array({"token"}));
  CHECK(schema["properties"]["token"]["writeOnly"] == true);
  CHECK(schema["properties"]["token"]["format"] == "password");
  CHECK(schema["properties"]["endpoint"]["default"] == "https://api.hello.example/v1");
}

TEST_CASE("validate accepts a hello_ token and flags any other") {
  FakeHost host;
  CHECK(host.Validate(kConfig).empty());

  auto errors = host.Validate({{"token", "sk-not-hello"}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "token");
  CHECK(errors[0].code == "bad_prefix");
  CHECK(errors[0].message.find("sk-not-hello") == std::string::npos);
}

TEST_CASE("probe calls GET {endpoint}/me once with the bearer token") {
  FakeHost host;
  SECTION("default endpoint") {
    auto run = host.Probe(kConfig, Answer({200, {}, R"({"id":"u_1","name":"Ada"})"}));
    REQUIRE(run.requests.size() == 1);
    CHECK(run.requests[0].method == "GET");
    CHECK(run.requests[0].url == "https://api.hello.example/v1/me");
    CHECK(run.requests[0].headers.at("authorization") == "Bearer hello_s3cr3t");
    CHECK(run.result.outcome == Outcome::kValid);
  }
  SECTION("own endpoint, trailing slash") {
    Json config = kConfig;
    config["endpoint"] = "http://127.0.0.1:8080/api/";
    auto run = host.Probe(config, Answer({200, {}, "{}"}));
    REQUIRE(run.requests.size() == 1);
    CHECK(run.requests[0].url == "http://127.0.0.1:8080/api/me");
  }
}

TEST_CASE("probe classifies each answer of GET /me") {
  FakeHost host;
  SECTION("401 is invalid credentials, blamed on the token, with the API's code") {
    auto run = host.Probe(kConfig, Answer({401, {}, R"({"error":"token_revoked"})"}));
    CHECK(run.result.outcome == Outcome::kInvalidCredentials);
    CHECK(run.result.reason == "token_revoked");
    CHECK(run.result.field == "token");
  }
  SECTION("403 is a missing permission") {
    auto run = host.Probe(kConfig, Answer({403, {}, "not json"}));
    CHECK(run.result.outcome == Outcome::kMissingPermission);
    CHECK(run.result.reason == "forbidden");
  }
  SECTION("429 is transient and keeps Retry-After") {
    auto run = host.Probe(kConfig, Answer({429, {{"retry-after", "30"}}, ""}));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "rate_limited");
    REQUIRE(run.result.retry_after_seconds.has_value());
    CHECK(*run.result.retry_after_seconds == Approx(30.0));
  }
  SECTION("5xx is transient") {
    auto run = host.Probe(kConfig, Answer({503, {}, ""}));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "server_error");
    CHECK_FALSE(run.result.retry_after_seconds.has_value());
  }
  SECTION("an unexpected status is transient and logged without the token") {
    auto run = host.Probe(kConfig, Answer({418, {}, "hello_s3cr3t"}));
    CHECK(run.result.outcome == Outcome::kTransient);
    CHECK(run.result.reason == "unexpected_status");
    REQUIRE(host.log_lines.size() == 1);
    CHECK(host.log_lines[0].find("418") != std::string::npos);
    CHECK(host.log_lines[0].find("hello_s3cr3t") == std::string::npos);
  }
}

TEST_CASE("no verdict message repeats the token") {
  FakeHost host;
  for (int status : {200, 401, 403, 429, 500, 418}) {
    auto run = host.Probe(kConfig, Answer({status, {}, ""}));
    INFO("HTTP " << status);
    CHECK(run.result.message.find("hello_s3cr3t") == std::string::npos);
  }
}
