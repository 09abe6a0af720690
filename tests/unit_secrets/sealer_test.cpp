#include "secrets/sealer.hpp"

#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "secrets/encoding.hpp"

namespace {

using switchboard::Code;

using switchboard::MasterKey;
using switchboard::MasterKeyFromBytes;
using switchboard::Sealer;
namespace encoding = switchboard::encoding;

constexpr const char* kContext = "proj_1/con_1/api_key";

MasterKey KeyFilledWith(unsigned char fill) {
  std::array<unsigned char, 32> bytes{};
  bytes.fill(fill);
  return MasterKeyFromBytes(bytes);
}

std::vector<std::string> Split(const std::string& sealed) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = sealed.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(sealed.substr(start, dot - start));
  }
  parts.push_back(sealed.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ".") + part;
  return out;
}

// The sealed text with one bit flipped in byte `index` of base64url part `part`.
std::string FlipBit(const std::string& sealed, size_t part, size_t index) {
  std::vector<std::string> parts = Split(sealed);
  encoding::Bytes bytes = *encoding::Base64UrlDecode(parts.at(part));
  bytes.at(index) ^= 0x01;
  parts[part] = encoding::Base64UrlEncode(bytes);
  return Join(parts);
}

std::string StandardBase64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()),
                               static_cast<int>(text.size()));
  out.resize(static_cast<size_t>(length));
  return out;
}

}  // namespace

TEST_CASE("Open returns what Seal sealed", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(1));
  std::string binary("a\0b\xff\x00z", 6);
  std::string long_text(100000, 'x');
  for (const std::string& plaintext :
       {std::string(), std::string("sk-proj-abc123"), binary, long_text}) {
    std::string sealed = sealer.Seal(plaintext, kContext);
    auto opened = sealer.Open(sealed, kContext);
    REQUIRE(opened.ok());
    CHECK(*opened == plaintext);
  }
  auto empty_context = sealer.Open(sealer.Seal("value", ""), "");
  REQUIRE(empty_context.ok());
  CHECK(*empty_context == "value");
}

TEST_CASE("a sealed value is sb1.<key id>.<12-byte nonce>.<ciphertext+16-byte tag>",
          "[secrets][sealer]") {
  MasterKey key = KeyFilledWith(2);
  Sealer sealer(key);
  std::string plaintext = "sk-proj-abc123";
  std::string sealed = sealer.Seal(plaintext, kContext);
  std::vector<std::string> parts = Split(sealed);
  REQUIRE(parts.size() == 4);
  CHECK(parts[0] == "sb1");
  CHECK(parts[1] == key.id);
  CHECK(encoding::Base64UrlDecode(parts[2])->size() == 12);
  CHECK(encoding::Base64UrlDecode(parts[3])->size() == plaintext.size() + 16);
  CHECK(Sealer::LooksSealed(sealed));
  CHECK_FALSE(Sealer::LooksSealed(plaintext));
  CHECK(sealer.primary_key_id() == key.id);
}

TEST_CASE("every seal draws a fresh nonce", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(3));
  std::string first = sealer.Seal("same secret", kContext);
  std::string second = sealer.Seal("same secret", kContext);
  CHECK(first != second);
  CHECK(Split(first)[2] != Split(second)[2]);
  CHECK(*sealer.Open(first, kContext) == "same secret");
  CHECK(*sealer.Open(second, kContext) == "same secret");

  std::set<std::string> nonces;
  for (int i = 0; i < 2000; ++i) nonces.insert(Split(sealer.Seal("same secret", kContext))[2]);
  CHECK(nonces.size() == 2000);
}

TEST_CASE("a value opens only under the context it was sealed for", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(4));
  std::string sealed = sealer.Seal("sk-proj-abc123", "proj_1/con_1/api_key");
  for (const char* other : {"proj_1/con_2/api_key", "proj_2/con_1/api_key", "proj_1/con_1/api_key2",
                            "proj_1/con_1/", ""}) {
    auto opened = sealer.Open(sealed, other);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().Is(Code::kTampered));
  }
}

TEST_CASE("any flipped bit in nonce, ciphertext or tag is detected", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(5));
  std::string plaintext = "sk-proj-abc123";
  std::string sealed = sealer.Seal(plaintext, kContext);
  for (size_t i = 0; i < 12; ++i) {
    auto opened = sealer.Open(FlipBit(sealed, 2, i), kContext);
    INFO("nonce byte " << i);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().Is(Code::kTampered));
  }
  // Bytes below plaintext.size() are ciphertext, the 16 after them the tag.
  for (size_t i = 0; i < plaintext.size() + 16; ++i) {
    auto opened = sealer.Open(FlipBit(sealed, 3, i), kContext);
    INFO("body byte " << i);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().Is(Code::kTampered));
  }
}

TEST_CASE("relabelling a value with another known key id is detected", "[secrets][sealer]") {
  MasterKey first = KeyFilledWith(6);
  MasterKey second = KeyFilledWith(7);
  Sealer sealer(first, {second});
  std::vector<std::string> parts = Split(sealer.Seal("secret", kContext));
  parts[1] = second.id;
  auto opened = sealer.Open(Join(parts), kContext);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.status().Is(Code::kTampered));
}

TEST_CASE("text that is not a sealed value is malformed", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(8));
  std::string sealed = sealer.Seal("secret", kContext);
  std::vector<std::string> parts = Split(sealed);
  std::string short_nonce = encoding::Base64UrlEncode(encoding::Bytes(11, 0));
  std::string short_body = encoding::Base64UrlEncode(encoding::Bytes(15, 0));
  const std::vector<std::string> bad = {
      "",
      "garbage",
      "sk-proj-abc123",
      "sb1.",
      "sb1...",
      Join({parts[0], parts[1], parts[2]}),
      sealed + ".",
      sealed + ".extra",
      "sb2." + sealed.substr(4),
      "SB1." + sealed.substr(4),
      Join({parts[0], parts[1].substr(0, 15), parts[2], parts[3]}),
      Join({parts[0], parts[1] + "0", parts[2], parts[3]}),
      Join({parts[0], "ABCDEF0123456789", parts[2], parts[3]}),
      Join({parts[0], parts[1], short_nonce, parts[3]}),
      Join({parts[0], parts[1], parts[2], short_body}),
      Join({parts[0], parts[1], parts[2] + "=", parts[3]}),
      Join({parts[0], parts[1], parts[2], parts[3] + "*"}),
      Join({parts[0], parts[1], parts[2], "+" + parts[3].substr(1)}),
      sealed.substr(0, sealed.size() - 1) + " ",
  };
  for (const std::string& text : bad) {
    INFO(text);
    auto opened = sealer.Open(text, kContext);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().Is(Code::kMalformed));
    CHECK_FALSE(Sealer::LooksSealed(text));
    CHECK_FALSE(sealer.NeedsReseal(text));
  }
}

TEST_CASE("no truncation of a sealed value opens", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(9));
  std::string sealed = sealer.Seal("sk-proj-abc123", kContext);
  for (size_t length = 0; length < sealed.size(); ++length) {
    auto opened = sealer.Open(sealed.substr(0, length), kContext);
    INFO("length " << length);
    REQUIRE_FALSE(opened.ok());
    CHECK((opened.status().Is(Code::kMalformed) || opened.status().Is(Code::kTampered)));
  }
}

TEST_CASE("rotation: old values open under previous keys and ask to be resealed",
          "[secrets][sealer]") {
  MasterKey old_key = KeyFilledWith(10);
  MasterKey new_key = KeyFilledWith(11);
  REQUIRE(old_key.id != new_key.id);
  std::string sealed_old = Sealer(old_key).Seal("secret", kContext);

  Sealer rotated(new_key, {old_key});
  auto opened = rotated.Open(sealed_old, kContext);
  REQUIRE(opened.ok());
  CHECK(*opened == "secret");
  CHECK(rotated.NeedsReseal(sealed_old));

  std::string resealed = rotated.Seal(*opened, kContext);
  CHECK(Split(resealed)[1] == new_key.id);
  CHECK_FALSE(rotated.NeedsReseal(resealed));

  Sealer new_only(new_key);
  auto refused = new_only.Open(sealed_old, kContext);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().Is(Code::kUnknownKey));
  CHECK_THAT(refused.status().message(), Catch::Contains(old_key.id));
  CHECK(new_only.Open(resealed, kContext).ok());
}

TEST_CASE("the sealed text reveals neither the plaintext nor its base64", "[secrets][sealer]") {
  Sealer sealer(KeyFilledWith(12));
  std::string plaintext = "sk-proj-VerySecretValue0123456789";
  std::string sealed = sealer.Seal(plaintext, kContext);
  std::string standard = StandardBase64(plaintext);
  std::string url = encoding::Base64UrlEncode(encoding::Bytes(plaintext.begin(), plaintext.end()));
  REQUIRE(standard.size() > 8);
  CHECK(sealed.find(plaintext) == std::string::npos);
  CHECK(sealed.find(standard.substr(0, 8)) == std::string::npos);
  CHECK(sealed.find(url.substr(0, 8)) == std::string::npos);
  CHECK(sealed.find("VerySecret") == std::string::npos);
}

TEST_CASE("one Sealer serves many threads at once", "[secrets][sealer]") {
  MasterKey old_key = KeyFilledWith(13);
  Sealer sealer(KeyFilledWith(14), {old_key});
  std::string old_value = Sealer(old_key).Seal("old", kContext);
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        std::string plaintext = "secret-" + std::to_string(t) + "-" + std::to_string(i);
        std::string context = "p/c" + std::to_string(t) + "/f";
        auto opened = sealer.Open(sealer.Seal(plaintext, context), context);
        auto old_opened = sealer.Open(old_value, kContext);
        if (!opened.ok() || *opened != plaintext || !old_opened.ok() || *old_opened != "old") {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(4, 0));
}
