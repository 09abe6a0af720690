#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

const char* const kPluginOptionsHelp =
    "  --plugins DIR          also load plugins from DIR (repeatable)\n"
    "  --no-default-plugins   load only from --plugins directories; default: also from\n"
    "                         <exe>/../lib/switchboard/plugins, <exe>/plugins and\n"
    "                         $SWITCHBOARD_PLUGINS (colon-separated)\n";

std::vector<std::filesystem::path> PluginDirectories(const Arguments& args) {
  std::vector<std::filesystem::path> directories;
  if (!args.Has("no-default-plugins")) directories = DefaultPluginDirectories();
  for (const auto& dir : args.All("plugins")) directories.emplace_back(dir);
  return directories;
}

LoadReport LoadPlugins(const Arguments& args, ProviderRegistry& registry) {
  return LoadPluginDirectories(PluginDirectories(args), registry);
}

int UsageError(const std::string& message, const char* help) {
  std::cerr << "switchboard: " << message << "\n\n" << help;
  return kExitUsage;
}

}  // namespace switchboard::cli
