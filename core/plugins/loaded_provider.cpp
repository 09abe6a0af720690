#include "plugins/loaded_provider.hpp"

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

#include "common/bounded_json.hpp"
#include "common/utf8.hpp"
#include "plugins/plugin_limits.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// A plugin's own words, fit for a log line and a problem detail: short and valid UTF-8.
std::string Excerpt(std::string_view text) {
  constexpr size_t kMax = 300;
  return ToValidUtf8(text.substr(0, kMax)) + (text.size() > kMax ? "..." : "");
}

bool IsStringOrAbsent(const json& object, const char* key) {
  return !object.contains(key) || object[key].is_string();
}

// A probe step's request, checked before the host performs it.
Status CheckProbeRequest(const HttpRequest& request) {
  if (request.url.size() > kMaxProbeRequestUrlBytes) return Status::Error("too_large", "its request URL is too long");
  if (request.headers.size() > kMaxProbeRequestHeaders) {
    return Status::Error("too_large", "its request has more than " + std::to_string(kMaxProbeRequestHeaders) + " headers");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.size() + value.size() > kMaxProbeRequestHeaderBytes) {
      return Status::Error("too_large", "its request has a header longer than " +
                                            std::to_string(kMaxProbeRequestHeaderBytes) + " bytes");
    }
  }
  if (request.body.size() > kMaxProbeRequestBodyBytes) {
    return Status::Error("too_large", "its request body is larger than " + std::to_string(kMaxProbeRequestBodyBytes) +
                                          " bytes");
  }
  return Status::Ok();
}

}  // namespace

LoadedProvider::LoadedProvider(std::shared_ptr<boost::dll::shared_library> library,
                               sb_provider_v1 table, std::filesystem::path file,
                               nlohmann::json manifest, std::shared_ptr<const CompiledFieldSchema> schema)
    : library_(std::move(library)),
      table_(table),
      file_(std::move(file)),
      manifest_(std::move(manifest)),
      id_(manifest_.value("id", "")),
      schema_(std::move(schema)) {
  const auto& properties = manifest_["schema"]["properties"];
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    if (it.value().value("writeOnly", false)) secret_fields_.push_back(it.key());
  }
}

LoadedProvider::~LoadedProvider() {
  if (table_.destroy != nullptr) table_.destroy(table_.instance);
}

Result<json> LoadedProvider::Call(const char* function, sb_result_code code, sb_buffer& out,
                                  const JsonLimits& limits) const {
  std::string text(out.data == nullptr ? "" : out.data, out.size);
  table_.release(table_.instance, &out);
  auto parsed = ParseBoundedJson(text, limits);
  if (code != SB_OK) {
    std::string message = Excerpt(text);
    if (parsed.ok() && parsed->is_object() && parsed->contains("message") && (*parsed)["message"].is_string()) {
      message = Excerpt((*parsed)["message"].get<std::string>());
    }
    return Status::Error("plugin_error", "provider '" + id_ + "' failed: " + message);
  }
  if (!parsed.ok()) {
    return Status::Error("plugin_output_invalid", "provider '" + id_ + "' " + function +
                                                      " returned output the host refuses: " +
                                                      parsed.status().message() + " [" + parsed.status().code() + "]");
  }
  return parsed;
}

Result<std::vector<FieldError>> LoadedProvider::ValidateWithPlugin(const nlohmann::json& config) const {
  std::string text = DumpJson(config);
  sb_buffer out{};
  auto code = table_.validate(table_.instance, text.data(), text.size(), &out);
  auto result = Call("validate", code, out, kValidateOutputLimits);
  if (!result.ok()) return result.status();
  auto invalid = [&](const std::string& what) {
    return Status::Error("plugin_output_invalid", "provider '" + id_ + "' validate " + what);
  };
  if (!result->is_array()) return invalid("did not return an array");
  std::vector<FieldError> errors;
  for (const auto& item : *result) {
    if (!item.is_object()) continue;
    if (!IsStringOrAbsent(item, "field") || !IsStringOrAbsent(item, "code") || !IsStringOrAbsent(item, "message")) {
      return invalid("returned an error whose field, code or message is not a string");
    }
    errors.push_back(item.get<FieldError>());
  }
  return errors;
}

Result<ProbeStep> LoadedProvider::ProbeStepWithPlugin(const nlohmann::json& input) const {
  std::string text = DumpJson(input);
  sb_buffer out{};
  auto code = table_.probe_step(table_.instance, text.data(), text.size(), &out);
  auto result = Call("probe_step", code, out, kProbeStepOutputLimits);
  if (!result.ok()) return result.status();
  try {
    ProbeStep step = ProbeStep::FromJson(*result);
    if (step.request()) {
      if (Status status = CheckProbeRequest(*step.request()); !status.ok()) {
        return Status::Error("plugin_output_invalid", "provider '" + id_ + "' probe_step: " + status.message());
      }
    }
    return step;
  } catch (const std::exception& e) {
    return Status::Error("plugin_output_invalid",
                         "provider '" + id_ + "' returned a malformed probe step: " + Excerpt(e.what()));
  }
}

}  // namespace switchboard
