// Sends each connection status change to a webhook URL as JSON, signed so the receiver
// can tell it came from this host: header X-Switchboard-Signature is
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), with the timestamp (Unix
// seconds) in X-Switchboard-Timestamp so a replayed delivery can be refused.
//
// Deliveries go through the probe HTTP client, so the egress policy applies to them too.
// A failed delivery is retried once after a few seconds, then logged (host only: the URL
// may carry a token).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "probe_net/http_client.hpp"
#include "model/records.hpp"

namespace switchboard::api {

struct WebhookOptions {
  std::string url;
  std::string secret;
};

class WebhookNotifier {
 public:
  WebhookNotifier(boost::asio::io_context& io, probe::HttpClient& client, WebhookOptions options);

  void Notify(const StatusEvent& event);

 private:
  void Deliver(std::string body, int attempt);

  boost::asio::io_context& io_;
  probe::HttpClient& client_;
  WebhookOptions options_;
};

// "sha256=<hex>" over timestamp + "." + body.
std::string WebhookSignature(const std::string& secret, const std::string& timestamp, const std::string& body);

}  // namespace switchboard::api
