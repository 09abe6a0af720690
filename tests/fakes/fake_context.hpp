// What every fake provider's routes share: the grant registry, latency settings and the
// request counters behind GET /_stats.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "grant_registry.hpp"

namespace fakes {

using Json = nlohmann::json;

struct FakeOptions {
  int latency_ms = 0;   // added to every provider answer
  int slow_ms = 2000;   // extra for credentials ending in "-slow"
};

// Requests per provider, per endpoint and per credential (a refresh token family is
// counted under the credential it started from), and how many were in flight at once.
class Stats {
 public:
  void Count(const std::string& provider, const std::string& endpoint,
             const std::string& credential);
  void Enter();
  void Leave();
  Json ToJson() const;
  void Reset();

 private:
  struct ProviderCounts {
    long requests = 0;
    std::map<std::string, long> by_endpoint;
    std::map<std::string, long> by_credential;
  };
  mutable std::mutex mutex_;
  long total_ = 0;
  std::map<std::string, ProviderCounts> providers_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
};

class FakeContext {
 public:
  explicit FakeContext(FakeOptions options)
      : options_(options), grants_(options.slow_ms) {}

  GrantRegistry& grants() { return grants_; }
  Stats& stats() { return stats_; }

  // Waits as long as the provider would take for this credential: the global latency
  // plus its own "-slow" part. Blocks the worker thread; the server's pool is sized for it.
  void Delay(const CredentialMode& mode) const;

  // Registers a provider route whose handler runs with in-flight accounting.
  void Get(httplib::Server& server, const std::string& pattern, httplib::Server::Handler handler);
  void Post(httplib::Server& server, const std::string& pattern, httplib::Server::Handler handler);

 private:
  httplib::Server::Handler Tracked(httplib::Server::Handler handler);

  FakeOptions options_;
  GrantRegistry grants_;
  Stats stats_;
};

// The error text of the `echo` credential word: `credential` quoted raw, percent-encoded
// (upper- and lower-case hex), JSON-escaped with escaped slashes, base64 and base64url,
// as a careless provider quotes the request it refuses; `basic_id`, when not empty, adds
// the base64 of "basic_id:basic_secret" (a Basic client credential).
std::string EchoText(const std::string& credential, const std::string& basic_id = "",
                     const std::string& basic_secret = "");

// Writes `body` as the providers do: JSON with a charset.
void SendJson(httplib::Response& res, int status, const Json& body);

}  // namespace fakes
