#include "probe_net/destination.hpp"

#include <arpa/inet.h>

#include <cctype>

#include <algorithm>

#include "probe_net/url.hpp"

namespace switchboard::probe {
namespace {

using nlohmann::json;
namespace ip = boost::asio::ip;

std::optional<std::string> HostOf(const std::string& url) {
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) return std::nullopt;
  return parsed->host;
}

std::string FieldTitle(const json& field_schema, const std::string& field) {
  const json* properties = field_schema.is_object() && field_schema.contains("properties")
                               ? &field_schema["properties"] : nullptr;
  if (properties && properties->is_object() && properties->contains(field)) {
    const json& property = (*properties)[field];
    if (property.is_object() && property.contains("title") && property["title"].is_string()) {
      return property["title"].get<std::string>();
    }
  }
  return field;
}

}  // namespace

std::vector<std::string> UrlFields(const json& field_schema) {
  std::vector<std::string> fields;
  if (!field_schema.is_object() || !field_schema.contains("properties") || !field_schema["properties"].is_object()) {
    return fields;
  }
  const json& properties = field_schema["properties"];
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    if (it.value().is_object() && it.value().value("format", "") == "uri") fields.push_back(it.key());
  }
  // The schema's x-order when it gives one, so errors and messages follow the form.
  if (field_schema.contains("x-order") && field_schema["x-order"].is_array()) {
    const json& order = field_schema["x-order"];
    auto rank = [&](const std::string& f) {
      auto at = std::find(order.begin(), order.end(), f);
      return at == order.end() ? order.size() : static_cast<size_t>(at - order.begin());
    };
    std::stable_sort(fields.begin(), fields.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  }
  return fields;
}

std::optional<ip::address> LiteralAddress(const std::string& url) {
  auto host = HostOf(url);
  if (!host || host->empty()) return std::nullopt;
  boost::system::error_code ec;
  ip::address address = ip::make_address(*host, ec);
  if (!ec) return address;
  // getaddrinfo resolves "2130706433", "0x7f.1" and "127.1" through inet_aton without
  // asking DNS: they are literals too, whatever they look like.
  const bool numeric = std::all_of(host->begin(), host->end(), [](unsigned char c) {
    return std::isxdigit(c) || c == '.' || c == 'x';
  });
  in_addr v4{};
  if (numeric && std::isdigit(static_cast<unsigned char>(host->front())) && inet_aton(host->c_str(), &v4) != 0) {
    return ip::address(ip::address_v4(ntohl(v4.s_addr)));
  }
  return std::nullopt;
}

std::vector<FieldError> RefusedLiteralDestinations(const json& field_schema, const json& config,
                                                   const EgressPolicy& policy) {
  std::vector<FieldError> errors;
  if (!config.is_object()) return errors;
  for (const auto& field : UrlFields(field_schema)) {
    if (!config.contains(field) || !config[field].is_string()) continue;
    auto address = LiteralAddress(config[field].get<std::string>());
    if (!address || policy.Allows(*address)) continue;
    errors.push_back({field, kDestinationNotAllowed,
                      "Switchboard does not send credentials to internal addresses: " + policy.Describe(*address) +
                          ". Use the service's public address, or ask the operator to allow this range "
                          "(--egress-allow)."});
  }
  return errors;
}

ProbeResult DestinationRefused(const json& field_schema, const json& config, const std::string& request_url,
                               const std::string& refusal) {
  ProbeResult result;
  result.outcome = Outcome::kInvalidCredentials;
  result.reason = kDestinationNotAllowed;
  const auto request_host = HostOf(request_url);
  if (request_host && config.is_object()) {
    for (const auto& field : UrlFields(field_schema)) {
      if (!config.contains(field) || !config[field].is_string()) continue;
      if (HostOf(config[field].get<std::string>()) == request_host) {
        result.field = field;
        break;
      }
    }
  }
  const std::string where = result.field.empty() ? "The provider's address" : FieldTitle(field_schema, result.field);
  result.message = where + " leads to an internal address, where Switchboard does not send credentials (" +
                   refusal + "). Use the service's public address, or ask the operator to allow this range "
                   "(--egress-allow).";
  return result;
}

}  // namespace switchboard::probe
