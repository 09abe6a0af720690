#include "schema/config_validator.hpp"

#include <set>
#include <utility>

#include "schema/config_limits.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// valijson's descriptions name the failed constraint; these are the ones a flat field
// schema can produce (see schemas/provider-field-schema.json).
std::string CodeFor(const std::string& description) {
  static const std::vector<std::pair<const char*, const char*>> kCodes = {
      {"Value type not permitted", "wrong_type"},
      {"Failed to match regex", "pattern_mismatch"},
      {"Failed to match against any enum values", "not_allowed_value"},
      {"'const' constraint", "not_allowed_value"},
      {"Expected number", "out_of_range"},
      {"String should be no fewer than", "too_short"},
      {"String should be no more than", "too_long"},
      {"Array should contain no fewer than", "too_few_items"},
      {"Array should contain no more than", "too_many_items"},
      {"violate uniqueness", "duplicate_items"},
      {"String should be a valid", "bad_format"},
  };
  for (const auto& [needle, code] : kCodes) {
    if (description.find(needle) != std::string::npos) return code;
  }
  return "invalid";
}

// The name quoted at the end of valijson's "... '<name>'." descriptions.
std::string QuotedName(const std::string& description) {
  auto end = description.rfind('\'');
  if (end == std::string::npos || end == 0) return "";
  auto start = description.rfind('\'', end - 1);
  if (start == std::string::npos) return "";
  return description.substr(start + 1, end - start - 1);
}

std::string TitleOf(const json& field_schema, const std::string& field) {
  const json& properties = field_schema["properties"];
  if (properties.contains(field)) return properties[field].value("title", field);
  return field;
}

std::string MessageFor(const json& field_schema, const std::string& field, const std::string& code) {
  if (field.empty()) return "The config could not be checked.";
  std::string title = TitleOf(field_schema, field);
  const json& properties = field_schema["properties"];
  const json spec = properties.contains(field) ? properties[field] : json::object();
  std::string example = spec.value("x-placeholder", "");
  if (code == "missing_required") return title + " is required.";
  if (code == "unknown_field") return "'" + field + "' is not a field of this provider.";
  if (code == "wrong_type") {
    const std::string type = spec.value("type", "value");
    const bool vowel = !type.empty() && std::string("aeiou").find(type[0]) != std::string::npos;
    return title + (vowel ? " must be an " : " must be a ") + type + ".";
  }
  if (code == "pattern_mismatch") {
    return title + " is not in the expected format" + (example.empty() ? "." : " (like " + example + ").");
  }
  if (code == "not_allowed_value") {
    std::string options;
    if (spec.contains("enum")) {
      for (const auto& v : spec["enum"]) options += (options.empty() ? "" : ", ") + v.dump();
    } else if (spec.contains("items") && spec["items"].contains("enum")) {
      for (const auto& v : spec["items"]["enum"]) options += (options.empty() ? "" : ", ") + v.dump();
    }
    return title + " must be one of: " + options + ".";
  }
  if (code == "out_of_range") {
    std::string range;
    if (spec.contains("minimum")) range += " at least " + spec["minimum"].dump();
    if (spec.contains("maximum")) range += std::string(range.empty() ? "" : " and") + " at most " + spec["maximum"].dump();
    return title + " must be" + range + ".";
  }
  if (code == "too_short") {
    return spec.value("minLength", 0) <= 1 ? title + " must not be empty."
                                           : title + " must be at least " + std::to_string(spec.value("minLength", 0)) + " characters.";
  }
  if (code == "too_long") {
    if (spec.contains("maxLength")) {
      return title + " must be at most " + std::to_string(spec.value("maxLength", 0)) + " characters.";
    }
    return title + " must be at most " + std::to_string(kMaxConfigStringBytes) + " bytes.";
  }
  if (code == "too_few_items") return title + " needs at least " + std::to_string(spec.value("minItems", 0)) + " entries.";
  if (code == "too_many_items") return title + " can list at most " + std::to_string(kMaxConfigArrayItems) + " entries.";
  if (code == "duplicate_items") return title + " lists an entry twice.";
  if (code == "bad_format") return title + " is not a valid " + spec.value("format", "value") + ".";
  return title + " is invalid.";
}

}  // namespace

std::vector<FieldError> CheckAgainstFieldSchema(const CompiledFieldSchema& schema, const json& config) {
  if (!config.is_object()) {
    return {{"", "not_an_object", "The config must be a JSON object of fields."}};
  }
  if (config.size() > kMaxConfigFields) {
    return {{"", "too_many_fields", "The config has more than " + std::to_string(kMaxConfigFields) + " fields."}};
  }
  const json& field_schema = schema.schema();
  std::vector<FieldError> errors;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& field, const std::string& code) {
    if (seen.insert({field, code}).second) {
      errors.push_back({field, code, MessageFor(field_schema, field, code)});
    }
  };

  // The host's own checks first. valijson sees only declared fields whose type and size
  // passed them: its format check throws on a value of the wrong type, and its pattern
  // and uniqueItems checks are what could crash or hang.
  json structural = json::object();
  for (auto it = config.begin(); it != config.end(); ++it) {
    const FieldRules* rules = schema.Rules(it.key());
    if (rules == nullptr) {
      add(it.key(), "unknown_field");
      continue;
    }
    bool withhold = false;
    for (const auto& code : CheckFieldValue(*rules, it.value(), &withhold)) add(it.key(), code);
    if (!withhold) structural[it.key()] = it.value();
  }

  for (const auto& violation : schema.structural().Validate(structural)) {
    const std::string& d = violation.description;
    if (violation.path.empty()) {
      if (d.rfind("Missing required property", 0) == 0) {
        const std::string field = QuotedName(d);
        // A withheld field is present, only already reported.
        if (!config.contains(field)) add(field, "missing_required");
      } else if (d.find("could not be validated using 'properties'") != std::string::npos) {
        add(QuotedName(d), "unknown_field");
      } else if (d == kValidationIncomplete) {
        add("", "invalid");
      }
      // Other root-level lines only summarise a field's own violation.
      continue;
    }
    const std::string& field = violation.path.front();
    // An array item's violation is reported on the array field itself; valijson's
    // "Failed to validate item #N" line at the array's own path only summarises it.
    if (d.rfind("Failed to validate item", 0) == 0) continue;
    add(field, CodeFor(d));
  }
  return errors;
}

}  // namespace switchboard
