// The failure codes a Status carries. One list: the enum, its stable names (what
// problem+json, logs and the runner channel carry) and the way back from a name.
#pragma once

#include <optional>
#include <string_view>

namespace switchboard {

// X(enumerator, stable name). Names never change once released: clients and scripts
// match on them.
#define SWITCHBOARD_STATUS_CODES(X) \
  /* Generic */ \
  X(kInternal, "internal") \
  X(kUsage, "usage") \
  X(kCancelled, "cancelled") \
  X(kBusy, "busy") \
  X(kConflict, "conflict") \
  X(kMalformed, "malformed") \
  X(kTooLarge, "too_large") \
  X(kTooDeep, "too_deep") \
  X(kNotUtf8, "not_utf8") \
  X(kMalformedJson, "malformed_json") \
  /* Records and names */ \
  X(kNotFound, "not_found") \
  X(kNameTaken, "name_taken") \
  X(kNameInvalid, "name_invalid") \
  X(kNameTooLong, "name_too_long") \
  X(kInUse, "in_use") \
  X(kDuplicateId, "duplicate_id") \
  X(kUnknownConnection, "unknown_connection") \
  X(kUnknownProvider, "unknown_provider") \
  X(kStaleProbe, "stale_probe") \
  /* Configs and schemas */ \
  X(kInvalidConfig, "invalid_config") \
  X(kInvalidBody, "invalid_body") \
  X(kMissingRequired, "missing_required") \
  X(kSecretsRequired, "secrets_required") \
  X(kSchemaInvalid, "schema_invalid") \
  X(kSchemaUnusable, "schema_unusable") \
  X(kBadPattern, "bad_pattern") \
  X(kBadUrl, "bad_url") \
  X(kInvalidCidr, "invalid_cidr") \
  /* Storage */ \
  X(kCorruption, "corruption") \
  X(kIoError, "io_error") \
  X(kStorageFull, "storage_full") \
  X(kStorageUnavailable, "storage_unavailable") \
  X(kStoreCorrupt, "store_corrupt") \
  X(kWalCorrupt, "wal_corrupt") \
  X(kDataDirLocked, "data_dir_locked") \
  X(kUnreadable, "unreadable") \
  /* Secrets and tokens */ \
  X(kUnauthorized, "unauthorized") \
  X(kForbidden, "forbidden") \
  X(kTampered, "tampered") \
  X(kUnknownKey, "unknown_key") \
  X(kInvalidMasterKey, "invalid_master_key") \
  X(kInsecureKeyFile, "insecure_key_file") \
  X(kKeyFileUnreadable, "key_file_unreadable") \
  X(kKeyFileUnwritable, "key_file_unwritable") \
  X(kRandomFailed, "random_failed") \
  /* Plugin loading (the staged checks) */ \
  X(kOpenFailed, "open_failed") \
  X(kNotAPlugin, "not_a_plugin") \
  X(kRegistrationFailed, "registration_failed") \
  X(kAbiIncompatible, "abi_incompatible") \
  X(kInvalidManifest, "invalid_manifest") \
  /* Plugin calls and runners */ \
  X(kPluginError, "plugin_error") \
  X(kPluginOutputInvalid, "plugin_output_invalid") \
  X(kPluginCrashed, "plugin_crashed") \
  X(kPluginTimeout, "plugin_timeout") \
  X(kPluginUnavailable, "plugin_unavailable") \
  X(kRunnerUnavailable, "runner_unavailable") \
  X(kBadFrame, "bad_frame") \
  /* Using connections (the proxy, the credentials endpoint, runtime tokens) */ \
  X(kProviderCannotAuthorize, "provider_cannot_authorize") \
  X(kConnectionInactive, "connection_inactive") \
  X(kNotReferenced, "connection_not_referenced") \
  X(kPathRefused, "path_refused") \
  X(kOriginRefused, "origin_refused") \
  X(kAuthorizationFailed, "authorization_failed") \
  X(kProviderUnreachable, "provider_unreachable") \
  X(kProviderTimeout, "provider_timeout") \
  X(kProviderResponseTooLarge, "provider_response_too_large") \
  /* The runner's sandbox */ \
  X(kSandboxAddressSpace, "sandbox_address_space") \
  X(kSandboxDumpable, "sandbox_dumpable") \
  X(kSandboxLandlock, "sandbox_landlock") \
  X(kSandboxNoNewPrivs, "sandbox_no_new_privs") \
  X(kSandboxRlimit, "sandbox_rlimit") \
  X(kSandboxSeccomp, "sandbox_seccomp") \
  X(kSandboxSignal, "sandbox_signal") \

enum class Code {
  kOk,
#define SWITCHBOARD_STATUS_ENUMERATOR(enumerator, name) enumerator,
  SWITCHBOARD_STATUS_CODES(SWITCHBOARD_STATUS_ENUMERATOR)
#undef SWITCHBOARD_STATUS_ENUMERATOR
};

constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
#define SWITCHBOARD_STATUS_NAME(enumerator, name) \
  case Code::enumerator: return name;
    SWITCHBOARD_STATUS_CODES(SWITCHBOARD_STATUS_NAME)
#undef SWITCHBOARD_STATUS_NAME
  }
  return "internal";
}

// The code a name stands for, for codes that crossed a process boundary as text (the
// plugin runner's hello); nullopt for a name this build does not know.
constexpr std::optional<Code> CodeFromName(std::string_view name) {
#define SWITCHBOARD_STATUS_MATCH(enumerator, text) \
  if (name == text) return Code::enumerator;
  SWITCHBOARD_STATUS_CODES(SWITCHBOARD_STATUS_MATCH)
#undef SWITCHBOARD_STATUS_MATCH
  return std::nullopt;
}

}  // namespace switchboard
