#include "probe_net/egress_policy.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace switchboard::probe {
namespace {

using Bytes = std::array<uint8_t, 16>;
namespace ip = boost::asio::ip;

Bytes ToBytes(const ip::address& address) {
  if (address.is_v6()) return address.to_v6().to_bytes();
  Bytes bytes{};
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  auto v4 = address.to_v4().to_bytes();
  std::copy(v4.begin(), v4.end(), bytes.begin() + 12);
  return bytes;
}

bool IsMappedV4(const Bytes& bytes) {
  static const Bytes kPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(bytes.begin(), bytes.begin() + 12, kPrefix.begin());
}

void MaskHostBits(Bytes& bytes, int prefix_length) {
  for (int i = 0; i < 16; ++i) {
    int bits = std::clamp(prefix_length - i * 8, 0, 8);
    bytes[i] &= static_cast<uint8_t>(0xff00 >> bits);
  }
}

struct RefusedRange {
  AddressRange range;
  const char* kind;  // completes "X is a ... address"
};

// Everything that is not the public internet. Order matters only for the wording of
// Describe: narrower ranges come before the ones containing them.
const std::vector<RefusedRange>& RefusedRanges() {
  static const std::vector<RefusedRange> ranges = [] {
    const std::pair<const char*, const char*> table[] = {
        {"0.0.0.0/8", "unspecified (\"this network\")"},
        {"10.0.0.0/8", "private"},
        {"100.64.0.0/10", "carrier-grade NAT (shared)"},
        {"127.0.0.0/8", "loopback"},
        // Cloud instance metadata services answer here with credentials of their own.
        {"169.254.169.254/32", "cloud metadata"},
        {"169.254.0.0/16", "link-local"},
        {"172.16.0.0/12", "private"},
        // Holds 192.0.0.192, Oracle Cloud's metadata service.
        {"192.0.0.0/24", "reserved (IETF protocol assignment)"},
        {"192.168.0.0/16", "private"},
        {"198.18.0.0/15", "reserved (benchmarking)"},
        {"224.0.0.0/4", "multicast"},
        {"240.0.0.0/4", "reserved"},  // includes 255.255.255.255
        {"::/128", "unspecified"},
        {"::1/128", "loopback"},
        {"::/96", "reserved (IPv4-compatible)"},
        {"64:ff9b:1::/48", "local-use NAT64"},
        {"fd00:ec2::254/128", "cloud metadata"},
        {"fc00::/7", "private (unique local)"},
        {"fe80::/10", "link-local"},
        {"fec0::/10", "private (site-local)"},
        {"ff00::/8", "multicast"},
    };
    std::vector<RefusedRange> out;
    for (const auto& [cidr, kind] : table) out.push_back({AddressRange::Parse(cidr).value(), kind});
    return out;
  }();
  return ranges;
}

const RefusedRange* FindRefused(const ip::address& address) {
  for (const auto& refused : RefusedRanges()) {
    if (refused.range.Contains(address)) return &refused;
  }
  return nullptr;
}

// IPv6 forms that carry an IPv4 address a gateway on the path may translate to: NAT64
// (64:ff9b::/96) and 6to4 (2002::/16). They are judged by the IPv4 address inside.
// (IPv4-mapped addresses need no case here: they share their IPv4 form's bytes.)
std::optional<ip::address_v4> EmbeddedV4(const ip::address& address) {
  if (!address.is_v6()) return std::nullopt;
  Bytes b = address.to_v6().to_bytes();
  static const Bytes kNat64{0, 0x64, 0xff, 0x9b};
  if (std::equal(b.begin(), b.begin() + 12, kNat64.begin())) {
    return ip::address_v4(ip::address_v4::bytes_type{b[12], b[13], b[14], b[15]});
  }
  if (b[0] == 0x20 && b[1] == 0x02) {
    return ip::address_v4(ip::address_v4::bytes_type{b[2], b[3], b[4], b[5]});
  }
  return std::nullopt;
}

}  // namespace

Result<AddressRange> AddressRange::Parse(const std::string& cidr) {
  auto invalid = [&](const std::string& why) {
    return Status::Error(Code::kInvalidCidr, "\"" + cidr + "\" is not a CIDR range: " + why);
  };
  auto slash = cidr.find('/');
  std::string address_text = cidr.substr(0, slash);
  boost::system::error_code ec;
  ip::address address = ip::make_address(address_text, ec);
  if (ec) return invalid("\"" + address_text + "\" is not an IP address");
  int max_length = address.is_v4() ? 32 : 128;
  int length = max_length;
  if (slash != std::string::npos) {
    std::string length_text = cidr.substr(slash + 1);
    auto [end, parse_error] =
        std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (length_text.empty() || parse_error != std::errc() ||
        end != length_text.data() + length_text.size() || length < 0 || length > max_length) {
      return invalid("the prefix length must be a number from 0 to " + std::to_string(max_length));
    }
  }
  AddressRange range;
  range.bytes = ToBytes(address);
  range.prefix_length = address.is_v4() ? length + 96 : length;
  MaskHostBits(range.bytes, range.prefix_length);
  return range;
}

bool AddressRange::Contains(const ip::address& address) const {
  Bytes candidate = ToBytes(address);
  MaskHostBits(candidate, prefix_length);
  return candidate == bytes;
}

std::string AddressRange::ToString() const {
  if (IsMappedV4(bytes) && prefix_length >= 96) {
    ip::address_v4 v4(ip::address_v4::bytes_type{bytes[12], bytes[13], bytes[14], bytes[15]});
    return v4.to_string() + "/" + std::to_string(prefix_length - 96);
  }
  return ip::address_v6(bytes).to_string() + "/" + std::to_string(prefix_length);
}

Result<EgressPolicy> EgressPolicy::WithAllowed(const std::vector<std::string>& cidrs) {
  EgressPolicy policy;
  for (const auto& cidr : cidrs) {
    auto range = AddressRange::Parse(cidr);
    if (!range) return range.status();
    policy.allowed_.push_back(*range);
  }
  return policy;
}

bool EgressPolicy::Allows(const ip::address& address) const {
  for (const auto& range : allowed_) {
    if (range.Contains(address)) return true;
  }
  if (FindRefused(address)) return false;
  if (auto v4 = EmbeddedV4(address)) return !FindRefused(ip::address(*v4));
  return true;
}

std::string EgressPolicy::Describe(const ip::address& address) const {
  const std::string text = address.to_string();
  for (const auto& range : allowed_) {
    if (range.Contains(address)) return text + " is allowed by " + range.ToString();
  }
  if (const auto* refused = FindRefused(address)) {
    return text + " is a " + refused->kind + " address (" + refused->range.ToString() + ")";
  }
  if (auto v4 = EmbeddedV4(address)) {
    if (const auto* refused = FindRefused(ip::address(*v4))) {
      return text + " embeds " + v4->to_string() + ", a " + refused->kind + " address (" +
             refused->range.ToString() + ")";
    }
  }
  return text + " is a public address";
}

}  // namespace switchboard::probe
