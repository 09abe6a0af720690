// Google's replies to the token refresh and then to calendarList (seeds: the bodies of
// /work/shared/providers.md and tests/plugins/google_calendar) through the plugin.
#include "support/builtin_plugins.hpp"
#include "support/probe_replies.hpp"

namespace {
std::shared_ptr<const switchboard::LoadedProvider> provider;
}

// Loaded before fuzzing starts, so libFuzzer counts the plugin's coverage from the start.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  provider = switchboard::fuzz::LoadBuiltinProvider("google_calendar");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json config = {
      {"client_id", "123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com"},
      {"client_secret", "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"},
      {"refresh_token", "1//0gXyZ-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWxYz"},
      {"scopes", {"https://www.googleapis.com/auth/calendar.readonly"}},
      {"token_uri", "https://oauth2.googleapis.com/token"},
      {"api_base", "https://www.googleapis.com/calendar/v3"}};
  return switchboard::fuzz::FuzzProbeReplies(*provider, config, data, size);
}
