// Request bodies of POST /v1/providers/{id}/validate and of creating, updating and
// reconnecting a connection (and `switchboard validate` files): bytes parsed as the API
// parses a JSON body (api/router.cpp, Call::JsonBody: bounded JSON, 64 levels, any
// size up to --max-body), then checked against each built-in provider's field schema
// and by its plugin (schema/config_validator.hpp). Non-objects go on too: the CLI's
// validate passes whatever the file holds.
//
// Invariant: validation always answers with field errors; a failure (plugin_error) is a
// 500 to the client, so no body may cause one.
#include <limits>

#include <nlohmann/json.hpp>

#include "common/bounded_json.hpp"

#include "plugins/config_validation.hpp"
#include "support/builtin_plugins.hpp"

namespace {
std::vector<std::shared_ptr<const switchboard::LoadedProvider>> providers;
}

// Loaded before fuzzing starts, so libFuzzer counts the plugins' coverage from the start.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  providers = switchboard::fuzz::LoadBuiltinProviders();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr switchboard::JsonLimits kRequestLimits{std::numeric_limits<size_t>::max(), 64};
  auto parsed = switchboard::ParseBoundedJson(std::string_view(reinterpret_cast<const char*>(data), size),
                                              kRequestLimits);
  if (!parsed.ok()) return 0;
  const nlohmann::json& body = *parsed;
  for (const auto& provider : providers) {
    auto errors = switchboard::ValidateConfig(*provider, body);
    FUZZ_CHECK(errors.ok(), provider->id() + ": validation answers: " + errors.status().ToString());
    for (const auto& error : *errors) {
      FUZZ_CHECK(!error.code.empty() && !error.message.empty(),
                 provider->id() + ": every error has a code and a message");
    }
    // The API serializes the answer; that must not throw either.
    nlohmann::json answer = {{"valid", errors->empty()}, {"errors", *errors}};
    (void)answer.dump();
  }
  return 0;
}
