// Trello's replies to GET /1/members/me (seeds: the bodies of /work/shared/providers.md
// and tests/plugins/trello) through the trello plugin's classifier.
#include "support/builtin_plugins.hpp"
#include "support/probe_replies.hpp"

namespace {
std::shared_ptr<const switchboard::LoadedProvider> provider;
}

// Loaded before fuzzing starts, so libFuzzer counts the plugin's coverage from the start.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  provider = switchboard::fuzz::LoadBuiltinProvider("trello");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json config = {
      {"api_key", "a1b2c3d4e5f60718293a4b5c6d7e8f90"},
      {"token", "ATTA9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544332211ffeeddccbbaa00E1F2A3B4"},
      {"base_url", "https://api.trello.com/1"}};
  return switchboard::fuzz::FuzzProbeReplies(*provider, config, data, size);
}
