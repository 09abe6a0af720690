// API tokens and random record ids.
//
// A token is  sbt_<id suffix>_<secret>  where the id is "tok_" + 16 lower-case base32
// characters (80 random bits) and the secret is 32 random bytes as unpadded base64url
// (43 characters). Only the SHA-256 of the whole token is stored; the id lets the store
// find the row without scanning, and the hash comparison is constant-time.
//
// All functions are thread-safe. Those that draw randomness throw std::runtime_error when
// OpenSSL's generator fails, which a working host never sees.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

struct IssuedToken {
  std::string id;     // "tok_..." - stored in clear, shown in listings.
  std::string token;  // "sbt_..." - shown to the user once, never stored.
  std::string hash;   // HashToken(token) - stored.
};

IssuedToken IssueToken();

// The id inside a token ("tok_" + suffix), or nullopt when the text does not have the
// token shape. Says nothing about whether the token is valid: check TokenMatches.
std::optional<std::string> TokenIdOf(std::string_view token);

// Lower-case hex SHA-256 of the whole token (64 characters).
std::string HashToken(std::string_view token);

// True when HashToken(token) equals `stored_hash` (hex, either case). The digests are
// compared with CRYPTO_memcmp, so the time taken does not depend on where they differ.
bool TokenMatches(std::string_view token, std::string_view stored_hash);

// `prefix` followed verbatim by `bytes` random bytes in lower-case base32 (no padding):
// RandomId("con_") gives e.g. "con_k3x7q2m4ab5cdefg". The default 10 bytes (80 bits, 16
// characters) makes a collision among a billion ids about one in a million.
std::string RandomId(std::string_view prefix, size_t bytes = 10);

}  // namespace switchboard
