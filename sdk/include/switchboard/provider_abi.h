/*
 * Switchboard provider plugin ABI.
 *
 * This is the whole boundary between the Switchboard host and a provider plugin. It is
 * plain C so that a plugin built today loads in every later host, whatever compiler or
 * standard library either side was built with.
 *
 * Rules that keep it stable:
 *   - Every struct begins with `abi_version` and `struct_size`. New members are added
 *     only at the end, under a comment naming the ABI version that added them. A reader
 *     uses only the first `struct_size` bytes of a struct it was given.
 *   - The host accepts a plugin of the same major version and an equal or lower minor.
 *   - Strings cross as pointer + length of UTF-8, and every structured value is JSON text.
 *   - Whoever allocates frees: buffers a plugin returns are released by that plugin's
 *     `release` function; buffers the host passes in stay owned by the host.
 *   - No C++ type and no exception crosses this boundary.
 *
 * Changing this file without changing SB_ABI_VERSION_* fails the test
 * tests/unit/abi_version_test.cpp (it records a hash of this header per version).
 *
 * Authors normally do not use this header directly: <switchboard/provider.hpp> lets a
 * plugin be written as one C++ class plus SWITCHBOARD_PROVIDER(ClassName).
 */
#ifndef SWITCHBOARD_PROVIDER_ABI_H
#define SWITCHBOARD_PROVIDER_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* history: 1.0 the first; 1.1 added authorize_step and classify_response */
#define SB_ABI_VERSION_MAJOR 1
#define SB_ABI_VERSION_MINOR 1
#define SB_ABI_VERSION_PACK(major, minor) ((uint32_t)(((uint32_t)(major) << 16) | ((uint32_t)(minor)&0xFFFFu)))
#define SB_ABI_VERSION SB_ABI_VERSION_PACK(SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR)
#define SB_ABI_VERSION_MAJOR_OF(packed) ((uint32_t)(packed) >> 16)
#define SB_ABI_VERSION_MINOR_OF(packed) ((uint32_t)(packed)&0xFFFFu)

/* The one symbol a plugin exports. */
#define SB_PROVIDER_ENTRY_SYMBOL "sb_provider_entry"

#if defined(_WIN32)
#define SB_EXPORT __declspec(dllexport)
#else
#define SB_EXPORT __attribute__((visibility("default")))
#endif

/* Result codes of every plugin function. history: stable since 1.0 */
typedef enum sb_result_code {
  SB_OK = 0,    /* the output buffer holds the documented JSON result */
  SB_ERROR = 1  /* the output buffer holds {"code": "...", "message": "..."} */
} sb_result_code;

/* Log levels for sb_host_v1.log. history: stable since 1.0 */
typedef enum sb_log_level {
  SB_LOG_DEBUG = 0,
  SB_LOG_INFO = 1,
  SB_LOG_WARN = 2,
  SB_LOG_ERROR = 3
} sb_log_level;

/*
 * A buffer a plugin function fills with UTF-8 JSON.
 * OWNERSHIP: the plugin allocates `data`; the host gives it back through
 * sb_provider_v1.release exactly once, and never frees it itself. `data` is not
 * required to be NUL-terminated; `size` is its length in bytes.
 * history: stable since 1.0
 */
typedef struct sb_buffer {
  char* data;
  size_t size;
} sb_buffer;

/*
 * What the host offers a plugin. Passed to the entry point.
 * OWNERSHIP: owned by the host; valid until the provider's `destroy` returns.
 * THREADS: `log` may be called from any thread, concurrently.
 * history: stable since 1.0
 */
typedef struct sb_host_v1 {
  uint32_t abi_version; /* SB_ABI_VERSION of the host */
  uint32_t struct_size; /* sizeof(sb_host_v1) as the host knows it */
  void* context;        /* opaque; pass back to the callbacks */

  /* Writes one line to the host's log. `message` is UTF-8, `size` bytes, owned by the
   * caller. Never pass a secret: the host does not redact plugin log lines. */
  void (*log)(void* context, sb_log_level level, const char* message, size_t size);
} sb_host_v1;

/*
 * A provider, as returned by the entry point. All functions are called by the host,
 * possibly from several threads at once for the same provider: they must be reentrant.
 * Inputs are owned by the host and valid only during the call. Outputs go into `out`,
 * which the host later passes to `release`.
 * history: 1.0; 1.1 appended authorize_step and classify_response
 */
typedef struct sb_provider_v1 {
  uint32_t abi_version; /* SB_ABI_VERSION the plugin was built against */
  uint32_t struct_size; /* sizeof(sb_provider_v1) as the plugin knows it */
  void* instance;       /* opaque; passed back as the first argument of each function */

  /* Writes the provider's manifest:
   * {"id", "name", "version", "description", "icon_svg", "schema": {field schema}}.
   * The field schema conforms to schemas/provider-field-schema.json. */
  sb_result_code (*describe)(void* instance, sb_buffer* out);

  /* Checks a config (a JSON object, already valid against the field schema) for what
   * the schema cannot say. Writes a JSON array of {"field", "code", "message"};
   * an empty array means the config is acceptable. */
  sb_result_code (*validate)(void* instance, const char* config_json, size_t config_size,
                             sb_buffer* out);

  /* Advances a credential probe by one step. The plugin opens no sockets: it asks the
   * host to perform HTTP requests and reads their responses.
   * Input: {"config": {...}, "state": <plugin's JSON or null>,
   *         "response": null | {"status", "headers": {lower-case name: value}, "body"}}
   * Output, either the next request
   *         {"request": {"method", "url", "headers": {...}, "body"}, "state": <any JSON>}
   * or the end of the probe
   *         {"result": {"outcome": "valid" | "invalid_credentials" | "missing_permission"
   *                                | "transient",
   *                     "reason", "message", "field", "retry_after_seconds",
   *                     "config_update": {fields to store}, "expires_at"}}.
   * The host handles transport failures (no HTTP response) itself as transient. */
  sb_result_code (*probe_step)(void* instance, const char* input_json, size_t input_size,
                               sb_buffer* out);

  /* Releases a buffer this plugin filled. Safe to call with an empty buffer. */
  void (*release)(void* instance, sb_buffer* buffer);

  /* Destroys the provider. Called once, after every other call has returned, before the
   * host unloads the library. */
  void (*destroy)(void* instance);

  /* --- added in ABI 1.1 --------------------------------------------------------------
   * A host reads these only when `struct_size` covers them (a 1.0 plugin's does not;
   * SB_PROVIDER_V1_0_SIZE is where they begin). */

  /* Advances the authorization of requests to the provider by one step, driven like
   * probe_step (the plugin opens no sockets).
   * Input: {"config": {...}, "state": <plugin's JSON or null>,
   *         "response": null | {"status", "headers": {lower-case name: value}, "body"}}
   * Output, exactly one of
   *         {"request": {"method", "url", "headers": {...}, "body"}, "state": <any JSON>}
   *             a request the host must make first (an OAuth2 refresh);
   *         {"authorization": {"headers": {lower-case name: value}, "query": {name: value},
   *                            "origins": [{"origin": "https://host[:port]", "base_path"}],
   *                            "expires_at": RFC 3339 | null, "config_update": {...}}}
   *             what to add to a request, and the only origins (under their base path)
   *             it may be sent to; the first origin is where proxied requests go;
   *         {"refused": {"outcome", "reason", "message", ...}}
   *             a probe result (not "valid") the host applies to the connection.
   * Fails with {"code": "provider_cannot_authorize"} when the provider has no way. */
  sb_result_code (*authorize_step)(void* instance, const char* input_json, size_t input_size,
                                   sb_buffer* out);

  /* Reads the provider's answer to a proxied request (the host asks only about an error
   * status). Input: {"config": {...}, "request": {"method", "url", "headers", "body"},
   *                  "response": {"status", "headers", "body"}}
   * Output: {"class": "fine" | "invalid_credentials" | "missing_permission" | "transient",
   *          "reason", "message"}. */
  sb_result_code (*classify_response)(void* instance, const char* input_json, size_t input_size,
                                      sb_buffer* out);

  /* New members go here, with the ABI version that added them. */
} sb_provider_v1;

/* The size of a provider table built against ABI 1.0: everything before authorize_step. */
#define SB_PROVIDER_V1_0_SIZE (offsetof(sb_provider_v1, authorize_step))

/*
 * The entry point every plugin exports as SB_PROVIDER_ENTRY_SYMBOL.
 * Called once per load, by the host's loading thread, before any other call.
 * Returns the provider, or NULL after writing a NUL-terminated UTF-8 reason into
 * `error` (host-owned, `error_capacity` bytes, truncated to fit).
 * The returned struct is owned by the plugin until `destroy` is called.
 * history: stable since 1.0
 */
typedef const sb_provider_v1* (*sb_provider_entry_fn)(const sb_host_v1* host, char* error,
                                                      size_t error_capacity);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_PROVIDER_ABI_H */
