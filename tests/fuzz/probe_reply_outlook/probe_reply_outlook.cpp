// Microsoft identity platform's replies to the token refresh and then Graph's to /me
// (seeds: the bodies of /work/shared/providers.md and tests/plugins/outlook) through the
// outlook plugin.
#include "support/builtin_plugins.hpp"
#include "support/probe_replies.hpp"

namespace {
std::shared_ptr<const switchboard::LoadedProvider> provider;
}

// Loaded before fuzzing starts, so libFuzzer counts the plugin's coverage from the start.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  provider = switchboard::fuzz::LoadBuiltinProvider("outlook");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json config = {
      {"tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
      {"client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"},
      {"client_secret", "Xy8Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456.-_"},
      {"refresh_token",
       "1.AXkAv4j5cvGGr0GRqy180BHbR3beMWemFK5Jl7xuumkUOR55AAA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P9"},
      {"scopes", {"offline_access", "User.Read", "Calendars.Read", "Mail.Read"}},
      {"authority_host", "https://login.microsoftonline.com"},
      {"graph_base", "https://graph.microsoft.com/v1.0"}};
  return switchboard::fuzz::FuzzProbeReplies(*provider, config, data, size);
}
