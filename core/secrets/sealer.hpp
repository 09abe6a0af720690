// Seals secret config fields (those a provider schema marks writeOnly) before they are
// stored, with AES-256-GCM under the master key.
//
// A sealed value is the text  sb1.<key id>.<nonce>.<ciphertext and tag>  where the key id
// is MasterKey::id (16 hex characters), the nonce is 12 random bytes drawn for every
// seal, the last part is the ciphertext followed by the 16-byte GCM tag, and both byte
// strings are unpadded base64url. The caller's context string is the GCM additional
// authenticated data: a value sealed for "project/connection/field" opens only under
// that same context, so it cannot be copied into another record.
//
// Thread-safe: all methods are const and use a fresh cipher context per call.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "secrets/master_key.hpp"

namespace switchboard {

// Comma-separated older keys that can still open values (key rotation).
inline constexpr const char* kPreviousMasterKeysEnv = "SWITCHBOARD_PREVIOUS_MASTER_KEYS";

class Sealer {
 public:
  // Seals with `primary`; opens values sealed under `primary` or any of `previous`.
  explicit Sealer(MasterKey primary, std::vector<MasterKey> previous = {});
  ~Sealer();
  Sealer(const Sealer&) = default;
  Sealer& operator=(const Sealer&) = default;
  Sealer(Sealer&&) = default;
  Sealer& operator=(Sealer&&) = default;

  // ResolveMasterKey(data_dir) as the primary key, plus every key listed in
  // SWITCHBOARD_PREVIOUS_MASTER_KEYS (empty entries ignored). An unparsable entry fails
  // with "invalid_master_key" naming its position, never its text. Reads the environment,
  // so call it at start-up, before other threads might call setenv.
  static Result<Sealer> FromEnvironment(const std::filesystem::path& data_dir);

  // Seals under the primary key with a new random nonce. Throws std::runtime_error only
  // when OpenSSL itself fails (no randomness, no AES), which a working host never sees.
  std::string Seal(std::string_view plaintext, std::string_view context) const;

  // The plaintext, or:
  //   "malformed"   - not the sb1 format (wrong prefix, parts, encoding or lengths);
  //   "unknown_key" - sealed under a key id that is neither primary nor previous (the
  //                   message names the id);
  //   "tampered"    - authentication failed: the value was altered, or the context differs.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

  // True when `sealed` is well-formed and under a key other than the primary: the caller
  // should Open and Seal it again. False for malformed text.
  bool NeedsReseal(std::string_view sealed) const;

  // True when `text` has the shape of a sealed value (does not check any key or tag).
  static bool LooksSealed(std::string_view text);

  const std::string& primary_key_id() const { return keys_.front().id; }

 private:
  const MasterKey* FindKey(std::string_view id) const;

  std::vector<MasterKey> keys_;  // keys_[0] is the primary.
};

}  // namespace switchboard
