#include "plugins/loaded_provider.hpp"

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

namespace switchboard {

LoadedProvider::LoadedProvider(std::shared_ptr<boost::dll::shared_library> library,
                               sb_provider_v1 table, std::filesystem::path file,
                               nlohmann::json manifest, std::shared_ptr<const CompiledSchema> schema)
    : library_(std::move(library)),
      table_(table),
      file_(std::move(file)),
      manifest_(std::move(manifest)),
      id_(manifest_.value("id", "")),
      schema_(std::move(schema)) {
  const auto& properties = manifest_["schema"]["properties"];
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    if (it.value().value("writeOnly", false)) secret_fields_.push_back(it.key());
    if (it.value().value("x-credential-destination", false)) destination_fields_.push_back(it.key());
  }
}

LoadedProvider::~LoadedProvider() {
  if (table_.destroy != nullptr) table_.destroy(table_.instance);
}

Result<nlohmann::json> LoadedProvider::Call(sb_result_code code, sb_buffer& out) const {
  std::string text(out.data == nullptr ? "" : out.data, out.size);
  table_.release(table_.instance, &out);
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (code != SB_OK) {
    std::string message = parsed.is_object() ? parsed.value("message", text) : text;
    return Status::Error("plugin_error", "provider '" + id_ + "' failed: " + message);
  }
  if (parsed.is_discarded()) {
    return Status::Error("plugin_error", "provider '" + id_ + "' returned malformed JSON");
  }
  return parsed;
}

Result<std::vector<FieldError>> LoadedProvider::ValidateWithPlugin(const nlohmann::json& config) const {
  std::string text = config.dump();
  sb_buffer out{};
  auto code = table_.validate(table_.instance, text.data(), text.size(), &out);
  auto result = Call(code, out);
  if (!result.ok()) return result.status();
  if (!result->is_array()) {
    return Status::Error("plugin_error", "provider '" + id_ + "' validate did not return an array");
  }
  std::vector<FieldError> errors;
  for (const auto& item : *result) {
    if (!item.is_object()) continue;
    errors.push_back(item.get<FieldError>());
  }
  return errors;
}

Result<ProbeStep> LoadedProvider::ProbeStepWithPlugin(const nlohmann::json& input) const {
  std::string text = input.dump();
  sb_buffer out{};
  auto code = table_.probe_step(table_.instance, text.data(), text.size(), &out);
  auto result = Call(code, out);
  if (!result.ok()) return result.status();
  try {
    return ProbeStep::FromJson(*result);
  } catch (const std::exception& e) {
    return Status::Error("plugin_error",
                         "provider '" + id_ + "' returned a malformed probe step: " + e.what());
  }
}

}  // namespace switchboard
