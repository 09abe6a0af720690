#include "plugins/plugin_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>

#include "common/bounded_json.hpp"
#include "common/log.hpp"
#include "common/utf8.hpp"
#include "plugins/in_process_channel.hpp"
#include "plugins/plugin_error_text.hpp"
#include "plugins/plugin_limits.hpp"
#include "plugins/subprocess_channel.hpp"
#include "schema/compiled_field_schema.hpp"
#include "schema/field_schema_check.hpp"
#include "schema/pattern.hpp"

namespace switchboard {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status Refuse(const fs::path& file, Code reason, const std::string& what) {
  return Status::Error(reason, file.string() + ": " + what);
}

Status CheckManifest(const fs::path& file, const json& manifest) {
  // RE2, not std::regex: a long version string must not overflow the stack.
  static const Pattern kId = Pattern::Compile("^[a-z][a-z0-9_]{1,62}$").value();
  static const Pattern kVersion = Pattern::Compile(R"(^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$)").value();
  std::vector<std::string> problems;
  auto text = [&](const char* key) {
    return manifest.contains(key) && manifest[key].is_string() ? manifest[key].get<std::string>()
                                                               : std::string();
  };
  if (!kId.Finds(text("id"))) {
    problems.push_back("id '" + text("id") + "' must match [a-z][a-z0-9_]{1,62}");
  }
  if (text("name").empty()) problems.push_back("name is empty");
  if (!kVersion.Finds(text("version"))) {
    problems.push_back("version '" + text("version") + "' is not a semantic version");
  }
  if (text("icon_svg").rfind("<svg", 0) != 0) problems.push_back("icon_svg is not an <svg> element");
  if (!manifest.contains("schema") || !manifest["schema"].is_object()) {
    problems.push_back("schema is missing");
  }
  if (problems.empty()) return Status::Ok();
  std::string joined;
  for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  return Refuse(file, Code::kInvalidManifest, "invalid manifest: " + joined);
}

// Stages 1-4 (plugin_library.hpp), in this process or in a runner.
Result<std::shared_ptr<ProviderChannel>> OpenChannel(const fs::path& file, const PluginHostOptions& options) {
  if (options.isolation == PluginIsolation::kInProcess) {
    auto channel = InProcessChannel::Open(file);
    if (!channel.ok()) return channel.status();
    return std::shared_ptr<ProviderChannel>(std::move(channel).value());
  }
  auto channel = SubprocessChannel::Open(file, options);
  if (!channel.ok()) return channel.status();
  return std::shared_ptr<ProviderChannel>(std::move(channel).value());
}

}  // namespace

Result<std::shared_ptr<const LoadedProvider>> LoadPlugin(const fs::path& file, const PluginHostOptions& options) {
  auto channel = OpenChannel(file, options);
  if (!channel.ok()) return channel.status();

  // Stage 5: the manifest.
  CallOptions call;
  call.deadline = std::chrono::steady_clock::now() + options.validate_timeout;
  auto described = (*channel)->Call(PluginMethod::kDescribe, "", call);
  if (!described.ok()) {
    if (described.status().Is(Code::kTooLarge)) {
      return Refuse(file, Code::kInvalidManifest, "describe returned " + described.status().message() + ", more than the " +
                                                  std::to_string(kManifestLimits.max_bytes) + " a manifest may have");
    }
    return Refuse(file, Code::kInvalidManifest, "describe did not answer: " + described.status().message() + " [" +
                                                described.status().code_name() + "]");
  }
  const std::string& text = described->text;
  auto parsed = ParseBoundedJson(text, kManifestLimits);
  if (described->plugin_error) {
    return Refuse(file, Code::kInvalidManifest, "describe failed: " + PluginErrorMessage(text, parsed));
  }
  if (!parsed.ok() && parsed.status().Is(Code::kTooLarge)) {
    return Refuse(file, Code::kInvalidManifest,
                  "describe returned " + std::to_string(text.size()) + " bytes, more than the " +
                      std::to_string(kManifestLimits.max_bytes) + " a manifest may have");
  }
  if (!parsed.ok()) {
    return Refuse(file, Code::kInvalidManifest, "describe returned output the host refuses: " + parsed.status().message() +
                                                " [" + parsed.status().code_name() + "]");
  }
  json manifest = std::move(parsed).value();
  if (!manifest.is_object()) return Refuse(file, Code::kInvalidManifest, "describe returned malformed JSON");
  if (Status status = CheckManifest(file, manifest); !status.ok()) return status;

  // Stage 6: the field schema.
  auto problems = CheckFieldSchema(manifest["schema"]);
  if (!problems.empty()) {
    std::string joined;
    for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
    return Refuse(file, Code::kSchemaInvalid,
                  "field schema does not conform to schemas/provider-field-schema.json: " + joined);
  }
  auto compiled = CompiledFieldSchema::Compile(manifest["schema"]);
  if (!compiled.ok()) return Refuse(file, Code::kSchemaInvalid, compiled.status().message());

  return std::shared_ptr<const LoadedProvider>(std::make_shared<LoadedProvider>(
      std::move(channel).value(), options, file, std::move(manifest), std::move(compiled).value()));
}

std::vector<fs::path> PluginFiles(const std::vector<fs::path>& directories) {
  std::vector<fs::path> all;
  for (const auto& directory : directories) {
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, ec)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

LoadReport LoadPluginDirectories(const std::vector<fs::path>& directories, ProviderRegistry& registry,
                                 const PluginHostOptions& options) {
  LoadReport report;
  for (const auto& file : PluginFiles(directories)) {
    auto loaded = LoadPlugin(file, options);
    if (!loaded.ok()) {
      report.refused.push_back({file, loaded.status().code(), loaded.status().message()});
      log::Warn("refused plugin " + loaded.status().message() + " [" + loaded.status().code_name() + "]");
      continue;
    }
    if (Status added = registry.Add(*loaded); !added.ok()) {
      report.refused.push_back({file, added.code(), file.string() + ": " + added.message()});
      log::Warn("refused plugin " + file.string() + ": " + added.message() + " [duplicate_id]");
      continue;
    }
    report.loaded.push_back(*loaded);
  }
  return report;
}

std::vector<fs::path> DefaultPluginDirectories() {
  std::vector<fs::path> directories;
  std::error_code ec;
  fs::path exe_dir = boost::dll::program_location(ec).parent_path();
  if (!ec) {
    directories.push_back((exe_dir / ".." / "lib" / "switchboard" / "plugins").lexically_normal());
    directories.push_back(exe_dir / "plugins");
  }
  if (const char* extra = std::getenv("SWITCHBOARD_PLUGINS"); extra != nullptr) {
    std::stringstream list(extra);
    std::string item;
    while (std::getline(list, item, ':')) {
      if (!item.empty()) directories.emplace_back(item);
    }
  }
  return directories;
}

}  // namespace switchboard
