// The meta-schema and the semantic rules against the example schemas in
// schemas/examples/: every valid example passes CheckFieldSchema, every invalid one fails
// with a problem naming what is wrong. The invalid examples cannot carry their expectation
// themselves (the meta-schema forbids unknown keys), so the table below does.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "schema/field_schema_check.hpp"

namespace switchboard {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kExamples = fs::path(SWITCHBOARD_SOURCE_DIR) / "schemas" / "examples";

json ReadJson(const fs::path& file) {
  std::ifstream in(file);
  REQUIRE(in);
  return json::parse(in);
}

std::set<std::string> ExampleStems(const fs::path& dir) {
  std::set<std::string> stems;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") stems.insert(entry.path().stem().string());
  }
  return stems;
}

std::string Joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

// invalid/<stem>.json -> a substring one of its problems must contain.
const std::map<std::string, std::string> kExpectedProblem = {
    {"missing_x_order", "/: Missing required property 'x-order'"},
    {"open_object", "/additionalProperties: Failed to match expected value set by 'const'"},
    {"unknown_top_level_keyword", "'$comment'"},
    {"wrong_dialect", "/$schema: Failed to match expected value set by 'const'"},
    {"no_properties", "/properties: "},
    {"field_without_title", "/properties/name: Missing required property 'title'"},
    {"uppercase_field_name",
     "/: Failed to validate against schema associated with property name 'properties'"},
    {"object_field", "/properties/nested/type: Failed to match against any enum values"},
    {"unknown_field_keyword", "'x-colour'"},
    {"secret_without_password", "/properties/token: Missing required property 'format'"},
    {"password_not_write_only", "/properties/token: Missing required property 'writeOnly'"},
    {"array_without_items", "/properties/tags: Missing required property 'items'"},
    {"help_url_not_https", "/properties/name/x-help-url: Failed to match regex"},
    {"x_order_missing_field", "/x-order: field 'team' is missing"},
    {"x_order_unknown_field", "/x-order: names unknown field 'team'"},
    {"required_unknown_field", "/required: names unknown field 'tenant'"},
    {"undeclared_group", "/properties/name/x-group: group 'advanced' is not declared in x-groups"},
    {"group_declared_twice", "/x-groups: group 'main' is declared twice"},
    {"bad_regex", "/properties/name/pattern: is not a valid regular expression"},
    {"default_violates_pattern",
     "/properties/region/default: does not satisfy the field's own schema"},
    {"default_wrong_type", "/properties/port/default: does not satisfy the field's own schema"},
    {"secret_with_default", "/properties/token/default: a secret field cannot have a default"},
    {"secret_as_destination",
     "/properties/token/x-credential-destination: a secret field cannot be a credential destination"},
    {"destination_not_boolean", "/properties/endpoint/x-credential-destination: "},
};

TEST_CASE("every valid example schema passes") {
  const auto stems = ExampleStems(kExamples / "valid");
  REQUIRE(stems.size() >= 2);
  for (const auto& stem : stems) {
    INFO("valid/" << stem << ".json");
    auto problems = CheckFieldSchema(ReadJson(kExamples / "valid" / (stem + ".json")));
    INFO(Joined(problems));
    CHECK(problems.empty());
  }
}

TEST_CASE("every invalid example schema fails with the expected problem") {
  const auto stems = ExampleStems(kExamples / "invalid");
  for (const auto& stem : stems) {
    INFO("invalid/" << stem << ".json");
    auto expected = kExpectedProblem.find(stem);
    // A new invalid example needs its expectation in the table.
    REQUIRE(expected != kExpectedProblem.end());
    auto problems = CheckFieldSchema(ReadJson(kExamples / "invalid" / (stem + ".json")));
    INFO(Joined(problems));
    REQUIRE_FALSE(problems.empty());
    CHECK_THAT(Joined(problems), Catch::Matchers::Contains(expected->second));
  }
  for (const auto& [stem, problem] : kExpectedProblem) {
    INFO("the table names invalid/" << stem << ".json, which does not exist");
    CHECK(stems.count(stem) == 1);
  }
}

}  // namespace
}  // namespace switchboard
