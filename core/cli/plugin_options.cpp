#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

const char* const kPluginOptionsHelp =
    "  --plugins DIR          also load plugins from DIR (repeatable)\n"
    "  --no-default-plugins   load only from --plugins directories; default: also from\n"
    "                         <exe>/../lib/switchboard/plugins, <exe>/plugins and\n"
    "                         $SWITCHBOARD_PLUGINS (colon-separated)\n"
    "  --plugin-isolation M   process (default: each plugin in a sandboxed runner process)\n"
    "                         or in-process (in this process: for debugging a plugin)\n"
    "  --plugin-memory-limit MIB  a plugin runner's address space (default 256)\n"
    "  --plugin-max-threads N a plugin runner's threads, its own included (default 128)\n"
    "  --plugin-timeout-validate MS  deadline of a describe or validate call (default 2000)\n"
    "  --plugin-timeout-probe MS     deadline of a probe step (default 5000)\n"
    "  --plugin-runner PATH   the runner executable (default: switchboard-plugin-runner\n"
    "                         beside this one; $SWITCHBOARD_PLUGIN_RUNNER)\n";

void AddPluginOptions(ArgumentSpec& spec) {
  spec.options.insert({"plugins", "plugin-isolation", "plugin-memory-limit", "plugin-max-threads", "plugin-timeout-validate",
                       "plugin-timeout-probe", "plugin-runner"});
  spec.flags.insert("no-default-plugins");
}

Result<Arguments> ParsePluginCommandArguments(const std::vector<std::string>& argv, ArgumentSpec spec) {
  AddPluginOptions(spec);
  auto parsed = ParseArguments(argv, spec);
  if (!parsed.ok()) return parsed.status();
  if (auto host = PluginHostOptionsFrom(*parsed); !host.ok()) return host.status();
  return parsed;
}

Result<PluginHostOptions> PluginHostOptionsFrom(const Arguments& args) {
  PluginHostOptions options;
  const std::string isolation = args.Setting("plugin-isolation", "SWITCHBOARD_PLUGIN_ISOLATION", "process");
  if (isolation == "in-process") {
    options.isolation = PluginIsolation::kInProcess;
  } else if (isolation != "process") {
    return Status::Error(Code::kUsage, "--plugin-isolation must be process or in-process");
  }
  auto number = [&](const char* option, const char* env, uint64_t fallback, uint64_t max, uint64_t& out) -> Status {
    const std::string text = args.Setting(option, env, std::to_string(fallback));
    char* end = nullptr;
    unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value == 0 || value > max) {
      return Status::Error(Code::kUsage, "--" + std::string(option) + " must be a number from 1 to " + std::to_string(max));
    }
    out = value;
    return Status::Ok();
  };
  uint64_t memory_mib = 0, max_threads = 0, validate_ms = 0, probe_ms = 0;
  if (Status s = number("plugin-memory-limit", "SWITCHBOARD_PLUGIN_MEMORY_LIMIT", 256, 1 << 20, memory_mib); !s.ok()) {
    return s;
  }
  if (Status s = number("plugin-max-threads", "SWITCHBOARD_PLUGIN_MAX_THREADS", 128, 4096, max_threads); !s.ok()) {
    return s;
  }
  if (Status s = number("plugin-timeout-validate", "SWITCHBOARD_PLUGIN_TIMEOUT_VALIDATE", 2000, 600000, validate_ms);
      !s.ok()) {
    return s;
  }
  if (Status s = number("plugin-timeout-probe", "SWITCHBOARD_PLUGIN_TIMEOUT_PROBE", 5000, 600000, probe_ms); !s.ok()) {
    return s;
  }
  options.memory_limit_bytes = memory_mib << 20;
  options.max_threads = static_cast<int>(max_threads);
  options.validate_timeout = std::chrono::milliseconds(validate_ms);
  options.probe_timeout = std::chrono::milliseconds(probe_ms);
  options.runner = args.Last("plugin-runner");
  return options;
}

std::vector<std::filesystem::path> PluginDirectories(const Arguments& args) {
  std::vector<std::filesystem::path> directories;
  if (!args.Has("no-default-plugins")) directories = DefaultPluginDirectories();
  for (const auto& dir : args.All("plugins")) directories.emplace_back(dir);
  return directories;
}

LoadReport LoadPlugins(const Arguments& args, ProviderRegistry& registry) {
  auto options = PluginHostOptionsFrom(args);
  return LoadPluginDirectories(PluginDirectories(args), registry, options.ok() ? *options : PluginHostOptions{});
}

int UsageError(const std::string& message, const char* help) {
  std::cerr << "switchboard: " << message << "\n\n" << help;
  return kExitUsage;
}

std::optional<int> EndsBeforeStart(const Result<Arguments>& parsed, const std::string& help) {
  if (!parsed.ok()) return UsageError(parsed.status().message(), help.c_str());
  if (!parsed->Has("help")) return std::nullopt;
  std::cout << help;
  return kExitOk;
}

}  // namespace switchboard::cli
