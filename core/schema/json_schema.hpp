// A JSON Schema (draft-07) compiled once and applied many times, backed by valijson.
// Thread-safe after construction: Validate may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace valijson {
class Schema;
}

namespace switchboard {

// One violation: where in the document (property names and array indexes from the root)
// and valijson's description of it.
struct SchemaViolation {
  std::vector<std::string> path;
  std::string description;
};

// The description of the one violation Validate reports when valijson could not finish.
inline constexpr const char* kValidationIncomplete = "Validation could not be completed";

class CompiledSchema {
 public:
  // Compiles `schema`; fails with code "schema_unusable" when valijson cannot parse it.
  static Result<std::shared_ptr<const CompiledSchema>> Compile(const nlohmann::json& schema);

  // Every violation of `document`, innermost first, empty when it conforms.
  std::vector<SchemaViolation> Validate(const nlohmann::json& document) const;

  ~CompiledSchema();

 private:
  CompiledSchema();
  std::unique_ptr<valijson::Schema> schema_;
};

}  // namespace switchboard
