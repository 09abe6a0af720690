// Thin wrappers over OpenSSL's random generator and SHA-256. Thread-safe.
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "common/status.hpp"

namespace switchboard::crypto {

using Sha256Digest = std::array<unsigned char, 32>;

// Fills `out` from the OpenSSL CSPRNG. Fails with "random_failed" when it cannot be
// seeded, which on a working system does not happen.
Status FillRandom(std::span<unsigned char> out);

// As FillRandom, for callers that have no error path: throws std::runtime_error.
void FillRandomOrThrow(std::span<unsigned char> out);

Sha256Digest Sha256(std::span<const unsigned char> data);
Sha256Digest Sha256(std::string_view data);

}  // namespace switchboard::crypto
