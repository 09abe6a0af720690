// What every fake provider's routes share: the grant registry, latency and token-lifetime
// settings, the request counters behind GET /_stats and the capture log behind
// GET /_captured.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "grant_registry.hpp"
#include "request_record.hpp"

namespace fakes {

using Json = nlohmann::json;

struct FakeOptions {
  int latency_ms = 0;   // added to every provider answer
  int slow_ms = 2000;   // extra for credentials ending in "-slow"
  // expires_in of the access tokens the Google and Microsoft token endpoints issue, and
  // how long the APIs accept them. Default: 3599 (as the real services answer).
  int access_token_seconds = 3599;
};

// The lifetime of access tokens issued from a refresh token ending in "shortlived".
constexpr int kShortLivedAccessTokenSeconds = 2;

// Requests per provider, per endpoint and per credential (a refresh token family is
// counted under the credential it started from), refresh grants per family, and how many
// requests were in flight at once.
class Stats {
 public:
  void Count(const std::string& provider, const std::string& endpoint,
             const std::string& credential);
  // One refresh-token grant of the family `root`, whatever its answer; `spent` when it
  // presented a token already rotated away (a refresh token used twice).
  void CountRefresh(const std::string& provider, const std::string& root, bool spent);
  void Enter();
  void Leave();
  Json ToJson() const;
  void Reset();

 private:
  struct ProviderCounts {
    long requests = 0;
    std::map<std::string, long> by_endpoint;
    std::map<std::string, long> by_credential;
    std::map<std::string, long> refreshes_by_family;
    std::map<std::string, long> spent_refreshes_by_family;
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
  CaptureLog& captures() { return captures_; }

  // Where `redirect` credentials are sent: "http://127.0.0.1:PORT" of the capture
  // listener. Set once before the server answers requests; read-only after.
  void set_capture_origin(std::string origin) { capture_origin_ = std::move(origin); }
  const std::string& capture_origin() const { return capture_origin_; }

  // Answers 307 to the capture listener, at /captured followed by the request's path
  // (never its query, which may carry credentials).
  void RedirectToCapture(const httplib::Request& req, httplib::Response& res) const;

  // How long an access token issued to `grant` lives: 2 s for "shortlived" families,
  // else --access-token-seconds.
  int AccessTokenSeconds(const Grant& grant) const;

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
  CaptureLog captures_;
  std::string capture_origin_;
};

// The error text of the `echo` credential word: `credential` quoted raw, percent-encoded
// (upper- and lower-case hex), JSON-escaped with escaped slashes, base64 and base64url,
// as a careless provider quotes the request it refuses; `basic_id`, when not empty, adds
// the base64 of "basic_id:basic_secret" (a Basic client credential).
std::string EchoText(const std::string& credential, const std::string& basic_id = "",
                     const std::string& basic_secret = "");

// Writes `body` as the providers do: JSON with a charset. Text that is not UTF-8 (from a
// hostile request) is written as U+FFFD rather than failing.
void SendJson(httplib::Response& res, int status, const Json& body);

}  // namespace fakes
