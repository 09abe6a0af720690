// Where a connection's credentials are sent, judged by the egress policy (finding 9 of
// issue 9): a destination the policy refuses is a configuration error of the field it
// came from, not a passing network failure.
//
// The fields that decide a destination are the URL-typed ones of the provider's schema
// (top-level properties with "format": "uri": OpenAI's base_url, Google's token_uri and
// api_base, Outlook's authority_host and graph_base). Plugins build every probe request
// from those fields or from fixed public hosts, so a refused request is matched back to
// its field by host.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/provider.hpp>

#include "probe_net/egress_policy.hpp"

namespace switchboard::probe {

// The schema's top-level properties with "format": "uri", in the schema's order.
std::vector<std::string> UrlFields(const nlohmann::json& field_schema);

// The address a URL's host spells out, when it is an address literal: dotted IPv4,
// bracketed IPv6 (IPv4-mapped too), or the legacy IPv4 forms the resolver would accept
// (2130706433, 0x7f.1, 127.1). nullopt for host names and for text that is not a URL.
std::optional<boost::asio::ip::address> LiteralAddress(const std::string& url);

// One error (code destination_not_allowed) per URL field of `config` whose host is an
// address literal `policy` refuses. Field names are bare ("base_url"); callers prefix them.
std::vector<FieldError> RefusedLiteralDestinations(const nlohmann::json& field_schema,
                                                   const nlohmann::json& config, const EgressPolicy& policy);

// The verdict for a probe whose request to `request_url` the egress policy refused
// (`refusal` is the HTTP client's message: host, port and why). invalid_credentials with
// reason destination_not_allowed: the connection cannot work as configured. `field` is
// the URL field whose host is the request's, when one is.
ProbeResult DestinationRefused(const nlohmann::json& field_schema, const nlohmann::json& config,
                               const std::string& request_url, const std::string& refusal);

constexpr const char* kDestinationNotAllowed = "destination_not_allowed";

}  // namespace switchboard::probe
