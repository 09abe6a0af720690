// OpenAI's replies to GET /v1/models (seeds: the bodies of /work/shared/providers.md and
// tests/plugins/openai/probe_test.cpp) through the openai plugin's classifier.
#include "support/builtin_plugins.hpp"
#include "support/probe_replies.hpp"

namespace {
std::shared_ptr<const switchboard::LoadedProvider> provider;
}

// Loaded before fuzzing starts, so libFuzzer counts the plugin's coverage from the start.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  provider = switchboard::fuzz::LoadBuiltinProvider("openai");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json config = {
      {"api_key", "sk-proj-Xq3T9vLmZ2kP8rW4yB6nH1sJ5dF7gC0aE2iU9oR3tY6wQ8zK4xV1bN7mL5pA0cSfG2hJ4k"},
      {"organization", "org-AbCdEfGhIjKlMnOpQrStUvWx"},
      {"project", "proj_q1W2e3R4t5Y6u7I8o9P0"},
      {"base_url", "https://api.openai.com/v1"}};
  return switchboard::fuzz::FuzzProbeReplies(*provider, config, data, size);
}
