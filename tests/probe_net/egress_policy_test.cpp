#include "probe_net/egress_policy.hpp"

#include <catch2/catch.hpp>

using switchboard::Code;

namespace {

using switchboard::probe::AddressRange;
using switchboard::probe::EgressPolicy;

boost::asio::ip::address Ip(const char* text) { return boost::asio::ip::make_address(text); }

}  // namespace

TEST_CASE("the default policy refuses every non-public range, in IPv4 and IPv6") {
  EgressPolicy policy;
  auto address = GENERATE(
      "127.0.0.1", "127.255.255.255", "10.0.0.0", "10.1.2.3", "10.255.255.255", "172.16.0.0",
      "172.31.255.255", "192.168.0.1", "192.168.255.255", "100.64.0.0", "100.127.255.255",
      "169.254.0.1", "169.254.169.254", "0.0.0.0", "0.255.255.255", "192.0.0.192",
      "224.0.0.1", "255.255.255.255",
      "::1", "::", "fc00::1", "fd12:3456::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::1",
      "febf:ffff::1", "fd00:ec2::254", "ff02::1",
      // IPv4-mapped forms of each IPv4 range
      "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:172.16.0.1", "::ffff:192.168.1.1",
      "::ffff:100.64.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
      // NAT64 and 6to4 forms carrying a private IPv4 address
      "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:a00:1::1", "2002:c0a8:101::1");
  CAPTURE(address);
  CHECK_FALSE(policy.Allows(Ip(address)));
  CHECK_THAT(policy.Describe(Ip(address)), Catch::Contains(std::string(address) + " "));
  CHECK_THAT(policy.Describe(Ip(address)), !Catch::Contains("public"));
}

TEST_CASE("the default policy allows public addresses, right up to each range's edge") {
  EgressPolicy policy;
  auto address = GENERATE("8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "126.255.255.255",
                          "128.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
                          "192.169.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255",
                          "169.255.0.0", "1.0.0.0", "223.255.255.255", "2606:4700::1111",
                          "2001:4860:4860::8888", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                          "fe00::1", "::ffff:8.8.8.8", "64:ff9b::808:808");
  CAPTURE(address);
  CHECK(policy.Allows(Ip(address)));
  CHECK_THAT(policy.Describe(Ip(address)), Catch::EndsWith("is a public address"));
}

TEST_CASE("boundaries: 172.15.255.255 passes and 172.16.0.0 is refused; likewise 100.63/100.64") {
  EgressPolicy policy;
  CHECK(policy.Allows(Ip("172.15.255.255")));
  CHECK_FALSE(policy.Allows(Ip("172.16.0.0")));
  CHECK_FALSE(policy.Allows(Ip("172.31.255.255")));
  CHECK(policy.Allows(Ip("172.32.0.0")));
  CHECK(policy.Allows(Ip("100.63.255.255")));
  CHECK_FALSE(policy.Allows(Ip("100.64.0.0")));
  CHECK_FALSE(policy.Allows(Ip("100.127.255.255")));
  CHECK(policy.Allows(Ip("100.128.0.0")));
  CHECK(policy.Allows(Ip("fbff::1")));
  CHECK_FALSE(policy.Allows(Ip("fc00::")));
  CHECK_FALSE(policy.Allows(Ip("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
}

TEST_CASE("Describe names the address, what kind it is and the range") {
  EgressPolicy policy;
  CHECK(policy.Describe(Ip("10.1.2.3")) == "10.1.2.3 is a private address (10.0.0.0/8)");
  CHECK(policy.Describe(Ip("127.0.0.1")) == "127.0.0.1 is a loopback address (127.0.0.0/8)");
  CHECK(policy.Describe(Ip("100.64.1.1")) ==
        "100.64.1.1 is a carrier-grade NAT (shared) address (100.64.0.0/10)");
  CHECK(policy.Describe(Ip("169.254.169.254")) ==
        "169.254.169.254 is a cloud metadata address (169.254.169.254/32)");
  CHECK(policy.Describe(Ip("169.254.1.1")) == "169.254.1.1 is a link-local address (169.254.0.0/16)");
  CHECK(policy.Describe(Ip("::1")) == "::1 is a loopback address (::1/128)");
  CHECK(policy.Describe(Ip("fe80::1")) == "fe80::1 is a link-local address (fe80::/10)");
  CHECK(policy.Describe(Ip("::ffff:192.168.0.1")) ==
        "::ffff:192.168.0.1 is a private address (192.168.0.0/16)");
  CHECK(policy.Describe(Ip("64:ff9b::a00:1")) ==
        "64:ff9b::a00:1 embeds 10.0.0.1, a private address (10.0.0.0/8)");
}

TEST_CASE("an allowed CIDR opens exactly the addresses it covers") {
  auto policy = EgressPolicy::WithAllowed({"127.0.0.1/32", "10.20.0.0/16", "fd00::/8"});
  REQUIRE(policy.ok());
  CHECK(policy->Allows(Ip("127.0.0.1")));
  CHECK(policy->Allows(Ip("::ffff:127.0.0.1")));  // the mapped form of an allowed address
  CHECK_FALSE(policy->Allows(Ip("127.0.0.2")));
  CHECK_FALSE(policy->Allows(Ip("::1")));
  CHECK(policy->Allows(Ip("10.20.255.255")));
  CHECK_FALSE(policy->Allows(Ip("10.21.0.0")));
  CHECK(policy->Allows(Ip("fd12::1")));
  CHECK_FALSE(policy->Allows(Ip("fc00::1")));
  CHECK(policy->Allows(Ip("8.8.8.8")));
  CHECK(policy->Describe(Ip("127.0.0.1")) == "127.0.0.1 is allowed by 127.0.0.1/32");
  CHECK(policy->Describe(Ip("127.0.0.2")) == "127.0.0.2 is a loopback address (127.0.0.0/8)");
}

TEST_CASE("a bare address is a single-host range and host bits are ignored") {
  auto policy = EgressPolicy::WithAllowed({"192.168.1.10", "::1", "172.16.5.4/12"});
  REQUIRE(policy.ok());
  CHECK(policy->Allows(Ip("192.168.1.10")));
  CHECK_FALSE(policy->Allows(Ip("192.168.1.11")));
  CHECK(policy->Allows(Ip("::1")));
  CHECK(policy->Allows(Ip("172.31.0.1")));
  CHECK(policy->allowed()[2].ToString() == "172.16.0.0/12");
}

TEST_CASE("a malformed CIDR is refused with invalid_cidr") {
  auto cidr = GENERATE("", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1",
                       "10.0.0.0/8x", "example.com/32", " 10.0.0.0/8", "10.0.0.0/8/8");
  CAPTURE(cidr);
  auto policy = EgressPolicy::WithAllowed({"127.0.0.1/32", cidr});
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.status().Is(Code::kInvalidCidr));
}

TEST_CASE("AddressRange prints IPv4 ranges in IPv4 form") {
  CHECK(AddressRange::Parse("10.0.0.0/8")->ToString() == "10.0.0.0/8");
  CHECK(AddressRange::Parse("0.0.0.0/0")->ToString() == "0.0.0.0/0");
  CHECK(AddressRange::Parse("fc00::/7")->ToString() == "fc00::/7");
  CHECK(AddressRange::Parse("::/0")->ToString() == "::/0");
}
