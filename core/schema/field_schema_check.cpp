#include "schema/field_schema_check.hpp"

#include <set>

#include "schema/compiled_field_schema.hpp"
#include "schema/config_validator.hpp"
#include "schema/json_schema.hpp"
#include "schema/meta_schema.hpp"
#include "schema/pattern.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

const CompiledSchema& MetaSchema() {
  static const std::shared_ptr<const CompiledSchema> compiled = [] {
    auto result = CompiledSchema::Compile(json::parse(ProviderFieldMetaSchemaText()));
    if (!result.ok()) throw std::logic_error("built-in meta-schema: " + result.status().message());
    return std::move(result).value();
  }();
  return *compiled;
}

std::string JoinPath(const std::vector<std::string>& path) {
  std::string out = "/";
  for (size_t i = 0; i < path.size(); ++i) out += (i ? "/" : "") + path[i];
  return out;
}

// No array in the schema (an enum, x-order...) longer than this, no more fields than that.
constexpr size_t kMaxSchemaArrayItems = 1000;
constexpr size_t kMaxSchemaFields = 256;

void CheckSizes(const json& value, const std::string& where, std::vector<std::string>& problems) {
  if (value.is_array() && value.size() > kMaxSchemaArrayItems) {
    problems.push_back((where.empty() ? "/" : where) + ": has more than " + std::to_string(kMaxSchemaArrayItems) +
                       " entries");
    return;
  }
  if (where.empty() && value.is_object() && value.contains("properties") && value["properties"].is_object() &&
      value["properties"].size() > kMaxSchemaFields) {
    problems.push_back("/properties: has more than " + std::to_string(kMaxSchemaFields) + " fields");
    return;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) CheckSizes(it.value(), where + "/" + it.key(), problems);
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) CheckSizes(value[i], where + "/" + std::to_string(i), problems);
  }
}

// The rules that JSON Schema cannot express about the schema itself.
void CheckSemantics(const json& schema, std::vector<std::string>& problems) {
  const json& properties = schema["properties"];
  std::set<std::string> names;
  for (auto it = properties.begin(); it != properties.end(); ++it) names.insert(it.key());

  std::set<std::string> ordered;
  for (const auto& name : schema["x-order"]) {
    if (!names.count(name.get<std::string>())) {
      problems.push_back("/x-order: names unknown field '" + name.get<std::string>() + "'");
    }
    ordered.insert(name.get<std::string>());
  }
  for (const auto& name : names) {
    if (!ordered.count(name)) problems.push_back("/x-order: field '" + name + "' is missing");
  }

  if (schema.contains("required")) {
    for (const auto& name : schema["required"]) {
      if (!names.count(name.get<std::string>())) {
        problems.push_back("/required: names unknown field '" + name.get<std::string>() + "'");
      }
    }
  }

  std::set<std::string> groups;
  if (schema.contains("x-groups")) {
    for (const auto& group : schema["x-groups"]) {
      if (!groups.insert(group["id"].get<std::string>()).second) {
        problems.push_back("/x-groups: group '" + group["id"].get<std::string>() + "' is declared twice");
      }
    }
  }

  for (auto it = properties.begin(); it != properties.end(); ++it) {
    const std::string where = "/properties/" + it.key();
    const json& field = it.value();
    if (field.contains("x-group") && !groups.count(field["x-group"].get<std::string>())) {
      problems.push_back(where + "/x-group: group '" + field["x-group"].get<std::string>() +
                         "' is not declared in x-groups");
    }
    // Patterns run on RE2 (see schema/pattern.hpp): one RE2 cannot compile is refused.
    bool patterns_ok = true;
    for (const auto& [spec, at] : {std::pair<const json*, std::string>{&field, "/pattern"},
                                   {field.contains("items") ? &field["items"] : nullptr, "/items/pattern"}}) {
      if (spec == nullptr || !spec->contains("pattern")) continue;
      if (!Pattern::Compile((*spec)["pattern"].get<std::string>()).ok()) {
        problems.push_back(where + at + ": is not a valid regular expression (RE2 syntax: no lookaround or backreferences)");
        patterns_ok = false;
      }
    }
    if (field.contains("default") && patterns_ok) {
      // The default is checked as a config holding only this field would be.
      json alone = {{"$schema", "http://json-schema.org/draft-07/schema#"},
                    {"type", "object"},
                    {"additionalProperties", false},
                    {"properties", {{it.key(), field}}},
                    {"x-order", json::array({it.key()})}};
      alone["properties"][it.key()].erase("default");
      auto compiled = CompiledFieldSchema::Compile(alone);
      if (compiled.ok() && !CheckAgainstFieldSchema(**compiled, {{it.key(), field["default"]}}).empty()) {
        problems.push_back(where + "/default: does not satisfy the field's own schema");
      }
      if (field.value("writeOnly", false)) {
        problems.push_back(where + "/default: a secret field cannot have a default");
      }
    }
  }
}

}  // namespace

std::vector<std::string> CheckFieldSchema(const json& schema) {
  std::vector<std::string> problems;
  // First the sizes: the meta-schema's uniqueItems compares every pair of entries.
  CheckSizes(schema, "", problems);
  if (!problems.empty()) return problems;
  for (const auto& violation : MetaSchema().Validate(schema)) {
    problems.push_back(JoinPath(violation.path) + ": " + violation.description);
  }
  if (!problems.empty()) return problems;
  CheckSemantics(schema, problems);
  if (problems.empty() && !CompiledFieldSchema::Compile(schema).ok()) {
    problems.push_back("/: valijson cannot compile this schema");
  }
  return problems;
}

}  // namespace switchboard
