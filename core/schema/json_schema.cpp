#include "schema/json_schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace switchboard {
namespace {

// valijson writes each path element as "<root>", "[name]" or "[3]".
std::vector<std::string> CleanPath(const std::vector<std::string>& context) {
  std::vector<std::string> path;
  for (const auto& element : context) {
    if (element == "<root>") continue;
    if (element.size() >= 2 && element.front() == '[' && element.back() == ']') {
      std::string inner = element.substr(1, element.size() - 2);
      if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
        inner = inner.substr(1, inner.size() - 2);
      }
      path.push_back(inner);
    } else {
      path.push_back(element);
    }
  }
  return path;
}

}  // namespace

CompiledSchema::CompiledSchema() : schema_(std::make_unique<valijson::Schema>()) {}
CompiledSchema::~CompiledSchema() = default;

Result<std::shared_ptr<const CompiledSchema>> CompiledSchema::Compile(const nlohmann::json& schema) {
  std::shared_ptr<CompiledSchema> compiled(new CompiledSchema());
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled->schema_);
  } catch (const std::exception& e) {
    return Status::Error(Code::kSchemaUnusable, std::string("cannot compile schema: ") + e.what());
  }
  return std::shared_ptr<const CompiledSchema>(std::move(compiled));
}

std::vector<SchemaViolation> CompiledSchema::Validate(const nlohmann::json& document) const {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  try {
    validator.validate(*schema_, adapter, &results);
  } catch (const std::exception&) {
    // valijson throws on some values its own type checks let through (a format check
    // on a non-string); the document is then not known to conform.
    return {{{}, kValidationIncomplete}};
  }
  std::vector<SchemaViolation> violations;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    violations.push_back({CleanPath(error.context), error.description});
  }
  return violations;
}

}  // namespace switchboard
