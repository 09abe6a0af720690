#include "secrets/encoding.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

using switchboard::encoding::Base32LowerEncode;
using switchboard::encoding::Base64DecodeLenient;
using switchboard::encoding::Base64UrlDecode;
using switchboard::encoding::Base64UrlEncode;
using switchboard::encoding::Bytes;
using switchboard::encoding::HexDecode;
using switchboard::encoding::HexEncode;

Bytes B(std::string_view text) { return Bytes(text.begin(), text.end()); }

std::string S(const std::optional<Bytes>& bytes) {
  REQUIRE(bytes.has_value());
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

TEST_CASE("base64url and base32 follow the RFC 4648 test vectors", "[secrets][encoding]") {
  const std::vector<std::pair<std::string, std::string>> base64 = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : base64) {
    CHECK(Base64UrlEncode(B(plain)) == encoded);
    CHECK(S(Base64UrlDecode(encoded)) == plain);
  }
  const std::vector<std::pair<std::string, std::string>> base32 = {{"", ""},
                                                                   {"f", "my"},
                                                                   {"fo", "mzxq"},
                                                                   {"foo", "mzxw6"},
                                                                   {"foob", "mzxw6yq"},
                                                                   {"fooba", "mzxw6ytb"},
                                                                   {"foobar", "mzxw6ytboi"}};
  for (const auto& [plain, encoded] : base32) CHECK(Base32LowerEncode(B(plain)) == encoded);
}

TEST_CASE("base64url uses the URL-safe alphabet and decodes only canonical text",
          "[secrets][encoding]") {
  Bytes high = {0xfb, 0xff, 0xbf};
  CHECK(Base64UrlEncode(high) == "-_-_");
  CHECK(Base64UrlDecode("-_-_") == high);
  CHECK_FALSE(Base64UrlDecode("+/+/"));   // standard alphabet
  CHECK_FALSE(Base64UrlDecode("Zg=="));   // padding
  CHECK_FALSE(Base64UrlDecode("Zh"));     // non-zero unused bits
  CHECK_FALSE(Base64UrlDecode("Zm9vY"));  // a lone 6-bit group
  CHECK_FALSE(Base64UrlDecode("Zm 9v"));
}

TEST_CASE("lenient base64 takes either alphabet with or without padding", "[secrets][encoding]") {
  Bytes high = {0xfb, 0xff, 0xbf};
  CHECK(Base64DecodeLenient("+/+/") == high);
  CHECK(Base64DecodeLenient("-_-_") == high);
  CHECK(S(Base64DecodeLenient("Zg==")) == "f");
  CHECK(S(Base64DecodeLenient("Zm8=")) == "fo");
  CHECK(S(Base64DecodeLenient("Zg")) == "f");
  CHECK_FALSE(Base64DecodeLenient("Zg="));
  CHECK_FALSE(Base64DecodeLenient("Zm9v="));
  CHECK_FALSE(Base64DecodeLenient("Z==="));
}

TEST_CASE("hex round-trips and rejects odd or non-hex text", "[secrets][encoding]") {
  Bytes bytes = {0x00, 0x7f, 0x80, 0xff};
  CHECK(HexEncode(bytes) == "007f80ff");
  CHECK(HexDecode("007F80fF") == bytes);
  CHECK_FALSE(HexDecode("abc"));
  CHECK_FALSE(HexDecode("zz"));
}
