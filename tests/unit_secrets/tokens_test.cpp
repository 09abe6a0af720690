#include "secrets/tokens.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <string>

namespace {

using switchboard::HashToken;
using switchboard::IssuedToken;
using switchboard::IssueToken;
using switchboard::RandomId;
using switchboard::TokenIdOf;
using switchboard::TokenMatches;

}  // namespace

TEST_CASE("an issued token carries its id and is stored only as its hash", "[secrets][tokens]") {
  IssuedToken issued = IssueToken();
  CHECK(std::regex_match(issued.id, std::regex("tok_[a-z2-7]{16}")));
  CHECK(std::regex_match(issued.token, std::regex("sbt_[a-z2-7]{16}_[A-Za-z0-9_-]{43}")));
  CHECK(issued.token.substr(4, 16) == issued.id.substr(4));
  CHECK(std::regex_match(issued.hash, std::regex("[0-9a-f]{64}")));
  CHECK(issued.hash == HashToken(issued.token));
  CHECK(issued.hash.find(issued.token.substr(21)) == std::string::npos);

  auto id = TokenIdOf(issued.token);
  REQUIRE(id.has_value());
  CHECK(*id == issued.id);
}

TEST_CASE("HashToken is the hex SHA-256 of the whole token", "[secrets][tokens]") {
  // FIPS 180-2 test vectors.
  CHECK(HashToken("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HashToken("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("TokenMatches accepts only the token the hash was made from", "[secrets][tokens]") {
  IssuedToken issued = IssueToken();
  IssuedToken other = IssueToken();
  CHECK(TokenMatches(issued.token, issued.hash));
  std::string upper = issued.hash;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(TokenMatches(issued.token, upper));

  CHECK_FALSE(TokenMatches(other.token, issued.hash));
  CHECK_FALSE(TokenMatches(issued.token, other.hash));
  std::string altered = issued.token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(TokenMatches(altered, issued.hash));
  CHECK_FALSE(TokenMatches(issued.token.substr(0, issued.token.size() - 1), issued.hash));
  CHECK_FALSE(TokenMatches("", issued.hash));
  CHECK_FALSE(TokenMatches(issued.token, ""));
  CHECK_FALSE(TokenMatches(issued.token, issued.hash.substr(0, 62)));
  CHECK_FALSE(TokenMatches(issued.token, issued.hash + "00"));
  CHECK_FALSE(TokenMatches(issued.token, "zz" + issued.hash.substr(2)));
  CHECK_FALSE(TokenMatches(issued.token, issued.token));
}

TEST_CASE("TokenIdOf reads the id positionally, even when the secret contains '_'",
          "[secrets][tokens]") {
  std::string suffix = "abcdefgh234567zz";
  std::string secret = std::string(20, '_') + std::string(23, '-');
  auto id = TokenIdOf("sbt_" + suffix + "_" + secret);
  REQUIRE(id.has_value());
  CHECK(*id == "tok_" + suffix);
}

TEST_CASE("TokenIdOf refuses text that is not shaped like a token", "[secrets][tokens]") {
  std::string good = IssueToken().token;
  REQUIRE(TokenIdOf(good).has_value());
  std::string suffix = good.substr(4, 16);
  std::string secret = good.substr(21);
  const std::vector<std::string> bad = {
      "",
      "sbt_",
      "tok_" + suffix,
      "sbx_" + suffix + "_" + secret,
      "SBT_" + suffix + "_" + secret,
      "sbt_" + suffix + "-" + secret,
      "sbt_" + suffix + secret,
      "sbt_" + suffix.substr(1) + "_" + secret + "A",
      "sbt_" + suffix + "_" + secret.substr(1),
      good + "A",
      "sbt_ABCDEFGH234567ZZ_" + secret,
      "sbt_abcdefgh2345678z_" + secret,  // '8' is not base32
      "sbt_" + suffix + "_" + secret.substr(1) + "=",
      "sbt_" + suffix + "_" + secret.substr(1) + "+",
      " " + good,
  };
  for (const std::string& text : bad) {
    INFO(text);
    CHECK_FALSE(TokenIdOf(text).has_value());
  }
}

TEST_CASE("RandomId appends lower-case base32 to the prefix", "[secrets][tokens]") {
  CHECK(std::regex_match(RandomId("con_"), std::regex("con_[a-z2-7]{16}")));
  CHECK(std::regex_match(RandomId("prj", 5), std::regex("prj[a-z2-7]{8}")));
  CHECK(std::regex_match(RandomId("", 1), std::regex("[a-z2-7]{2}")));
  CHECK(RandomId("x_", 0) == "x_");
}

TEST_CASE("ids and tokens do not repeat across 10,000 draws", "[secrets][tokens]") {
  std::set<std::string> ids;
  std::set<std::string> token_ids;
  std::set<std::string> tokens;
  for (int i = 0; i < 10000; ++i) {
    ids.insert(RandomId("con_"));
    IssuedToken issued = IssueToken();
    token_ids.insert(issued.id);
    tokens.insert(issued.token);
  }
  CHECK(ids.size() == 10000);
  CHECK(token_ids.size() == 10000);
  CHECK(tokens.size() == 10000);
}
