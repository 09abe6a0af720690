// Bounds on what a plugin may hand the host. A plugin is third-party code: its output is
// parsed with ParseBoundedJson under these limits, and a probe step's request is checked
// before the host performs it. Documented in docs/plugin-guide.md.
#pragma once

#include <cstddef>

#include "common/bounded_json.hpp"

namespace switchboard {

// describe: the manifest (served to every client). Over it: refused "invalid_manifest".
inline constexpr JsonLimits kManifestLimits{1 << 20, 64};
// validate and probe_step results. Over them: "plugin_output_invalid".
inline constexpr JsonLimits kValidateOutputLimits{1 << 20, 64};
inline constexpr JsonLimits kProbeStepOutputLimits{1 << 20, 64};
// The most of any plugin output the host takes in at all: past it, only the size.
inline constexpr size_t kMaxPluginOutputBytes = 1 << 20;

// The HTTP request a probe step asks for.
inline constexpr size_t kMaxProbeRequestUrlBytes = 8 * 1024;
inline constexpr size_t kMaxProbeRequestHeaders = 64;
inline constexpr size_t kMaxProbeRequestHeaderBytes = 8 * 1024;  // one name plus its value
inline constexpr size_t kMaxProbeRequestBodyBytes = 256 * 1024;

// authorize_step results (ABI 1.1). Over them: "plugin_output_invalid". A step that asks
// for a request is checked like a probe step's (above); a grant by CheckAuthorization
// (authorization_check.hpp), under the limits below.
inline constexpr JsonLimits kAuthorizeStepOutputLimits{1 << 20, 32};
inline constexpr size_t kMaxAuthorizedOrigins = 16;
inline constexpr size_t kMaxAuthorizedBasePathBytes = 512;
inline constexpr size_t kMaxAuthorizationHeaders = 64;
inline constexpr size_t kMaxAuthorizationHeaderBytes = 8 * 1024;  // all names and values
inline constexpr size_t kMaxAuthorizationQueryParameters = 16;
inline constexpr size_t kMaxAuthorizationQueryBytes = 8 * 1024;   // all names and values
inline constexpr size_t kMaxConfigUpdateMembers = 32;

// classify_response results (ABI 1.1): one small object.
inline constexpr JsonLimits kClassifyOutputLimits{16 * 1024, 4};
inline constexpr size_t kMaxClassificationReasonBytes = 128;
inline constexpr size_t kMaxClassificationMessageBytes = 1024;

}  // namespace switchboard
