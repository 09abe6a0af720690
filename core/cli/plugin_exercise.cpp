#include "cli/plugin_exercise.hpp"

namespace switchboard::cli {
namespace {

using nlohmann::json;

json ValueOfType(const json& field) {
  const std::string type = field.value("type", "string");
  if (field.contains("enum") && field["enum"].is_array() && !field["enum"].empty()) return field["enum"][0];
  if (type == "boolean") return false;
  if (type == "integer" || type == "number") return field.value("minimum", 1);
  if (type == "array") return json::array();
  if (field.value("format", "") == "uri") return "https://example.com";
  return std::string(std::max<size_t>(field.value("minLength", size_t{1}), size_t{1}), 'x');
}

ExerciseStep Failed(std::string name, const Status& status) {
  return {std::move(name), false, status.message() + " [" + status.code_name() + "]"};
}

std::string ErrorsText(const std::vector<FieldError>& errors) {
  if (errors.empty()) return "no errors";
  std::string text;
  for (const auto& e : errors) text += (text.empty() ? "" : ", ") + e.field + ": " + e.code;
  return text;
}

std::string StepText(const ProbeStep& step) {
  if (step.finished()) {
    return "verdict " + std::string(OutcomeName(step.result()->outcome)) + " (" + step.result()->reason + ")";
  }
  return "asks for " + step.request()->method + " " + step.request()->url;
}

}  // namespace

json SampleConfig(const json& field_schema) {
  json config = json::object();
  if (!field_schema.contains("properties")) return config;
  for (auto it = field_schema["properties"].begin(); it != field_schema["properties"].end(); ++it) {
    const json& field = it.value();
    if (field.contains("default")) {
      config[it.key()] = field["default"];
    } else if (field.contains("examples") && field["examples"].is_array() && !field["examples"].empty()) {
      config[it.key()] = field["examples"][0];
    } else if (field.contains("x-placeholder") && field.value("type", "") == "string") {
      config[it.key()] = field["x-placeholder"];
    } else {
      config[it.key()] = ValueOfType(field);
    }
  }
  return config;
}

std::vector<ExerciseStep> ExercisePlugin(const LoadedProvider& provider) {
  std::vector<ExerciseStep> steps;
  auto validate = [&](const std::string& name, const json& config) {
    auto errors = provider.ValidateWithPlugin(config);
    steps.push_back(errors.ok() ? ExerciseStep{name, true, ErrorsText(*errors)} : Failed(name, errors.status()));
  };
  validate("validate {}", json::object());
  const json sample = SampleConfig(provider.field_schema());
  validate("validate sample", sample);

  json input = {{"config", sample}, {"state", nullptr}, {"response", nullptr}};
  auto first = provider.ProbeStepWithPlugin(input);
  if (!first.ok()) {
    steps.push_back(Failed("probe step", first.status()));
    return steps;
  }
  steps.push_back({"probe step", true, StepText(*first)});
  if (first->finished()) return steps;
  input["state"] = first->state();
  input["response"] = {{"status", 200}, {"headers", {{"content-type", "application/json"}}}, {"body", "{}"}};
  auto second = provider.ProbeStepWithPlugin(input);
  steps.push_back(second.ok() ? ExerciseStep{"probe reply", true, StepText(*second)}
                              : Failed("probe reply", second.status()));
  return steps;
}

}  // namespace switchboard::cli
