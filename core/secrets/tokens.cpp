#include "secrets/tokens.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <vector>

#include "secrets/crypto_util.hpp"
#include "secrets/encoding.hpp"

namespace switchboard {
namespace {

constexpr std::string_view kIdPrefix = "tok_";
constexpr std::string_view kTokenPrefix = "sbt_";
constexpr size_t kIdBytes = 10;
constexpr size_t kIdSuffixChars = 16;  // base32 of kIdBytes.
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretChars = 43;  // unpadded base64url of kSecretBytes.

}  // namespace

std::string RandomId(std::string_view prefix, size_t bytes) {
  std::vector<unsigned char> random(bytes);
  crypto::FillRandomOrThrow(random);
  std::string id(prefix);
  id += encoding::Base32LowerEncode(random);
  return id;
}

IssuedToken IssueToken() {
  IssuedToken issued;
  issued.id = RandomId(kIdPrefix, kIdBytes);
  std::array<unsigned char, kSecretBytes> secret{};
  crypto::FillRandomOrThrow(secret);
  issued.token = std::string(kTokenPrefix) + issued.id.substr(kIdPrefix.size()) + "_" +
                 encoding::Base64UrlEncode(secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  issued.hash = HashToken(issued.token);
  return issued;
}

std::optional<std::string> TokenIdOf(std::string_view token) {
  // Positional, because the base64url secret may itself contain '_'.
  constexpr size_t kSeparator = kTokenPrefix.size() + kIdSuffixChars;
  if (token.size() != kSeparator + 1 + kSecretChars) return std::nullopt;
  if (!token.starts_with(kTokenPrefix) || token[kSeparator] != '_') return std::nullopt;
  std::string_view suffix = token.substr(kTokenPrefix.size(), kIdSuffixChars);
  std::string_view secret = token.substr(kSeparator + 1);
  if (!std::all_of(suffix.begin(), suffix.end(), encoding::IsBase32LowerChar) ||
      !std::all_of(secret.begin(), secret.end(), encoding::IsBase64UrlChar)) {
    return std::nullopt;
  }
  return std::string(kIdPrefix) + std::string(suffix);
}

std::string HashToken(std::string_view token) { return encoding::HexEncode(crypto::Sha256(token)); }

bool TokenMatches(std::string_view token, std::string_view stored_hash) {
  std::optional<encoding::Bytes> stored = encoding::HexDecode(stored_hash);
  crypto::Sha256Digest actual = crypto::Sha256(token);
  if (!stored || stored->size() != actual.size()) return false;
  return CRYPTO_memcmp(actual.data(), stored->data(), actual.size()) == 0;
}

}  // namespace switchboard
