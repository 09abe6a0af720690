#include "secrets/sealer.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

#include "secrets/crypto_util.hpp"
#include "secrets/encoding.hpp"

namespace switchboard {
namespace {

constexpr std::string_view kVersion = "sb1";
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr size_t kKeyIdChars = 16;
// EVP takes int lengths; feed longer inputs in pieces.
constexpr size_t kMaxChunk = size_t{1} << 30;

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

const unsigned char* Data(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

struct SealedParts {
  std::string_view key_id;
  encoding::Bytes nonce;
  encoding::Bytes ciphertext;  // Without the tag.
  encoding::Bytes tag;
};

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<SealedParts> Parse(std::string_view sealed) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = sealed.find('.', start);
    parts.push_back(sealed.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 4 || parts[0] != kVersion) return std::nullopt;
  if (parts[1].size() != kKeyIdChars || !IsLowerHex(parts[1])) return std::nullopt;
  std::optional<encoding::Bytes> nonce = encoding::Base64UrlDecode(parts[2]);
  std::optional<encoding::Bytes> body = encoding::Base64UrlDecode(parts[3]);
  if (!nonce || nonce->size() != kNonceBytes || !body || body->size() < kTagBytes) {
    return std::nullopt;
  }
  SealedParts result;
  result.key_id = parts[1];
  result.nonce = std::move(*nonce);
  result.tag.assign(body->end() - kTagBytes, body->end());
  result.ciphertext = std::move(*body);
  result.ciphertext.resize(result.ciphertext.size() - kTagBytes);
  return result;
}

bool AddAad(EVP_CIPHER_CTX* ctx, std::string_view aad, bool encrypt) {
  do {
    size_t chunk = std::min(aad.size(), kMaxChunk);
    int ignored = 0;
    int ok = encrypt
                 ? EVP_EncryptUpdate(ctx, nullptr, &ignored, Data(aad), static_cast<int>(chunk))
                 : EVP_DecryptUpdate(ctx, nullptr, &ignored, Data(aad), static_cast<int>(chunk));
    if (ok != 1) return false;
    aad.remove_prefix(chunk);
  } while (!aad.empty());
  return true;
}

[[noreturn]] void Fail(const char* what) {
  throw std::runtime_error(std::string("sealing failed in OpenSSL: ") + what);
}

}  // namespace

Sealer::Sealer(MasterKey primary, std::vector<MasterKey> previous) {
  keys_.reserve(previous.size() + 1);
  keys_.push_back(primary);
  keys_.insert(keys_.end(), previous.begin(), previous.end());
  // The arguments were copies made for this call; leave no key bytes behind in them.
  OPENSSL_cleanse(primary.bytes.data(), primary.bytes.size());
  for (MasterKey& key : previous) OPENSSL_cleanse(key.bytes.data(), key.bytes.size());
}

Sealer::~Sealer() {
  for (MasterKey& key : keys_) OPENSSL_cleanse(key.bytes.data(), key.bytes.size());
}

Result<Sealer> Sealer::FromEnvironment(const std::filesystem::path& data_dir) {
  Result<MasterKey> primary = ResolveMasterKey(data_dir);
  if (!primary.ok()) return primary.status();
  std::vector<MasterKey> previous;
  if (const char* env = std::getenv(kPreviousMasterKeysEnv); env != nullptr) {
    std::string_view list = env;
    size_t position = 0;
    while (true) {
      ++position;
      size_t comma = list.find(',');
      std::string_view entry = list.substr(0, comma);
      if (entry.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        Result<MasterKey> key = ParseMasterKey(entry);
        if (!key.ok()) {
          return Status::Error(key.status().code(), std::string(kPreviousMasterKeysEnv) +
                                                        " entry " + std::to_string(position) +
                                                        ": " + key.status().message());
        }
        previous.push_back(std::move(*key));
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return Sealer(std::move(*primary), std::move(previous));
}

std::string Sealer::Seal(std::string_view plaintext, std::string_view context) const {
  const MasterKey& key = keys_.front();
  std::array<unsigned char, kNonceBytes> nonce{};
  crypto::FillRandomOrThrow(nonce);

  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx) Fail("EVP_CIPHER_CTX_new");
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), nonce.data()) != 1) {
    Fail("EVP_EncryptInit_ex");
  }
  if (!AddAad(ctx.get(), context, /*encrypt=*/true)) Fail("additional data");

  // Ciphertext then tag, in one buffer: the last part of the sealed text.
  encoding::Bytes body(plaintext.size() + kTagBytes);
  size_t written = 0;
  while (written < plaintext.size()) {
    size_t chunk = std::min(plaintext.size() - written, kMaxChunk);
    int out = 0;
    if (EVP_EncryptUpdate(ctx.get(), body.data() + written, &out, Data(plaintext) + written,
                          static_cast<int>(chunk)) != 1) {
      Fail("EVP_EncryptUpdate");
    }
    written += static_cast<size_t>(out);
  }
  int final_out = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), body.data() + written, &final_out) != 1) {
    Fail("EVP_EncryptFinal_ex");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          body.data() + plaintext.size()) != 1) {
    Fail("EVP_CTRL_GCM_GET_TAG");
  }

  std::string sealed(kVersion);
  sealed += '.';
  sealed += key.id;
  sealed += '.';
  sealed += encoding::Base64UrlEncode(nonce);
  sealed += '.';
  sealed += encoding::Base64UrlEncode(body);
  return sealed;
}

Result<std::string> Sealer::Open(std::string_view sealed, std::string_view context) const {
  std::optional<SealedParts> parts = Parse(sealed);
  if (!parts) {
    return Status::Error(Code::kMalformed, "not a sealed value (expected sb1.<key id>.<nonce>.<data>)");
  }
  const MasterKey* key = FindKey(parts->key_id);
  if (key == nullptr) {
    return Status::Error(Code::kUnknownKey, "sealed under key " + std::string(parts->key_id) +
                                            ", which is neither the master key nor one of " +
                                            kPreviousMasterKeysEnv);
  }

  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx) Fail("EVP_CIPHER_CTX_new");
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key->bytes.data(), parts->nonce.data()) !=
          1) {
    Fail("EVP_DecryptInit_ex");
  }
  if (!AddAad(ctx.get(), context, /*encrypt=*/false)) Fail("additional data");

  std::string plaintext(parts->ciphertext.size(), '\0');
  size_t written = 0;
  bool ok = true;
  while (ok && written < parts->ciphertext.size()) {
    size_t chunk = std::min(parts->ciphertext.size() - written, kMaxChunk);
    int out = 0;
    ok = EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + written,
                           &out, parts->ciphertext.data() + written, static_cast<int>(chunk)) == 1;
    written += static_cast<size_t>(out);
  }
  int final_out = 0;
  ok = ok &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, parts->tag.data()) == 1 &&
       EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + written,
                           &final_out) == 1;
  if (!ok) {
    // GCM decrypts before it verifies: never let unauthenticated plaintext linger.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return Status::Error(Code::kTampered,
                         "sealed value failed authentication: it was altered, or it belongs to "
                         "another record");
  }
  return plaintext;
}

bool Sealer::NeedsReseal(std::string_view sealed) const {
  std::optional<SealedParts> parts = Parse(sealed);
  return parts && parts->key_id != keys_.front().id;
}

bool Sealer::LooksSealed(std::string_view text) { return Parse(text).has_value(); }

const MasterKey* Sealer::FindKey(std::string_view id) const {
  for (const MasterKey& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

}  // namespace switchboard
