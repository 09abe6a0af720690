#include "plugins/loaded_provider.hpp"

#include <mutex>

#include "common/bounded_json.hpp"
#include "common/utf8.hpp"
#include "plugins/plugin_error_text.hpp"
#include "plugins/plugin_limits.hpp"
#include "secrets/secret_redactor.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

// The secrets of one config, spelled out in every encoding only once something must be
// redacted: most validates log nothing and find nothing wrong, and building every
// spelling of every secret on each call would cost more than the call itself.
// THREADS: Redact may be called from any thread (the runner's log lines, the caller).
class LazySecretRedactor {
 public:
  LazySecretRedactor(const json& config, const std::vector<std::string>& fields) {
    if (!config.is_object()) return;
    for (const auto& field : fields) {
      auto it = config.find(field);
      if (it != config.end() && it->is_string()) secrets_.push_back(it->get<std::string>());
    }
  }
  bool empty() const { return secrets_.empty(); }
  std::string Redact(std::string_view text) {
    if (secrets_.empty()) return std::string(text);
    std::call_once(built_, [this] {
      for (const auto& secret : secrets_) redactor_.Add(secret);
    });
    return redactor_.Redact(text);
  }

 private:
  std::vector<std::string> secrets_;
  std::once_flag built_;
  SecretRedactor redactor_;
};

bool IsStringOrAbsent(const json& object, const char* key) {
  return !object.contains(key) || object[key].is_string();
}

// A probe step's request, checked before the host performs it.
Status CheckProbeRequest(const HttpRequest& request) {
  if (request.url.size() > kMaxProbeRequestUrlBytes) return Status::Error(Code::kTooLarge, "its request URL is too long");
  if (request.headers.size() > kMaxProbeRequestHeaders) {
    return Status::Error(Code::kTooLarge, "its request has more than " + std::to_string(kMaxProbeRequestHeaders) + " headers");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.size() + value.size() > kMaxProbeRequestHeaderBytes) {
      return Status::Error(Code::kTooLarge, "its request has a header longer than " +
                                            std::to_string(kMaxProbeRequestHeaderBytes) + " bytes");
    }
  }
  if (request.body.size() > kMaxProbeRequestBodyBytes) {
    return Status::Error(Code::kTooLarge, "its request body is larger than " + std::to_string(kMaxProbeRequestBodyBytes) +
                                          " bytes");
  }
  return Status::Ok();
}

}  // namespace

LoadedProvider::LoadedProvider(std::shared_ptr<ProviderChannel> channel, const PluginHostOptions& options,
                               std::filesystem::path file, nlohmann::json manifest,
                               std::shared_ptr<const CompiledFieldSchema> schema)
    : channel_(std::move(channel)),
      validate_timeout_(options.validate_timeout),
      probe_timeout_(options.probe_timeout),
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

std::shared_ptr<const LoadedProvider> LoadedProvider::WithChannel(std::shared_ptr<ProviderChannel> channel) const {
  PluginHostOptions options;
  options.validate_timeout = validate_timeout_;
  options.probe_timeout = probe_timeout_;
  return std::make_shared<LoadedProvider>(std::move(channel), options, file_, manifest_, schema_);
}

Result<json> LoadedProvider::Parse(PluginMethod method, Result<PluginOutput> output, const JsonLimits& limits) const {
  const std::string function = PluginMethodName(method);
  if (!output.ok()) {
    if (output.status().Is(Code::kTooLarge)) {
      return Status::Error(Code::kPluginOutputInvalid, "provider '" + id_ + "' " + function +
                                                        " returned output the host refuses: " +
                                                        output.status().message() + ", more than " +
                                                        std::to_string(limits.max_bytes) + " [too_large]");
    }
    return Status::Error(output.status().code(), "provider '" + id_ + "' " + function + ": " + output.status().message());
  }
  const std::string& text = output->text;
  auto parsed = ParseBoundedJson(text, limits);
  if (output->plugin_error) {
    return Status::Error(Code::kPluginError, "provider '" + id_ + "' failed: " + PluginErrorMessage(text, parsed));
  }
  if (!parsed.ok()) {
    return Status::Error(Code::kPluginOutputInvalid, "provider '" + id_ + "' " + function +
                                                      " returned output the host refuses: " +
                                                      parsed.status().message() + " [" + parsed.status().code_name() + "]");
  }
  return parsed;
}

Result<std::vector<FieldError>> LoadedProvider::ValidateWithPlugin(const nlohmann::json& config) const {
  // What the plugin logs or answers about this config never carries its secrets, even
  // when the plugin quotes them: the log is the operator's, the answer goes to a client.
  auto redactor = std::make_shared<LazySecretRedactor>(config, secret_fields_);
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() + validate_timeout_;
  if (!redactor->empty()) {
    options.redact_log = [redactor](std::string_view line) { return redactor->Redact(line); };
  }
  auto result = Parse(PluginMethod::kValidate, channel_->Call(PluginMethod::kValidate, DumpJson(config), options),
                      kValidateOutputLimits);
  if (!result.ok() && result.status().Is(Code::kPluginError)) {
    return Status::Error(Code::kPluginError, redactor->Redact(result.status().message()));
  }
  if (!result.ok()) {
    // However the plugin failed to answer, the request can be retried later.
    const Code code = result.status().code();
    if (code == Code::kPluginCrashed || code == Code::kPluginTimeout || code == Code::kPluginUnavailable) {
      return Status::Error(Code::kPluginUnavailable, result.status().message());
    }
    return result.status();
  }
  auto invalid = [&](const std::string& what) {
    return Status::Error(Code::kPluginOutputInvalid, "provider '" + id_ + "' validate " + what);
  };
  if (!result->is_array()) return invalid("did not return an array");
  std::vector<FieldError> errors;
  for (const auto& item : *result) {
    if (!item.is_object()) continue;
    if (!IsStringOrAbsent(item, "field") || !IsStringOrAbsent(item, "code") || !IsStringOrAbsent(item, "message")) {
      return invalid("returned an error whose field, code or message is not a string");
    }
    FieldError error = item.get<FieldError>();
    // Every part of it reaches the client, and a plugin may have built any from the config.
    error.field = redactor->Redact(error.field);
    error.code = redactor->Redact(error.code);
    error.message = redactor->Redact(error.message);
    errors.push_back(std::move(error));
  }
  return errors;
}

Result<ProbeStep> LoadedProvider::ToProbeStep(Result<PluginOutput> output) const {
  auto result = Parse(PluginMethod::kProbeStep, std::move(output), kProbeStepOutputLimits);
  if (!result.ok()) return result.status();
  try {
    ProbeStep step = ProbeStep::FromJson(*result);
    if (step.request()) {
      if (Status status = CheckProbeRequest(*step.request()); !status.ok()) {
        return Status::Error(Code::kPluginOutputInvalid, "provider '" + id_ + "' probe_step: " + status.message());
      }
    }
    return step;
  } catch (const std::exception& e) {
    return Status::Error(Code::kPluginOutputInvalid,
                         "provider '" + id_ + "' returned a malformed probe step: " + PluginExcerpt(e.what()));
  }
}

Result<ProbeStep> LoadedProvider::ProbeStepWithPlugin(const nlohmann::json& input) const {
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() + probe_timeout_;
  return ToProbeStep(channel_->Call(PluginMethod::kProbeStep, DumpJson(input), options));
}

void LoadedProvider::StartProbeStep(const nlohmann::json& input, std::function<std::string(std::string_view)> redact_log,
                                    StepDone done) const {
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() + probe_timeout_;
  options.redact_log = std::move(redact_log);
  // A call in flight keeps the provider (its id, its schema) alive until it is answered.
  channel_->Start(PluginMethod::kProbeStep, DumpJson(input), std::move(options),
                  [self = shared_from_this(), done = std::move(done)](Result<PluginOutput> output) {
                    done(self->ToProbeStep(std::move(output)));
                  });
}

// Until the channels carry the ABI 1.1 methods, no plugin can authorize.
bool LoadedProvider::CanAuthorize() const { return false; }

void LoadedProvider::StartAuthorizeStep(const nlohmann::json&, std::function<std::string(std::string_view)>,
                                        AuthorizeDone done) const {
  done(Status::Error(Code::kProviderCannotAuthorize, "provider '" + id_ + "' cannot authorize requests yet"));
}

void LoadedProvider::StartClassifyResponse(const nlohmann::json& input, ClassifyDone done) const {
  const int status = input.contains("response") ? input["response"].value("status", 0) : 0;
  done(ClassifyByStatus(status));
}

}  // namespace switchboard
