#include "plugins/plugin_library.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

namespace switchboard {
namespace {

namespace fs = std::filesystem;

std::string VersionText(uint32_t packed) {
  return std::to_string(SB_ABI_VERSION_MAJOR_OF(packed)) + "." + std::to_string(SB_ABI_VERSION_MINOR_OF(packed));
}

Status Refuse(const fs::path& file, Code reason, const std::string& what) {
  return Status::Error(reason, file.string() + ": " + what);
}

// The fields of sb_provider_v1 that ABI 1.0 requires, i.e. up to and including destroy.
constexpr size_t kMinimumTableSize = offsetof(sb_provider_v1, destroy) + sizeof(void (*)(void*));

// Whether a table of `struct_size` bytes holds all of the member at `offset`: a member
// cut short by the size is absent, never half read.
constexpr bool Covers(size_t struct_size, size_t offset, size_t member_size) {
  return struct_size >= offset + member_size;
}

// The table as the host keeps it: the plugin's first struct_size bytes, and of the
// members after ABI 1.0's only those the size covers whole and the plugin's minor
// version has (a 1.0 plugin's bytes there, if it claims any, are nothing it put there).
sb_provider_v1 CopyTable(const sb_provider_v1& raw) {
  sb_provider_v1 table{};
  std::memcpy(&table, &raw, std::min<size_t>(raw.struct_size, sizeof table));
  const size_t size = raw.struct_size;
  const bool v1_1 = SB_ABI_VERSION_MINOR_OF(raw.abi_version) >= 1;
  if (!v1_1 || !Covers(size, offsetof(sb_provider_v1, authorize_step), sizeof table.authorize_step)) {
    table.authorize_step = nullptr;
  }
  if (!v1_1 || !Covers(size, offsetof(sb_provider_v1, classify_response), sizeof table.classify_response)) {
    table.classify_response = nullptr;
  }
  return table;
}

OpenedPlugin::Output Absent(std::string_view error, std::string& out) {
  out.assign(error);
  return OpenedPlugin::Output{SB_ERROR, error.size(), false};
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

OpenedPlugin::Output TakeOutput(const sb_provider_v1& table, sb_result_code code, sb_buffer& buffer,
                                size_t max_output, std::string& out) {
  OpenedPlugin::Output output{code, buffer.size, buffer.size > max_output};
  if (output.too_large) {
    out.clear();
  } else {
    out.assign(buffer.data == nullptr ? "" : buffer.data, buffer.size);
  }
  table.release(table.instance, &buffer);
  return output;
}

}  // namespace

OpenedPlugin::OpenedPlugin(std::shared_ptr<boost::dll::shared_library> library, sb_provider_v1 table)
    : library_(std::move(library)), table_(table) {}

OpenedPlugin::~OpenedPlugin() { table_.destroy(table_.instance); }

OpenedPlugin::Output OpenedPlugin::Describe(size_t max_output, std::string& out) const {
  sb_buffer buffer{};
  return TakeOutput(table_, table_.describe(table_.instance, &buffer), buffer, max_output, out);
}

OpenedPlugin::Output OpenedPlugin::Validate(const std::string& config, size_t max_output, std::string& out) const {
  sb_buffer buffer{};
  return TakeOutput(table_, table_.validate(table_.instance, config.data(), config.size(), &buffer), buffer,
                    max_output, out);
}

OpenedPlugin::Output OpenedPlugin::ProbeStep(const std::string& input, size_t max_output, std::string& out) const {
  sb_buffer buffer{};
  return TakeOutput(table_, table_.probe_step(table_.instance, input.data(), input.size(), &buffer), buffer,
                    max_output, out);
}

OpenedPlugin::Output OpenedPlugin::AuthorizeStep(const std::string& input, size_t max_output, std::string& out) const {
  if (table_.authorize_step == nullptr) {
    return Absent(R"({"code":"provider_cannot_authorize","message":"the plugin has no authorize_step"})", out);
  }
  sb_buffer buffer{};
  return TakeOutput(table_, table_.authorize_step(table_.instance, input.data(), input.size(), &buffer), buffer,
                    max_output, out);
}

OpenedPlugin::Output OpenedPlugin::ClassifyResponse(const std::string& input, size_t max_output,
                                                    std::string& out) const {
  if (table_.classify_response == nullptr) {
    return Absent(R"({"code":"function_absent","message":"the plugin has no classify_response"})", out);
  }
  sb_buffer buffer{};
  return TakeOutput(table_, table_.classify_response(table_.instance, input.data(), input.size(), &buffer), buffer,
                    max_output, out);
}

Result<std::unique_ptr<OpenedPlugin>> OpenPluginLibrary(const fs::path& file, const sb_host_v1* host) {
  // Stage 1: open. RTLD_LOCAL keeps one plugin's symbols from resolving another's.
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code ec;
  library->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) return Refuse(file, Code::kOpenFailed, "cannot open as a shared library: " + OpenFailure(file, ec));

  // Stage 2: find the entry point.
  if (!library->has(SB_PROVIDER_ENTRY_SYMBOL)) {
    return Refuse(file, Code::kNotAPlugin, "not a Switchboard plugin: it does not export " SB_PROVIDER_ENTRY_SYMBOL);
  }
  auto entry = library->get<const sb_provider_v1*(const sb_host_v1*, char*, size_t)>(SB_PROVIDER_ENTRY_SYMBOL);

  // Stage 3: register. The SDK catches exceptions itself; the catch here covers plugins
  // written by hand against the C header.
  char error[1024] = {0};
  const sb_provider_v1* raw = nullptr;
  try {
    raw = entry(host, error, sizeof error);
  } catch (const std::exception& e) {
    return Refuse(file, Code::kRegistrationFailed, std::string("threw while registering: ") + e.what());
  } catch (...) {
    return Refuse(file, Code::kRegistrationFailed, "threw while registering");
  }
  if (raw == nullptr) {
    error[sizeof error - 1] = '\0';
    return Refuse(file, Code::kRegistrationFailed, std::string("refused to register: ") + (error[0] ? error : "no reason given"));
  }

  // Stage 4: the ABI. Same major, and a minor no newer than the host's.
  const uint32_t version = raw->abi_version;
  const bool compatible = SB_ABI_VERSION_MAJOR_OF(version) == SB_ABI_VERSION_MAJOR &&
                          SB_ABI_VERSION_MINOR_OF(version) <= SB_ABI_VERSION_MINOR;
  if (!compatible) {
    return Refuse(file, Code::kAbiIncompatible,
                  "plugin ABI " + VersionText(version) + " is not supported by host ABI " +
                      VersionText(SB_ABI_VERSION) + " (needs major " + std::to_string(SB_ABI_VERSION_MAJOR) +
                      ", minor at most " + std::to_string(SB_ABI_VERSION_MINOR) + ")");
  }
  if (raw->struct_size < kMinimumTableSize) {
    return Refuse(file, Code::kRegistrationFailed,
                  "provider table is " + std::to_string(raw->struct_size) + " bytes, smaller than ABI " +
                      VersionText(version) + " requires");
  }
  // Read only what the plugin says it has; newer members we don't know stay unread.
  const sb_provider_v1 table = CopyTable(*raw);
  if (!table.describe || !table.validate || !table.probe_step || !table.release || !table.destroy) {
    return Refuse(file, Code::kRegistrationFailed, "provider table has a null function");
  }
  return std::make_unique<OpenedPlugin>(std::move(library), table);
}

}  // namespace switchboard
