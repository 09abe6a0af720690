#include "api/webhook.hpp"

#include <chrono>
#include <ctime>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/steady_timer.hpp>

#include "api/views.hpp"
#include "common/log.hpp"

namespace switchboard::api {

using probe::FetchError;
using probe::FetchResult;

using nlohmann::json;

std::string WebhookSignature(const std::string& secret, const std::string& timestamp, const std::string& body) {
  const std::string signed_text = timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &length);
  static const char* kHex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xF]);
  }
  return out;
}

WebhookNotifier::WebhookNotifier(boost::asio::io_context& io, probe::HttpClient& client, WebhookOptions options)
    : io_(io), client_(client), options_(std::move(options)) {}

void WebhookNotifier::Notify(const StatusEvent& event) {
  if (options_.url.empty()) return;
  Deliver(json{{"type", "connection.status_changed"}, {"event", StatusEventView(event)}}.dump(), 1);
}

void WebhookNotifier::Deliver(std::string body, int attempt) {
  HttpRequest request;
  request.method = "POST";
  request.url = options_.url;
  const std::string timestamp = std::to_string(std::time(nullptr));
  request.headers["content-type"] = "application/json";
  request.headers["user-agent"] = "Switchboard-Webhook/1";
  request.headers["x-switchboard-timestamp"] = timestamp;
  request.headers["x-switchboard-signature"] = WebhookSignature(options_.secret, timestamp, body);
  request.body = body;
  client_.Fetch(request, [this, body, attempt](FetchResult result) {
    std::string failure;
    if (auto* error = std::get_if<FetchError>(&result)) {
      failure = error->code + ": " + error->message;
    } else if (auto& response = std::get<HttpResponse>(result); response.status < 200 || response.status >= 300) {
      failure = "HTTP " + std::to_string(response.status);
    }
    if (failure.empty()) return;
    if (attempt >= 2) {
      log::Warn("webhook delivery failed twice, dropped (" + failure + ")");
      return;
    }
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::seconds(3));
    timer->async_wait([this, timer, body, attempt](const boost::system::error_code&) { Deliver(body, attempt + 1); });
  });
}

}  // namespace switchboard::api
