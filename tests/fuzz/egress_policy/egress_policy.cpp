// The egress check (probe_net/egress_policy.hpp): CIDRs an operator allows
// (--allow-egress), and the addresses a provider's host name resolves to. Input lines:
// the first is a comma-separated allow list; every line is also tried as a CIDR and as
// an address; a line of 4 or 16 bytes is also read as a raw IPv4 or IPv6 address.
//
// Invariants: a parsed range prints to a CIDR that parses back to it and contains its
// own base address; the default policy refuses loopback, unspecified, multicast and
// link-local addresses in every spelling (IPv4-mapped, NAT64, 6to4 included); an allow
// list only ever allows more.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "probe_net/egress_policy.hpp"
#include "support/fuzz_check.hpp"

using switchboard::Code;

namespace {

namespace ip = boost::asio::ip;
using switchboard::probe::AddressRange;
using switchboard::probe::EgressPolicy;

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (true) {
    size_t end = text.find(separator);
    parts.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) return parts;
    text.remove_prefix(end + 1);
  }
}

// The IPv4 address an IPv6 spelling carries (mapped, NAT64 64:ff9b::/96, 6to4 2002::/16).
std::optional<ip::address_v4> CarriedV4(const ip::address& address) {
  if (address.is_v4()) return address.to_v4();
  auto b = address.to_v6().to_bytes();
  if (address.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b};
  if (std::equal(b.begin(), b.begin() + 12, kNat64)) return ip::address_v4({b[12], b[13], b[14], b[15]});
  if (b[0] == 0x20 && b[1] == 0x02) return ip::address_v4({b[2], b[3], b[4], b[5]});
  return std::nullopt;
}

bool MustBeRefused(const ip::address& address) {
  if (address.is_loopback() || address.is_unspecified() || address.is_multicast()) return true;
  if (address.is_v6() && address.to_v6().is_link_local()) return true;
  auto v4 = CarriedV4(address);
  if (!v4) return false;
  auto b = v4->to_bytes();
  return v4->is_loopback() || v4->is_unspecified() || v4->is_multicast() || b[0] == 10 ||
         (b[0] == 169 && b[1] == 254) || (b[0] == 192 && b[1] == 168) || (b[0] == 172 && (b[1] & 0xf0) == 16);
}

void CheckAddress(const EgressPolicy& strict, const EgressPolicy& allowing, const ip::address& address) {
  const bool allowed = strict.Allows(address);
  FUZZ_CHECK(!(allowed && MustBeRefused(address)), "the default policy refuses " + address.to_string());
  FUZZ_CHECK(!allowed || allowing.Allows(address), "an allow list only allows more: " + address.to_string());
  FUZZ_CHECK(!strict.Describe(address).empty() && !allowing.Describe(address).empty(), "Describe says why");
}

void CheckRange(const AddressRange& range) {
  auto again = AddressRange::Parse(range.ToString());
  FUZZ_CHECK(again.ok() && again->bytes == range.bytes && again->prefix_length == range.prefix_length,
             "a range's text parses back to it: " + range.ToString());
  const bool mapped_v4 = range.prefix_length >= 96 && range.bytes[10] == 0xff && range.bytes[11] == 0xff &&
                         std::all_of(range.bytes.begin(), range.bytes.begin() + 10, [](auto b) { return b == 0; });
  ip::address base = mapped_v4 ? ip::address(ip::address_v4({range.bytes[12], range.bytes[13], range.bytes[14],
                                                             range.bytes[15]}))
                               : ip::address(ip::address_v6(range.bytes));
  FUZZ_CHECK(range.Contains(base), "a range contains its base address: " + range.ToString());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const EgressPolicy strict;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines = Split(input, '\n');

  auto allowing = EgressPolicy::WithAllowed(Split(lines[0], ','));
  if (!allowing.ok()) {
    FUZZ_CHECK(allowing.status().Is(Code::kInvalidCidr), "a bad allow list is invalid_cidr");
  } else {
    for (const auto& range : allowing->allowed()) CheckRange(range);
  }
  const EgressPolicy& policy = allowing.ok() ? *allowing : strict;

  for (const auto& line : lines) {
    if (auto range = AddressRange::Parse(line); range.ok()) CheckRange(*range);
    boost::system::error_code ec;
    ip::address address = ip::make_address(line, ec);
    if (!ec) CheckAddress(strict, policy, address);
    if (line.size() == 4) {
      CheckAddress(strict, policy, ip::address_v4({uint8_t(line[0]), uint8_t(line[1]), uint8_t(line[2]), uint8_t(line[3])}));
    } else if (line.size() == 16) {
      ip::address_v6::bytes_type bytes;
      std::copy(line.begin(), line.end(), bytes.begin());
      CheckAddress(strict, policy, ip::address_v6(bytes));
    }
  }
  return 0;
}
