#include "secrets/crypto_util.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace switchboard::crypto {

Status FillRandom(std::span<unsigned char> out) {
  while (!out.empty()) {
    size_t chunk = std::min<size_t>(out.size(), INT_MAX);
    if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
      return Status::Error(Code::kRandomFailed, "the system random generator is unavailable");
    }
    out = out.subspan(chunk);
  }
  return Status::Ok();
}

void FillRandomOrThrow(std::span<unsigned char> out) {
  Status status = FillRandom(out);
  if (!status.ok()) throw std::runtime_error(status.message());
}

Sha256Digest Sha256(std::span<const unsigned char> data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 is unavailable in this OpenSSL build");
  }
  return digest;
}

Sha256Digest Sha256(std::string_view data) {
  return Sha256(std::span(reinterpret_cast<const unsigned char*>(data.data()), data.size()));
}

}  // namespace switchboard::crypto
