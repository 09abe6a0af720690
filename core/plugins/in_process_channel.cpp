#include "plugins/in_process_channel.hpp"

#include <optional>

#include "common/log.hpp"
#include "plugins/plugin_limits.hpp"
#include "plugins/plugin_log_line.hpp"

namespace switchboard {
namespace {

void HostLog(void*, sb_log_level level, const char* message, size_t size) {
  std::string line = "plugin: " + PluginLogLine(std::string_view(message, size));
  switch (level) {
    case SB_LOG_DEBUG: log::Write(log::Level::kDebug, line); break;
    case SB_LOG_INFO: log::Write(log::Level::kInfo, line); break;
    case SB_LOG_WARN: log::Write(log::Level::kWarn, line); break;
    default: log::Write(log::Level::kError, line); break;
  }
}

// Every in-process plugin receives this table; it lives as long as the process.
const sb_host_v1 kHostTable = {SB_ABI_VERSION, sizeof(sb_host_v1), nullptr, &HostLog};

}  // namespace

const sb_host_v1* InProcessHostTable() { return &kHostTable; }

Result<std::shared_ptr<InProcessChannel>> InProcessChannel::Open(const std::filesystem::path& file) {
  auto opened = OpenPluginLibrary(file, &kHostTable);
  if (!opened.ok()) return opened.status();
  return std::make_shared<InProcessChannel>(std::move(opened).value());
}

InProcessChannel::InProcessChannel(std::unique_ptr<OpenedPlugin> plugin) : plugin_(std::move(plugin)) {}

PluginMethods InProcessChannel::methods() const {
  PluginMethods methods = PluginMethods::Required();
  if (plugin_->has_authorize_step()) methods.Add(PluginMethod::kAuthorizeStep);
  if (plugin_->has_classify_response()) methods.Add(PluginMethod::kClassifyResponse);
  return methods;
}

void InProcessChannel::Start(PluginMethod method, std::string input, CallOptions options, Done done) {
  PluginOutput output;
  OpenedPlugin::Output call;
  {
    // The line filter is per thread, and the plugin logs on this one.
    std::optional<log::ScopedLineFilter> redact;
    if (options.redact_log) redact.emplace(options.redact_log);
    switch (method) {
      case PluginMethod::kDescribe: call = plugin_->Describe(kMaxPluginOutputBytes, output.text); break;
      case PluginMethod::kValidate: call = plugin_->Validate(input, kMaxPluginOutputBytes, output.text); break;
      case PluginMethod::kProbeStep: call = plugin_->ProbeStep(input, kMaxPluginOutputBytes, output.text); break;
      case PluginMethod::kAuthorizeStep:
        call = plugin_->AuthorizeStep(input, kMaxPluginOutputBytes, output.text);
        break;
      case PluginMethod::kClassifyResponse:
        call = plugin_->ClassifyResponse(input, kMaxPluginOutputBytes, output.text);
        break;
    }
  }
  if (call.too_large) return done(Status::Error(Code::kTooLarge, std::to_string(call.size) + " bytes"));
  output.plugin_error = call.code != SB_OK;
  done(std::move(output));
}

}  // namespace switchboard
