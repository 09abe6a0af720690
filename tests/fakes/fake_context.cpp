#include "fake_context.hpp"

#include <cctype>
#include <chrono>
#include <thread>

namespace fakes {

void Stats::Count(const std::string& provider, const std::string& endpoint,
                  const std::string& credential) {
  std::lock_guard lock(mutex_);
  ++total_;
  ProviderCounts& counts = providers_[provider];
  ++counts.requests;
  ++counts.by_endpoint[endpoint];
  ++counts.by_credential[credential.empty() ? "(none)" : credential];
}

void Stats::CountRefresh(const std::string& provider, const std::string& root, bool spent) {
  std::lock_guard lock(mutex_);
  ProviderCounts& counts = providers_[provider];
  ++counts.refreshes_by_family[root];
  if (spent) ++counts.spent_refreshes_by_family[root];
}

void Stats::Enter() {
  int now = ++in_flight_;
  int peak = max_in_flight_.load();
  while (now > peak && !max_in_flight_.compare_exchange_weak(peak, now)) {
  }
}

void Stats::Leave() { --in_flight_; }

Json Stats::ToJson() const {
  std::lock_guard lock(mutex_);
  Json providers = Json::object();
  for (const auto& [name, counts] : providers_) {
    providers[name] = {{"requests", counts.requests},
                       {"by_endpoint", counts.by_endpoint},
                       {"by_credential", counts.by_credential}};
    if (!counts.refreshes_by_family.empty()) {
      providers[name]["refreshes_by_family"] = counts.refreshes_by_family;
      providers[name]["spent_refreshes_by_family"] = counts.spent_refreshes_by_family;
    }
  }
  return {{"total", total_},
          {"in_flight", in_flight_.load()},
          {"max_in_flight", max_in_flight_.load()},
          {"providers", providers}};
}

void Stats::Reset() {
  std::lock_guard lock(mutex_);
  total_ = 0;
  providers_.clear();
  max_in_flight_ = in_flight_.load();
}

void FakeContext::RedirectToCapture(const httplib::Request& req, httplib::Response& res) const {
  res.status = 307;
  res.set_header("Location", capture_origin_ + "/captured" + req.path);
  res.set_content("Temporary Redirect", "text/plain; charset=utf-8");
}

int FakeContext::AccessTokenSeconds(const Grant& grant) const {
  return grant.mode.short_lived ? kShortLivedAccessTokenSeconds : options_.access_token_seconds;
}

void FakeContext::Delay(const CredentialMode& mode) const {
  int ms = options_.latency_ms + mode.slow_ms.value_or(0);
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

httplib::Server::Handler FakeContext::Tracked(httplib::Server::Handler handler) {
  return [this, handler = std::move(handler)](const httplib::Request& req,
                                              httplib::Response& res) {
    stats_.Enter();
    try {
      handler(req, res);
    } catch (...) {
      stats_.Leave();
      throw;
    }
    stats_.Leave();
  };
}

void FakeContext::Get(httplib::Server& server, const std::string& pattern,
                      httplib::Server::Handler handler) {
  server.Get(pattern, Tracked(std::move(handler)));
}

void FakeContext::Post(httplib::Server& server, const std::string& pattern,
                       httplib::Server::Handler handler) {
  server.Post(pattern, Tracked(std::move(handler)));
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

}  // namespace fakes

namespace fakes {
namespace {

std::string Percent(const std::string& text, bool upper) {
  const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', hex[c >> 4], hex[c & 0xF]};
    }
  }
  return out;
}

std::string Base64(const std::string& text, bool url_safe) {
  const char* alphabet = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                  : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const unsigned v = (unsigned char)text[i] << 16 | (unsigned char)text[i + 1] << 8 | (unsigned char)text[i + 2];
    out += {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], alphabet[v & 63]};
  }
  if (i + 1 == text.size()) {
    const unsigned v = (unsigned char)text[i] << 16;
    out += {alphabet[v >> 18], alphabet[(v >> 12) & 63]};
    if (!url_safe) out += "==";
  } else if (i + 2 == text.size()) {
    const unsigned v = (unsigned char)text[i] << 16 | (unsigned char)text[i + 1] << 8;
    out += {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63]};
    if (!url_safe) out += "=";
  }
  return out;
}

std::string JsonSlashed(const std::string& text) {
  std::string dumped = Json(text).dump();
  std::string out;
  for (char c : dumped.substr(1, dumped.size() - 2)) {
    if (c == '/') out += "\\/";
    else out.push_back(c);
  }
  return out;
}

}  // namespace

std::string EchoText(const std::string& credential, const std::string& basic_id,
                     const std::string& basic_secret) {
  std::string text = "Refused " + credential + " " + Percent(credential, true) + " " + Percent(credential, false) +
                     " " + JsonSlashed(credential) + " " + Base64(credential, false) + " " + Base64(credential, true);
  if (!basic_id.empty()) text += " Basic " + Base64(basic_id + ":" + basic_secret, false);
  return text;
}

}  // namespace fakes
