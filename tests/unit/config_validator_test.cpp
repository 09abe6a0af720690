// CheckAgainstFieldSchema on a small inline schema: each error code, tied to its field,
// with a message a form can show beside that field.
#include "schema/config_validator.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "schema/field_schema_check.hpp"

namespace switchboard {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;

const json& Schema() {
  static const json schema = json::parse(R"json({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": false,
    "required": ["api_key", "region"],
    "x-order": ["api_key", "region", "port", "label", "scopes", "verbose"],
    "properties": {
      "api_key": {"type": "string", "title": "API key", "writeOnly": true, "format": "password",
                  "minLength": 8, "maxLength": 20},
      "region": {"type": "string", "title": "Region", "enum": ["eu", "us"]},
      "port": {"type": "integer", "title": "Port", "minimum": 1, "maximum": 65535},
      "label": {"type": "string", "title": "Label", "pattern": "^[a-z]+$", "x-placeholder": "sales"},
      "scopes": {"type": "array", "title": "Scopes", "minItems": 1, "uniqueItems": true,
                 "items": {"type": "string", "enum": ["read", "write"]}},
      "verbose": {"type": "boolean", "title": "Verbose logging"}
    }
  })json");
  return schema;
}

std::vector<FieldError> Check(const json& config) {
  static const auto compiled = [] {
    auto result = CompiledFieldSchema::Compile(Schema());
    REQUIRE(result.ok());
    return std::move(result).value();
  }();
  return CheckAgainstFieldSchema(*compiled, config);
}

// A valid config with one field replaced (or removed, for a null value).
json With(const std::string& field, const json& value) {
  json config = {{"api_key", "sk-12345678"}, {"region", "eu"},     {"port", 443},
                 {"label", "sales"},         {"scopes", {"read"}}, {"verbose", true}};
  if (value.is_null()) {
    config.erase(field);
  } else {
    config[field] = value;
  }
  return config;
}

// Requires exactly one error and returns it.
FieldError Single(const json& config) {
  auto errors = Check(config);
  for (const auto& e : errors) UNSCOPED_INFO(e.field << " " << e.code << " " << e.message);
  REQUIRE(errors.size() == 1);
  return errors.front();
}

TEST_CASE("the test schema is itself a valid field schema") {
  CHECK(CheckFieldSchema(Schema()).empty());
}

TEST_CASE("a valid config has no errors") {
  CHECK(Check(With("verbose", nullptr)).empty());
  CHECK(Check(With("label", nullptr)).empty());
}

TEST_CASE("not_an_object: the config must be a JSON object") {
  for (const json& config : {json::array({"eu"}), json("text"), json(nullptr), json(3)}) {
    INFO(config.dump());
    auto e = Single(config);
    CHECK(e.field.empty());
    CHECK(e.code == "not_an_object");
    CHECK_THAT(e.message, Contains("JSON object"));
  }
}

TEST_CASE("missing_required") {
  auto e = Single(With("api_key", nullptr));
  CHECK(e.field == "api_key");
  CHECK(e.code == "missing_required");
  CHECK(e.message == "API key is required.");
}

TEST_CASE("unknown_field") {
  auto e = Single(With("colour", "blue"));
  CHECK(e.field == "colour");
  CHECK(e.code == "unknown_field");
  CHECK_THAT(e.message, Contains("'colour'"));
}

TEST_CASE("wrong_type") {
  auto e = Single(With("port", "443"));
  CHECK(e.field == "port");
  CHECK(e.code == "wrong_type");
  CHECK_THAT(e.message, Contains("Port"));
  CHECK_THAT(e.message, Contains("must be an integer"));

  auto b = Single(With("verbose", "yes"));
  CHECK(b.field == "verbose");
  CHECK(b.code == "wrong_type");
  CHECK_THAT(b.message, Contains("Verbose logging"));
  CHECK_THAT(b.message, Contains("must be a boolean"));
}

TEST_CASE("pattern_mismatch names the placeholder as an example") {
  auto e = Single(With("label", "Sales!"));
  CHECK(e.field == "label");
  CHECK(e.code == "pattern_mismatch");
  CHECK_THAT(e.message, Contains("Label"));
  CHECK_THAT(e.message, Contains("sales"));
}

TEST_CASE("not_allowed_value lists the choices") {
  auto e = Single(With("region", "mars"));
  CHECK(e.field == "region");
  CHECK(e.code == "not_allowed_value");
  CHECK_THAT(e.message, Contains("Region"));
  CHECK_THAT(e.message, Contains("\"eu\", \"us\""));
}

TEST_CASE("not_allowed_value in an array item is reported on the array field") {
  auto e = Single(With("scopes", {"read", "delete"}));
  CHECK(e.field == "scopes");
  CHECK(e.code == "not_allowed_value");
  CHECK_THAT(e.message, Contains("Scopes"));
  CHECK_THAT(e.message, Contains("\"read\", \"write\""));
}

TEST_CASE("out_of_range gives the bounds") {
  for (int port : {0, 70000}) {
    INFO(port);
    auto e = Single(With("port", port));
    CHECK(e.field == "port");
    CHECK(e.code == "out_of_range");
    CHECK_THAT(e.message, Contains("Port"));
    CHECK_THAT(e.message, Contains("at least 1"));
    CHECK_THAT(e.message, Contains("at most 65535"));
  }
}

TEST_CASE("too_short") {
  auto e = Single(With("api_key", "sk-1"));
  CHECK(e.field == "api_key");
  CHECK(e.code == "too_short");
  CHECK_THAT(e.message, Contains("API key"));
  CHECK_THAT(e.message, Contains("8 characters"));
}

TEST_CASE("too_long") {
  auto e = Single(With("api_key", std::string(21, 'k')));
  CHECK(e.field == "api_key");
  CHECK(e.code == "too_long");
  CHECK_THAT(e.message, Contains("API key"));
  CHECK_THAT(e.message, Contains("20 characters"));
}

TEST_CASE("too_few_items") {
  auto e = Single(With("scopes", json::array()));
  CHECK(e.field == "scopes");
  CHECK(e.code == "too_few_items");
  CHECK_THAT(e.message, Contains("Scopes"));
}

TEST_CASE("duplicate_items") {
  auto e = Single(With("scopes", {"read", "read"}));
  CHECK(e.field == "scopes");
  CHECK(e.code == "duplicate_items");
  CHECK_THAT(e.message, Contains("Scopes"));
}

TEST_CASE("several problems are all reported, once each") {
  json config = {{"region", "mars"},
                 {"port", "80"},
                 {"label", "UPPER"},
                 {"scopes", json::array()},
                 {"colour", "blue"}};
  auto errors = Check(config);
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& e : errors) {
    UNSCOPED_INFO(e.field << " " << e.code << " " << e.message);
    CHECK(got.insert({e.field, e.code}).second);
  }
  const std::set<std::pair<std::string, std::string>> expected = {
      {"api_key", "missing_required"}, {"region", "not_allowed_value"}, {"port", "wrong_type"},
      {"label", "pattern_mismatch"},   {"scopes", "too_few_items"},     {"colour", "unknown_field"},
  };
  CHECK(got == expected);
}

}  // namespace
}  // namespace switchboard
