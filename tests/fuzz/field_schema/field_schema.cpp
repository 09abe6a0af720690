// Field schemas as a plugin declares them (the "schema" of its manifest): checked as the
// loader checks them (schema/field_schema_check.hpp), and when accepted, compiled
// (CompiledFieldSchema: RE2 patterns, host-checked rules, valijson for the rest) and
// used to check a config made of the schema's own defaults and placeholders, as the
// host then would for every request.
//
// Invariant: a schema the check accepts compiles (the loader refuses it otherwise, but
// the check is meant to be the whole rule).
#include <nlohmann/json.hpp>

#include "schema/config_validator.hpp"
#include "schema/field_schema_check.hpp"
#include "schema/compiled_field_schema.hpp"
#include "support/fuzz_check.hpp"

namespace {

using nlohmann::json;

// {field: default or placeholder} for every property that has one.
json SampleConfig(const json& schema) {
  json config = json::object();
  if (!schema.contains("properties") || !schema["properties"].is_object()) return config;
  for (const auto& [name, spec] : schema["properties"].items()) {
    if (!spec.is_object()) continue;
    if (spec.contains("default")) {
      config[name] = spec["default"];
    } else if (spec.contains("x-placeholder")) {
      config[name] = spec["x-placeholder"];
    }
  }
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json schema = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (schema.is_discarded()) return 0;
  if (!switchboard::CheckFieldSchema(schema).empty()) return 0;
  auto compiled = switchboard::CompiledFieldSchema::Compile(schema);
  FUZZ_CHECK(compiled.ok(), "an accepted field schema compiles: " + compiled.status().ToString());
  for (const json& config : {json::object(), SampleConfig(schema)}) {
    auto errors = switchboard::CheckAgainstFieldSchema(**compiled, config);
    for (const auto& error : errors) FUZZ_CHECK(!error.code.empty(), "every error has a code");
    (void)json(errors).dump();
  }
  return 0;
}
