#include "schema/field_schema_check.hpp"

#include <regex>
#include <set>

#include "schema/json_schema.hpp"
#include "schema/meta_schema.hpp"

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
    for (const char* key : {"pattern"}) {
      if (!field.contains(key)) continue;
      try {
        std::regex compiled(field[key].get<std::string>(), std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        problems.push_back(where + "/pattern: is not a valid regular expression");
      }
    }
    if (field.contains("default")) {
      json single = {{"$schema", "http://json-schema.org/draft-07/schema#"}};
      for (auto k = field.begin(); k != field.end(); ++k) {
        if (k.key().rfind("x-", 0) != 0 && k.key() != "default") single[k.key()] = k.value();
      }
      auto compiled = CompiledSchema::Compile(single);
      if (compiled.ok() && !(*compiled)->Validate(field["default"]).empty()) {
        problems.push_back(where + "/default: does not satisfy the field's own schema");
      }
      if (field.value("writeOnly", false)) {
        problems.push_back(where + "/default: a secret field cannot have a default");
      }
    }
    if (field.value("x-credential-destination", false) && field.value("writeOnly", false)) {
      problems.push_back(where + "/x-credential-destination: a secret field cannot be a credential destination");
    }
  }
}

}  // namespace

std::vector<std::string> CheckFieldSchema(const json& schema) {
  std::vector<std::string> problems;
  for (const auto& violation : MetaSchema().Validate(schema)) {
    problems.push_back(JoinPath(violation.path) + ": " + violation.description);
  }
  if (!problems.empty()) return problems;
  CheckSemantics(schema, problems);
  if (problems.empty() && !CompiledSchema::Compile(schema).ok()) {
    problems.push_back("/: valijson cannot compile this schema");
  }
  return problems;
}

}  // namespace switchboard
