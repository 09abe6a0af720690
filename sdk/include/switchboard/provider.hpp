// The C++ layer for provider plugin authors.
//
// A provider is one class derived from switchboard::Provider plus one line,
// SWITCHBOARD_PROVIDER(MyProvider), in one .cpp file of the plugin. The macro writes the
// exported C entry point of <switchboard/provider_abi.h> and trampolines that turn every
// C++ exception into an error result, so nothing unwinds into the host.
//
// Header-only; depends on nlohmann/json (values are JSON on the wire, never across the
// boundary as C++ objects). See docs/plugin-guide.md for a walk-through.
#ifndef SWITCHBOARD_PROVIDER_HPP
#define SWITCHBOARD_PROVIDER_HPP

#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchboard/authorize.hpp"
#include "switchboard/probe.hpp"
#include "switchboard/provider_abi.h"

namespace switchboard {

using Json = nlohmann::json;

// One problem with one field of a config, for a form to show beside that field.
// `field` is the property name ("" for the config as a whole); `code` is a stable
// machine-readable word such as "missing_required" or "bad_prefix".
struct FieldError {
  std::string field;
  std::string code;
  std::string message;
};

inline void to_json(Json& j, const FieldError& e) {
  j = Json{{"field", e.field}, {"code", e.code}, {"message", e.message}};
}
inline void from_json(const Json& j, FieldError& e) {
  e.field = j.value("field", "");
  e.code = j.value("code", "");
  e.message = j.value("message", "");
}

// What a provider declares about itself. `schema` is a JSON Schema draft-07 object that
// conforms to schemas/provider-field-schema.json.
struct Manifest {
  std::string id;           // lower-case, [a-z][a-z0-9_]*; unique among loaded plugins
  std::string name;         // display name, e.g. "Google Calendar"
  std::string version;      // the plugin's own semantic version, e.g. "1.2.0"
  std::string description;  // one sentence for the provider dropdown
  std::string icon_svg;     // a complete <svg> element, shown beside the name
  Json schema;
};

inline void to_json(Json& j, const Manifest& m) {
  j = Json{{"id", m.id},
           {"name", m.name},
           {"version", m.version},
           {"description", m.description},
           {"icon_svg", m.icon_svg},
           {"schema", m.schema}};
}

// The base class of every provider.
//
// THREADS: the host calls Describe, Validate and Probe from several threads at once on
// one instance, so they are const and must not touch unsynchronized mutable state.
// LIFETIME: constructed once per load by the entry point (throwing from the constructor
// refuses the plugin with the exception's message), destroyed before the library is
// unloaded.
class Provider {
 public:
  virtual ~Provider() = default;

  // Required. Called once at load time; the result is cached by the host.
  virtual Manifest Describe() const = 0;

  // Optional. Checks that the schema cannot express, on a config that already passed the
  // schema. Return every problem, not just the first. Default: none.
  virtual std::vector<FieldError> Validate(const Json& config) const {
    (void)config;
    return {};
  }

  // Required. One step of the credential probe: return the next HTTP request for the
  // host to perform (ProbeStep::Send) or the verdict (ProbeStep::Finish). `input.response`
  // is null on the first step. See <switchboard/probe.hpp>.
  virtual ProbeStep Probe(const ProbeInput& input) const = 0;

  // Optional (ABI 1.1). One step of authorizing requests to the provider: the request
  // the host must make first (AuthorizeStep::Send, an OAuth2 refresh), the headers and
  // query parameters to add with the origins they may go to (Grant), or why the
  // credentials cannot be used (Refuse). See <switchboard/authorize.hpp>. Default: this
  // provider cannot say, and the host refuses to proxy for it.
  virtual AuthorizeStep Authorize(const AuthorizeInput& input) const {
    (void)input;
    throw PluginError("provider_cannot_authorize", "this provider does not say how its credentials are applied");
  }

  // Optional (ABI 1.1). What the provider's error answer to a proxied request says about
  // the credentials. Default: ClassifyByStatus (401, 403, 429 and 5xx).
  virtual Classification ClassifyResponse(const ClassifyInput& input) const {
    return ClassifyByStatus(input.response.status);
  }

 protected:
  // Writes a line to the host's log. Never log a secret.
  void Log(sb_log_level level, std::string_view message) const {
    if (host_ != nullptr && host_->log != nullptr) {
      host_->log(host_->context, level, message.data(), message.size());
    }
  }

 private:
  template <typename P>
  friend const sb_provider_v1* RegisterProvider(const sb_host_v1*, char*, size_t) noexcept;
  const sb_host_v1* host_ = nullptr;
};

namespace detail {

inline void WriteBuffer(sb_buffer* out, std::string_view text) noexcept {
  out->data = nullptr;
  out->size = 0;
  if (text.empty()) return;
  char* data = new (std::nothrow) char[text.size()];
  if (data == nullptr) return;
  std::memcpy(data, text.data(), text.size());
  out->data = data;
  out->size = text.size();
}

inline void WriteError(sb_buffer* out, std::string_view code, std::string_view message) noexcept {
  try {
    WriteBuffer(out, Json{{"code", code}, {"message", message}}.dump(-1, ' ', false,
                                                                      Json::error_handler_t::replace));
  } catch (...) {
    WriteBuffer(out, R"({"code":"out_of_memory","message":"out of memory"})");
  }
}

// Runs `produce` (which returns the JSON text to hand back) and turns any exception into
// an SB_ERROR result, because an exception must never cross the C boundary.
template <typename Produce>
sb_result_code Guard(sb_buffer* out, Produce&& produce) noexcept {
  try {
    WriteBuffer(out, produce());
    return SB_OK;
  } catch (const PluginError& e) {
    WriteError(out, e.code(), e.what());
  } catch (const Json::exception& e) {
    WriteError(out, "json_error", e.what());
  } catch (const std::exception& e) {
    WriteError(out, "exception", e.what());
  } catch (...) {
    WriteError(out, "exception", "unknown exception");
  }
  return SB_ERROR;
}

inline void CopyError(char* error, size_t capacity, std::string_view message) noexcept {
  if (error == nullptr || capacity == 0) return;
  size_t n = message.size() < capacity - 1 ? message.size() : capacity - 1;
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

struct Instance {
  std::unique_ptr<Provider> provider;
  sb_provider_v1 table{};
};

inline Provider& ProviderOf(void* instance) { return *static_cast<Instance*>(instance)->provider; }

inline sb_result_code Describe(void* instance, sb_buffer* out) noexcept {
  return Guard(out, [&] { return Json(ProviderOf(instance).Describe()).dump(); });
}

inline sb_result_code Validate(void* instance, const char* config, size_t size,
                               sb_buffer* out) noexcept {
  return Guard(out, [&] {
    Json parsed = Json::parse(std::string_view(config, size));
    return Json(ProviderOf(instance).Validate(parsed)).dump();
  });
}

inline sb_result_code ProbeStepTrampoline(void* instance, const char* input, size_t size,
                                          sb_buffer* out) noexcept {
  return Guard(out, [&] {
    Json parsed = Json::parse(std::string_view(input, size));
    static const Json kNull = nullptr;
    const Json& config = parsed.contains("config") ? parsed["config"] : kNull;
    const Json& state = parsed.contains("state") ? parsed["state"] : kNull;
    HttpResponse response;
    bool has_response = parsed.contains("response") && parsed["response"].is_object();
    if (has_response) response = parsed["response"].get<HttpResponse>();
    ProbeInput probe_input{config, state, has_response ? &response : nullptr};
    return ProviderOf(instance).Probe(probe_input).ToJson().dump();
  });
}

// The optional input member `name` of `parsed`, or null.
inline const Json& MemberOrNull(const Json& parsed, const char* name) {
  static const Json kNull = nullptr;
  auto it = parsed.find(name);
  return it == parsed.end() ? kNull : *it;
}

inline sb_result_code AuthorizeStepTrampoline(void* instance, const char* input, size_t size,
                                              sb_buffer* out) noexcept {
  return Guard(out, [&] {
    Json parsed = Json::parse(std::string_view(input, size));
    HttpResponse response;
    const Json& given = MemberOrNull(parsed, "response");
    if (given.is_object()) response = given.get<HttpResponse>();
    AuthorizeInput authorize_input{MemberOrNull(parsed, "config"), MemberOrNull(parsed, "state"),
                                   given.is_object() ? &response : nullptr};
    return ProviderOf(instance).Authorize(authorize_input).ToJson().dump();
  });
}

inline sb_result_code ClassifyResponseTrampoline(void* instance, const char* input, size_t size,
                                                 sb_buffer* out) noexcept {
  return Guard(out, [&] {
    Json parsed = Json::parse(std::string_view(input, size));
    const HttpRequest request = MemberOrNull(parsed, "request").is_object() ? parsed["request"].get<HttpRequest>()
                                                                            : HttpRequest{};
    const HttpResponse response = parsed.at("response").get<HttpResponse>();
    ClassifyInput classify_input{MemberOrNull(parsed, "config"), request, response};
    return ProviderOf(instance).ClassifyResponse(classify_input).ToJson().dump();
  });
}

inline void Release(void*, sb_buffer* buffer) noexcept {
  if (buffer == nullptr) return;
  delete[] buffer->data;
  buffer->data = nullptr;
  buffer->size = 0;
}

inline void Destroy(void* instance) noexcept { delete static_cast<Instance*>(instance); }

}  // namespace detail

// Builds the C table for provider type P. Used by SWITCHBOARD_PROVIDER; call it yourself
// only when writing the entry point by hand.
template <typename P>
const sb_provider_v1* RegisterProvider(const sb_host_v1* host, char* error,
                                       size_t error_capacity) noexcept {
  if (host == nullptr || host->struct_size < sizeof(uint32_t) * 2) {
    detail::CopyError(error, error_capacity, "no host table given");
    return nullptr;
  }
  const uint32_t host_major = SB_ABI_VERSION_MAJOR_OF(host->abi_version);
  const uint32_t host_minor = SB_ABI_VERSION_MINOR_OF(host->abi_version);
  if (host_major != SB_ABI_VERSION_MAJOR || host_minor < SB_ABI_VERSION_MINOR) {
    detail::CopyError(error, error_capacity,
                      "host ABI " + std::to_string(host_major) + "." + std::to_string(host_minor) +
                          " cannot run a plugin built for ABI " +
                          std::to_string(SB_ABI_VERSION_MAJOR) + "." +
                          std::to_string(SB_ABI_VERSION_MINOR));
    return nullptr;
  }
  try {
    auto instance = std::make_unique<detail::Instance>();
    instance->provider = std::make_unique<P>();
    instance->provider->host_ = host;
    sb_provider_v1& table = instance->table;
    table.abi_version = SB_ABI_VERSION;
    table.struct_size = sizeof(sb_provider_v1);
    table.instance = instance.get();
    table.describe = &detail::Describe;
    table.validate = &detail::Validate;
    table.probe_step = &detail::ProbeStepTrampoline;
    table.release = &detail::Release;
    table.destroy = &detail::Destroy;
    table.authorize_step = &detail::AuthorizeStepTrampoline;
    table.classify_response = &detail::ClassifyResponseTrampoline;
    return &instance.release()->table;
  } catch (const std::exception& e) {
    detail::CopyError(error, error_capacity, std::string("provider constructor threw: ") + e.what());
  } catch (...) {
    detail::CopyError(error, error_capacity, "provider constructor threw an unknown exception");
  }
  return nullptr;
}

}  // namespace switchboard

// Exports the plugin's entry point for provider class `ProviderClass`. Use once per plugin,
// at namespace scope in one .cpp file.
#define SWITCHBOARD_PROVIDER(ProviderClass)                                                \
  extern "C" SB_EXPORT const sb_provider_v1* sb_provider_entry(                            \
      const sb_host_v1* host, char* error, size_t error_capacity) {                        \
    return ::switchboard::RegisterProvider<ProviderClass>(host, error, error_capacity);    \
  }

#endif  // SWITCHBOARD_PROVIDER_HPP
