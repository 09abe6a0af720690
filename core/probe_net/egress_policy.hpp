// Which addresses the host's outbound requests may connect to.
//
// Probes and webhooks send requests to URLs that users type in, so without a policy
// they would be a way to reach the host's own network (SSRF). The policy refuses every
// address that is not on the public internet unless an operator-chosen CIDR covers it.
// It is applied to each resolved address right before connecting, never to a host name.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "common/status.hpp"

namespace switchboard::probe {

// An address range; IPv4 ranges are kept in their IPv4-mapped IPv6 form (::ffff:0:0/96)
// so one comparison serves both families.
struct AddressRange {
  std::array<uint8_t, 16> bytes{};
  int prefix_length = 0;  // in the IPv6 form: an IPv4 /8 is stored as /104

  // Parses "10.0.0.0/8", "fc00::/7", or a bare address (a /32 or /128). Host bits under
  // the prefix are ignored, so "127.0.0.1/8" means 127.0.0.0/8.
  static Result<AddressRange> Parse(const std::string& cidr);
  bool Contains(const boost::asio::ip::address& address) const;
  std::string ToString() const;  // "10.0.0.0/8", "fc00::/7"
};

class EgressPolicy {
 public:
  // Refuses every non-public range (see egress_policy.cpp for the list and why).
  EgressPolicy() = default;

  // Refuses the non-public ranges except where one of `cidrs` covers the address.
  // A malformed CIDR fails with code "invalid_cidr".
  static Result<EgressPolicy> WithAllowed(const std::vector<std::string>& cidrs);

  bool Allows(const boost::asio::ip::address& address) const;

  // Why `address` is refused, e.g. "10.1.2.3 is a private address (10.0.0.0/8)", or why
  // it is allowed ("... is a public address", "... is allowed by 127.0.0.1/32").
  std::string Describe(const boost::asio::ip::address& address) const;

  const std::vector<AddressRange>& allowed() const { return allowed_; }

 private:
  std::vector<AddressRange> allowed_;
};

}  // namespace switchboard::probe
