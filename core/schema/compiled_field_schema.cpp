#include "schema/compiled_field_schema.hpp"

namespace switchboard {

using nlohmann::json;

Result<std::shared_ptr<const CompiledFieldSchema>> CompiledFieldSchema::Compile(const json& field_schema) {
  auto compiled = std::make_shared<CompiledFieldSchema>();
  compiled->schema_ = field_schema;
  json structural = field_schema;
  if (field_schema.contains("properties") && field_schema["properties"].is_object()) {
    for (auto it = field_schema["properties"].begin(); it != field_schema["properties"].end(); ++it) {
      auto rules = CompileFieldRules(it.value());
      if (!rules.ok()) {
        return Status::Error(rules.status().code(), "/properties/" + it.key() + "/" + rules.status().message());
      }
      compiled->rules_.emplace(it.key(), std::move(rules).value());
      structural["properties"][it.key()] = WithoutHostCheckedKeywords(it.value());
    }
  }
  auto valijson = CompiledSchema::Compile(structural);
  if (!valijson.ok()) return valijson.status();
  compiled->structural_ = std::move(valijson).value();
  return std::shared_ptr<const CompiledFieldSchema>(std::move(compiled));
}

const FieldRules* CompiledFieldSchema::Rules(const std::string& field) const {
  auto it = rules_.find(field);
  return it == rules_.end() ? nullptr : &it->second;
}

}  // namespace switchboard
