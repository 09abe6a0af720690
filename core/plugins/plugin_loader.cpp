#include "plugins/plugin_loader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "common/bounded_json.hpp"
#include "common/log.hpp"
#include "common/utf8.hpp"
#include "plugins/plugin_limits.hpp"
#include "schema/compiled_field_schema.hpp"
#include "schema/field_schema_check.hpp"
#include "schema/pattern.hpp"

namespace switchboard {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void HostLog(void*, sb_log_level level, const char* message, size_t size) {
  std::string line = "plugin: " + std::string(message, size);
  switch (level) {
    case SB_LOG_DEBUG: log::Write(log::Level::kDebug, line); break;
    case SB_LOG_INFO: log::Write(log::Level::kInfo, line); break;
    case SB_LOG_WARN: log::Write(log::Level::kWarn, line); break;
    default: log::Write(log::Level::kError, line); break;
  }
}

// The table every plugin receives; it lives as long as the process.
const sb_host_v1 kHostTable = {SB_ABI_VERSION, sizeof(sb_host_v1), nullptr, &HostLog};

std::string VersionText(uint32_t packed) {
  return std::to_string(SB_ABI_VERSION_MAJOR_OF(packed)) + "." +
         std::to_string(SB_ABI_VERSION_MINOR_OF(packed));
}

Status Refuse(const fs::path& file, const std::string& reason, const std::string& what) {
  return Status::Error(reason, file.string() + ": " + what);
}

// The fields of sb_provider_v1 that ABI 1.0 requires, i.e. up to and including destroy.
constexpr size_t kMinimumTableSize = offsetof(sb_provider_v1, destroy) + sizeof(void (*)(void*));

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
  return Refuse(file, "invalid_manifest", "invalid manifest: " + joined);
}

// Boost.DLL reports only an errno ("Bad file descriptor"); the loader's own message says
// what is wrong (not an ELF file, wrong architecture, a missing library or symbol).
std::string OpenFailure(const fs::path& file, const boost::dll::fs::error_code& ec) {
  dlerror();
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) {
    dlclose(handle);
    return ec.message();
  }
  const char* reason = dlerror();
  return reason != nullptr ? reason : ec.message();
}

}  // namespace

Result<std::shared_ptr<const LoadedProvider>> LoadPlugin(const fs::path& file) {
  // Stage 1: open. RTLD_LOCAL keeps one plugin's symbols from resolving another's.
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code ec;
  library->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) return Refuse(file, "open_failed", "cannot open as a shared library: " + OpenFailure(file, ec));

  // Stage 2: find the entry point.
  if (!library->has(SB_PROVIDER_ENTRY_SYMBOL)) {
    return Refuse(file, "not_a_plugin",
                  "not a Switchboard plugin: it does not export " SB_PROVIDER_ENTRY_SYMBOL);
  }
  auto entry = library->get<const sb_provider_v1*(const sb_host_v1*, char*, size_t)>(
      SB_PROVIDER_ENTRY_SYMBOL);

  // Stage 3: register. The SDK catches exceptions itself; the catch here covers plugins
  // written by hand against the C header.
  char error[1024] = {0};
  const sb_provider_v1* raw = nullptr;
  try {
    raw = entry(&kHostTable, error, sizeof error);
  } catch (const std::exception& e) {
    return Refuse(file, "registration_failed", std::string("threw while registering: ") + e.what());
  } catch (...) {
    return Refuse(file, "registration_failed", "threw while registering");
  }
  if (raw == nullptr) {
    error[sizeof error - 1] = '\0';
    return Refuse(file, "registration_failed",
                  std::string("refused to register: ") + (error[0] ? error : "no reason given"));
  }

  // Stage 4: the ABI. Same major, and a minor no newer than the host's.
  const uint32_t version = raw->abi_version;
  const bool compatible = SB_ABI_VERSION_MAJOR_OF(version) == SB_ABI_VERSION_MAJOR &&
                          SB_ABI_VERSION_MINOR_OF(version) <= SB_ABI_VERSION_MINOR;
  if (!compatible) {
    return Refuse(file, "abi_incompatible",
                  "plugin ABI " + VersionText(version) + " is not supported by host ABI " +
                      VersionText(SB_ABI_VERSION) + " (needs major " +
                      std::to_string(SB_ABI_VERSION_MAJOR) + ", minor at most " +
                      std::to_string(SB_ABI_VERSION_MINOR) + ")");
  }
  if (raw->struct_size < kMinimumTableSize) {
    return Refuse(file, "registration_failed",
                  "provider table is " + std::to_string(raw->struct_size) +
                      " bytes, smaller than ABI " + VersionText(version) + " requires");
  }
  // Read only what the plugin says it has; newer members we don't know stay unread.
  sb_provider_v1 table{};
  std::memcpy(&table, raw, std::min<size_t>(raw->struct_size, sizeof table));
  if (!table.describe || !table.validate || !table.probe_step || !table.release || !table.destroy) {
    return Refuse(file, "registration_failed", "provider table has a null function");
  }

  // From here the provider exists; anything refused below must still destroy it.
  struct DestroyOnRefusal {
    sb_provider_v1* table;
    ~DestroyOnRefusal() {
      if (table) table->destroy(table->instance);
    }
  } guard{&table};

  // Stage 5: the manifest.
  sb_buffer out{};
  sb_result_code code = table.describe(table.instance, &out);
  std::string text(out.data == nullptr ? "" : out.data, out.size);
  table.release(table.instance, &out);
  auto parsed = ParseBoundedJson(text, kManifestLimits);
  if (code != SB_OK) {
    std::string message = ToValidUtf8(text.substr(0, 300));
    if (parsed.ok() && parsed->is_object() && parsed->contains("message") && (*parsed)["message"].is_string()) {
      message = ToValidUtf8((*parsed)["message"].get<std::string>().substr(0, 300));
    }
    return Refuse(file, "invalid_manifest", "describe failed: " + message);
  }
  if (!parsed.ok() && parsed.status().code() == "too_large") {
    return Refuse(file, "invalid_manifest",
                  "describe returned " + std::to_string(text.size()) + " bytes, more than the " +
                      std::to_string(kManifestLimits.max_bytes) + " a manifest may have");
  }
  if (!parsed.ok()) {
    return Refuse(file, "invalid_manifest", "describe returned output the host refuses: " + parsed.status().message() +
                                                " [" + parsed.status().code() + "]");
  }
  json manifest = std::move(parsed).value();
  if (!manifest.is_object()) return Refuse(file, "invalid_manifest", "describe returned malformed JSON");
  if (Status status = CheckManifest(file, manifest); !status.ok()) return status;

  // Stage 6: the field schema.
  auto problems = CheckFieldSchema(manifest["schema"]);
  if (!problems.empty()) {
    std::string joined;
    for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
    return Refuse(file, "schema_invalid",
                  "field schema does not conform to schemas/provider-field-schema.json: " + joined);
  }
  auto compiled = CompiledFieldSchema::Compile(manifest["schema"]);
  if (!compiled.ok()) return Refuse(file, "schema_invalid", compiled.status().message());

  guard.table = nullptr;
  return std::shared_ptr<const LoadedProvider>(std::make_shared<LoadedProvider>(
      std::move(library), table, file, std::move(manifest), std::move(compiled).value()));
}

LoadReport LoadPluginDirectories(const std::vector<fs::path>& directories,
                                 ProviderRegistry& registry) {
  LoadReport report;
  for (const auto& directory : directories) {
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, ec)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      auto loaded = LoadPlugin(file);
      if (!loaded.ok()) {
        report.refused.push_back({file, loaded.status().code(), loaded.status().message()});
        log::Warn("refused plugin " + loaded.status().message() + " [" + loaded.status().code() + "]");
        continue;
      }
      if (Status added = registry.Add(*loaded); !added.ok()) {
        report.refused.push_back({file, added.code(), file.string() + ": " + added.message()});
        log::Warn("refused plugin " + file.string() + ": " + added.message() + " [duplicate_id]");
        continue;
      }
      report.loaded.push_back(*loaded);
    }
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
