// The `switchboard` commands. Each takes the arguments after its own name and returns
// the process exit code: 0 success, 1 the thing asked about failed (a refused plugin,
// an invalid config), 2 wrong usage.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "plugins/plugin_loader.hpp"

namespace switchboard::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int PluginsCommand(const std::vector<std::string>& args);
int ValidateCommand(const std::vector<std::string>& args);
int ServeCommand(const std::vector<std::string>& args);
int ProbeCommand(const std::vector<std::string>& args);
int StoreCommand(const std::vector<std::string>& args);

// The options every command that loads plugins accepts.
extern const char* const kPluginOptionsHelp;

// Adds --plugins, --no-default-plugins and the --plugin-* options to `spec`.
void AddPluginOptions(ArgumentSpec& spec);
// How plugins run, from the --plugin-* options (or their SWITCHBOARD_PLUGIN_* variables);
// a "usage" failure names the option that is wrong.
Result<PluginHostOptions> PluginHostOptionsFrom(const Arguments& args);
// The arguments of a command that loads plugins: `spec` with AddPluginOptions, parsed,
// and the --plugin-* options checked. A "usage" failure says what is wrong.
Result<Arguments> ParsePluginCommandArguments(const std::vector<std::string>& argv, ArgumentSpec spec);

// Plugin directories from --plugins (added to the defaults) and --no-default-plugins.
std::vector<std::filesystem::path> PluginDirectories(const Arguments& args);

// Loads the plugins of `args` into `registry`; refusals are logged.
LoadReport LoadPlugins(const Arguments& args, ProviderRegistry& registry);

// Prints a usage error and the command's help; returns kExitUsage.
int UsageError(const std::string& message, const char* help);

// Whether a command ends before it starts, and with which exit code: its arguments did
// not parse (the usage error and `help` printed) or asked for --help (`help` printed).
// nullopt: go on with *parsed.
std::optional<int> EndsBeforeStart(const Result<Arguments>& parsed, const std::string& help);

}  // namespace switchboard::cli
