// A provider's field schema prepared once at load: the rules the host checks itself for
// each field (field_rules.hpp), and valijson's compiled copy of the schema without those
// keywords. Thread-safe after construction.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "schema/field_rules.hpp"
#include "schema/json_schema.hpp"

namespace switchboard {

class CompiledFieldSchema {
 public:
  // Fails with "bad_pattern" (message "/properties/<field>/pattern: ...") when a pattern
  // does not compile in RE2, or "schema_unusable" when valijson cannot compile the rest.
  static Result<std::shared_ptr<const CompiledFieldSchema>> Compile(const nlohmann::json& field_schema);

  const nlohmann::json& schema() const { return schema_; }
  // The rules of a declared field, nullptr for a name the schema does not declare.
  const FieldRules* Rules(const std::string& field) const;
  const CompiledSchema& structural() const { return *structural_; }

 private:
  nlohmann::json schema_;
  std::map<std::string, FieldRules> rules_;
  std::shared_ptr<const CompiledSchema> structural_;
};

}  // namespace switchboard
