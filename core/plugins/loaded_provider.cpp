#include "plugins/loaded_provider.hpp"

#include <mutex>

#include "common/bounded_json.hpp"
#include "common/utf8.hpp"
#include "plugins/authorization_check.hpp"
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

namespace {

bool BuiltForAtLeast1_1(uint32_t abi_version) {
  return SB_ABI_VERSION_MAJOR_OF(abi_version) > 1 ||
         (SB_ABI_VERSION_MAJOR_OF(abi_version) == 1 && SB_ABI_VERSION_MINOR_OF(abi_version) >= 1);
}

std::string AbiText(uint32_t abi_version) {
  return std::to_string(SB_ABI_VERSION_MAJOR_OF(abi_version)) + "." + std::to_string(SB_ABI_VERSION_MINOR_OF(abi_version));
}

// The error code a plugin's error result gives, or "".
std::string PluginErrorCode(const PluginOutput& output, const JsonLimits& limits) {
  auto parsed = ParseBoundedJson(output.text, limits);
  if (!parsed.ok() || !parsed->is_object()) return "";
  auto code = parsed->find("code");
  return code != parsed->end() && code->is_string() ? code->get<std::string>() : "";
}

// The response status classify_response's input carries, 0 when it has none.
int ResponseStatus(const json& input) {
  if (!input.is_object()) return 0;
  auto response = input.find("response");
  if (response == input.end() || !response->is_object()) return 0;
  auto status = response->find("status");
  return status != response->end() && status->is_number_integer() ? status->get<int>() : 0;
}

}  // namespace

bool LoadedProvider::CanAuthorize() const {
  return BuiltForAtLeast1_1(abi_version()) && channel_->Has(PluginMethod::kAuthorizeStep);
}

Status LoadedProvider::CannotAuthorize(const std::string& detail) const {
  const std::string abi = AbiText(abi_version());
  if (!BuiltForAtLeast1_1(abi_version())) {
    return Status::Error(Code::kProviderCannotAuthorize,
                         "provider '" + id_ + "' was built for plugin ABI " + abi +
                             ", which cannot say how its credentials are applied to requests; rebuild it with SDK "
                             "1.1 or later");
  }
  return Status::Error(Code::kProviderCannotAuthorize,
                       "provider '" + id_ + "' (built for plugin ABI " + abi +
                           ") does not say how its credentials are applied to requests" +
                           (detail.empty() ? "" : ": " + detail));
}

Result<AuthorizeStep> LoadedProvider::ToAuthorizeStep(Result<PluginOutput> output, const Redact& redact) const {
  // Provider::Authorize's default: the plugin has no way, which is not its failure.
  if (output.ok() && output->plugin_error &&
      PluginErrorCode(*output, kAuthorizeStepOutputLimits) == CodeName(Code::kProviderCannotAuthorize)) {
    auto parsed = ParseBoundedJson(output->text, kAuthorizeStepOutputLimits);
    return CannotAuthorize(redact(PluginErrorMessage(output->text, parsed)));
  }
  auto result = Parse(PluginMethod::kAuthorizeStep, std::move(output), kAuthorizeStepOutputLimits);
  if (!result.ok()) return Status::Error(result.status().code(), redact(result.status().message()));
  auto invalid = [&](const std::string& what) {
    return Status::Error(Code::kPluginOutputInvalid, redact("provider '" + id_ + "' authorize_step: " + what));
  };
  try {
    AuthorizeStep step = AuthorizeStep::FromJson(*result);
    if (step.request()) {
      if (Status status = CheckProbeRequest(*step.request()); !status.ok()) return invalid(status.message());
      return step;
    }
    if (step.authorization()) {
      if (Status status = CheckAuthorization(*step.authorization()); !status.ok()) {
        return invalid(status.message() + " [" + status.code_name() + "]");
      }
      return step;
    }
    // A refusal reaches the connection's status and its events: the plugin's words
    // about it, like a validate's, never carry the config's secrets.
    ProbeResult refusal = *step.refusal();
    if (refusal.outcome == Outcome::kValid) return invalid("refused with the outcome valid");
    refusal.reason = redact(refusal.reason);
    refusal.message = redact(refusal.message);
    refusal.field = redact(refusal.field);
    return AuthorizeStep::Refuse(std::move(refusal));
  } catch (const std::exception& e) {
    return Status::Error(Code::kPluginOutputInvalid,
                         redact("provider '" + id_ + "' returned a malformed authorize step: " + PluginExcerpt(e.what())));
  }
}

void LoadedProvider::StartAuthorizeStep(const nlohmann::json& input, std::function<std::string(std::string_view)> redact_log,
                                        AuthorizeDone done) const {
  if (!CanAuthorize()) return done(CannotAuthorize(""));
  static const json kNoConfig = json::object();
  const json& config = input.is_object() && input.contains("config") ? input["config"] : kNoConfig;
  auto redactor = std::make_shared<LazySecretRedactor>(config, secret_fields_);
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() + probe_timeout_;
  if (!redactor->empty() || redact_log) {
    options.redact_log = [redactor, redact_log = std::move(redact_log)](std::string_view line) {
      std::string text = redactor->Redact(line);
      return redact_log ? redact_log(text) : text;
    };
  }
  channel_->Start(PluginMethod::kAuthorizeStep, DumpJson(input), std::move(options),
                  [self = shared_from_this(), redactor, done = std::move(done)](Result<PluginOutput> output) {
                    done(self->ToAuthorizeStep(std::move(output),
                                               [&redactor](std::string_view text) { return redactor->Redact(text); }));
                  });
}

Result<Classification> LoadedProvider::ToClassification(Result<PluginOutput> output, const Redact& redact) const {
  auto result = Parse(PluginMethod::kClassifyResponse, std::move(output), kClassifyOutputLimits);
  if (!result.ok()) return Status::Error(result.status().code(), redact(result.status().message()));
  auto invalid = [&](const std::string& what) {
    return Status::Error(Code::kPluginOutputInvalid, redact("provider '" + id_ + "' classify_response " + what));
  };
  try {
    Classification classification = Classification::FromJson(*result);
    if (classification.reason.size() > kMaxClassificationReasonBytes) {
      return invalid("returned a reason over " + std::to_string(kMaxClassificationReasonBytes) + " bytes");
    }
    if (classification.message.size() > kMaxClassificationMessageBytes) {
      return invalid("returned a message over " + std::to_string(kMaxClassificationMessageBytes) + " bytes");
    }
    classification.reason = redact(classification.reason);
    classification.message = redact(classification.message);
    return classification;
  } catch (const std::exception& e) {
    return invalid("returned a malformed classification: " + PluginExcerpt(e.what()));
  }
}

void LoadedProvider::StartClassifyResponse(const nlohmann::json& input, ClassifyDone done) const {
  // A plugin that cannot read its provider's error bodies is answered by the status alone.
  if (!BuiltForAtLeast1_1(abi_version()) || !channel_->Has(PluginMethod::kClassifyResponse)) {
    return done(ClassifyByStatus(ResponseStatus(input)));
  }
  static const json kNoConfig = json::object();
  const json& config = input.is_object() && input.contains("config") ? input["config"] : kNoConfig;
  auto redactor = std::make_shared<LazySecretRedactor>(config, secret_fields_);
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() + validate_timeout_;
  if (!redactor->empty()) {
    options.redact_log = [redactor](std::string_view line) { return redactor->Redact(line); };
  }
  channel_->Start(PluginMethod::kClassifyResponse, DumpJson(input), std::move(options),
                  [self = shared_from_this(), redactor, done = std::move(done)](Result<PluginOutput> output) {
                    done(self->ToClassification(std::move(output),
                                                [&redactor](std::string_view text) { return redactor->Redact(text); }));
                  });
}

}  // namespace switchboard
