// A provider plugin whose describe returns whatever bytes the plugin_manifest harness
// set last, so the harness drives the host's real loader (LoadPlugin) with fuzzed
// manifests. Written against the C ABI: the SDK would refuse to emit invalid JSON.
#include <cstring>
#include <string>

#include <switchboard/provider_abi.h>

namespace {

std::string manifest;  // set by sb_fuzz_set_manifest; one harness thread only

char* Copy(const std::string& text, size_t& size) {
  size = text.size();
  char* data = new char[text.size() + 1];
  std::memcpy(data, text.data(), text.size());
  return data;
}

sb_result_code Describe(void*, sb_buffer* out) {
  out->data = Copy(manifest, out->size);
  return SB_OK;
}

sb_result_code Validate(void*, const char*, size_t, sb_buffer* out) {
  out->data = Copy("[]", out->size);
  return SB_OK;
}

sb_result_code ProbeStep(void*, const char*, size_t, sb_buffer* out) {
  out->data = Copy(R"({"result":{"outcome":"valid","reason":"ok","message":"ok"}})", out->size);
  return SB_OK;
}

void Release(void*, sb_buffer* buffer) {
  delete[] buffer->data;
  buffer->data = nullptr;
  buffer->size = 0;
}

void Destroy(void*) {}

// No authorize_step or classify_response: the harness fuzzes manifests only.
sb_provider_v1 table = {SB_ABI_VERSION, sizeof(sb_provider_v1), nullptr,  &Describe, &Validate,
                        &ProbeStep,     &Release,                &Destroy, nullptr,   nullptr};

}  // namespace

extern "C" SB_EXPORT void sb_fuzz_set_manifest(const char* data, size_t size) {
  manifest.assign(data, size);
}

extern "C" SB_EXPORT const sb_provider_v1* sb_provider_entry(const sb_host_v1*, char*, size_t) {
  return &table;
}
