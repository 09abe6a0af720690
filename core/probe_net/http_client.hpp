// The host's asynchronous HTTP/1.1 client for probes and webhooks (Boost.Asio + Beast,
// OpenSSL for https). Plugins never open sockets; every request they ask for goes
// through here, under a deadline, with certificate verification and the egress policy.
//
// Each Fetch is a chain of completion handlers on its own strand: no thread per request,
// so two io_context threads carry thousands of requests at once. The egress policy is
// applied to every resolved address before connecting (and again on each redirect hop),
// so a name that resolves, or re-resolves, to an internal address is never reached.
//
// Connections are kept alive: one that carried a complete answer the server did not end
// with `Connection: close` waits in an idle pool keyed by scheme, host and port, and the
// next request to that very origin reuses it instead of connecting (and, for https,
// verifying) again. A connection is only ever reused for the host name it was checked
// and verified for, so the egress policy and certificate checks hold for every request.
//
// Nothing here logs, and error messages name only host and port: URLs can carry
// credentials in their query (Trello's key and token).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <switchboard/probe.hpp>

#include "probe_net/egress_policy.hpp"

namespace switchboard::probe {

struct HttpClientOptions {
  std::chrono::milliseconds timeout{10000};  // the whole request, redirects included
  int max_redirects = 3;
  // false: a redirect is answered as it came (the proxy's client: a caller's credentials
  // never follow one, and the caller decides where to go next).
  bool follow_redirects = true;
  bool verify_tls = true;    // certificate chain and host name; SNI is always sent
  std::string ca_file;       // an extra CA bundle (tests); "" = the system's only
  size_t max_response_bytes = 1 << 20;  // body limit; headers are capped at 64 KiB apart
  EgressPolicy egress;       // default-constructed: refuse every non-public range
  // Idle keep-alive connections kept for reuse, per origin and in all; 0 = no reuse.
  // Few per origin: a server with a thread per connection (cpp-httplib, Apache prefork)
  // gives each idle connection a thread that then serves nobody else, and a steady flow
  // of requests reuses the few most recently parked ones anyway (Go keeps 2).
  size_t max_idle_per_origin = 4;
  size_t max_idle_total = 1024;
  std::chrono::milliseconds idle_timeout{30000};  // an older idle connection is closed
};

// Why a request got no HTTP response. Codes:
//   bad_url            not an http(s) URL, user info in it, or a bad redirect Location
//   bad_request        a header name or value that cannot be sent (CR/LF, empty name)
//   dns                the host name does not resolve
//   egress_refused     every address of the host is refused by the egress policy
//   connect            no allowed address accepted the connection
//   tls                handshake failed: untrusted certificate, wrong host name, protocol
//   timeout            the deadline passed (at any stage, on any hop)
//   too_many_redirects more than max_redirects redirects
//   response_too_large the body exceeds max_response_bytes (or headers exceed 64 KiB)
//   protocol           the connection broke or the answer is not HTTP/1.x
struct FetchError {
  // Written where the fetch failed and read as a probe's transient reason, so it stays
  // the text listed above; compare it only through the constants below.
  static constexpr char kEgressRefused[] = "egress_refused";

  std::string code;
  std::string message;  // names host and port at most, never the URL

  bool RefusedByEgressPolicy() const { return code == kEgressRefused; }
};

// An HTTP response of any status (4xx and 5xx included), or why there is none.
using FetchResult = std::variant<HttpResponse, FetchError>;

class HttpClient {
 public:
  // Fails (throws std::runtime_error) only when options.ca_file cannot be loaded.
  HttpClient(boost::asio::io_context& io, HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and calls `done` exactly once, on an io_context thread. Thread-safe.
  // Requests in flight keep what they need alive, so the client may be destroyed first.
  // `done` must not throw: it runs inside io_context::run().
  //
  // Redirects (301, 302, 303, 307, 308 with a Location) are followed up to max_redirects;
  // 303, and 301/302 answering a POST, continue as GET without a body (as curl and
  // browsers do). Authorization, Proxy-Authorization and Cookie are dropped when a
  // redirect leaves the origin (scheme, host, port). The Host, Content-Length,
  // Transfer-Encoding and Connection headers are the client's own; callers' are ignored.
  // Response header names are lower-case; repeated headers are joined with ", ".
  // A request sent on a reused connection that the server had closed meanwhile (no byte
  // of an answer came back) is sent once more on a new connection.
  void Fetch(HttpRequest request, std::function<void(FetchResult)> done);

  const HttpClientOptions& options() const;

  struct Shared;  // options, the TLS context and the idle pool, shared with requests in flight

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<const Shared> shared_;
};

}  // namespace switchboard::probe
