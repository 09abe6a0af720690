// The master key that seals secret config fields, and where the host finds it.
//
// Order of lookup (ResolveMasterKey): the SWITCHBOARD_MASTER_KEY environment variable,
// else <data_dir>/master.key, created with mode 0600 on first start. A key is 32 bytes,
// written as 64 hex characters or as base64 (either alphabet, padding optional).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace switchboard {

inline constexpr const char* kMasterKeyEnv = "SWITCHBOARD_MASTER_KEY";
inline constexpr const char* kMasterKeyFileName = "master.key";

struct MasterKey {
  // First 16 hex characters of SHA-256("switchboard-key-id:" + bytes). Stored next to each
  // sealed value so the key can rotate; it identifies the key without revealing it.
  std::string id;
  std::array<unsigned char, 32> bytes{};
};

// Builds a MasterKey (with its id) from raw bytes.
MasterKey MasterKeyFromBytes(const std::array<unsigned char, 32>& bytes);

// Parses 64 hex characters or base64 of 32 bytes; surrounding whitespace is ignored.
// Fails with "invalid_master_key" and the message "master key must be 32 bytes, as 64 hex
// characters or base64". The message never repeats the text.
Result<MasterKey> ParseMasterKey(std::string_view text);

// Reads the key in `file`, or creates it when it does not exist.
//
// Reading: refuses with "insecure_key_file" when the mode grants any access to group or
// others, "key_file_unreadable" when it is not a readable regular file, and
// "invalid_master_key" when its content does not parse. Symlinks are followed (mounted
// secrets are often symlinks); the mode checked is the target's.
//
// Creating: 32 bytes from RAND_bytes written as hex to a temporary file opened with
// O_CREAT|O_EXCL and mode 0600, fsynced, then hard-linked into place and the directory
// fsynced. The key file therefore never exists partly written, is never readable by
// others, and when two processes race, both end up with the one that was linked first.
// The parent directory must exist ("key_file_unwritable" otherwise).
Result<MasterKey> LoadOrCreateMasterKeyFile(const std::filesystem::path& file);

// SWITCHBOARD_MASTER_KEY when set (an empty value is an error, not "unset"), else
// LoadOrCreateMasterKeyFile(<data_dir>/master.key). A missing data_dir is created with
// mode 0700. Error messages say which source was used.
Result<MasterKey> ResolveMasterKey(const std::filesystem::path& data_dir);

}  // namespace switchboard
