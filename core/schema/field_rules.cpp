#include "schema/field_rules.hpp"

#include <algorithm>

#include "schema/config_limits.hpp"
#include "common/rfc3339.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// valijson's strong types: an integer is a JSON integer, 3.0 is a number only.
bool HasType(const json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return true;  // untyped
}

Result<std::optional<Pattern>> OptionalPattern(const json& spec, const char* where) {
  if (!spec.is_object() || !spec.contains("pattern") || !spec["pattern"].is_string()) {
    return std::optional<Pattern>();
  }
  auto compiled = Pattern::Compile(spec["pattern"].get<std::string>());
  if (!compiled.ok()) return Status::Error(Code::kBadPattern, std::string(where) + ": " + compiled.status().message());
  return std::optional<Pattern>(std::move(compiled).value());
}

bool HasDuplicates(const json& array) {
  std::vector<const json*> items;
  items.reserve(array.size());
  for (const auto& item : array) items.push_back(&item);
  auto less = [](const json* a, const json* b) { return *a < *b; };
  std::sort(items.begin(), items.end(), less);
  for (size_t i = 1; i < items.size(); ++i) {
    if (*items[i - 1] == *items[i]) return true;
  }
  return false;
}

}  // namespace

Result<FieldRules> CompileFieldRules(const json& spec) {
  FieldRules rules;
  rules.type = spec.value("type", "");
  rules.date_time = spec.value("format", "") == "date-time";
  rules.unique_items = spec.value("uniqueItems", false);
  auto pattern = OptionalPattern(spec, "pattern");
  if (!pattern.ok()) return pattern.status();
  rules.pattern = std::move(pattern).value();
  if (spec.contains("items") && spec["items"].is_object()) {
    rules.item_type = spec["items"].value("type", "");
    auto item_pattern = OptionalPattern(spec["items"], "items/pattern");
    if (!item_pattern.ok()) return item_pattern.status();
    rules.item_pattern = std::move(item_pattern).value();
  }
  return rules;
}

std::vector<std::string> CheckFieldValue(const FieldRules& rules, const json& value, bool* withhold) {
  std::vector<std::string> codes;
  auto add = [&](const char* code) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  };
  *withhold = false;
  if (!HasType(value, rules.type)) {
    *withhold = true;
    return {"wrong_type"};
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > kMaxConfigStringBytes) {
      *withhold = true;
      return {"too_long"};
    }
    if (rules.pattern && !rules.pattern->Finds(text)) add("pattern_mismatch");
    if (rules.date_time && !IsRfc3339DateTime(text)) add("bad_format");
    return codes;
  }
  if (value.is_array()) {
    if (value.size() > kMaxConfigArrayItems) {
      *withhold = true;
      return {"too_many_items"};
    }
    for (const auto& item : value) {
      if (!HasType(item, rules.item_type)) {
        *withhold = true;
        add("wrong_type");
        continue;
      }
      if (!item.is_string()) continue;
      const auto& text = item.get_ref<const std::string&>();
      if (text.size() > kMaxConfigStringBytes) {
        *withhold = true;
        add("too_long");
      } else if (rules.item_pattern && !rules.item_pattern->Finds(text)) {
        add("pattern_mismatch");
      }
    }
    if (rules.unique_items && HasDuplicates(value)) add("duplicate_items");
  }
  return codes;
}

json WithoutHostCheckedKeywords(const json& spec) {
  json out = spec;
  if (!out.is_object()) return out;
  out.erase("pattern");
  out.erase("uniqueItems");
  if (out.value("format", "") == "date-time") out.erase("format");
  if (out.contains("items") && out["items"].is_object()) out["items"].erase("pattern");
  return out;
}

}  // namespace switchboard
