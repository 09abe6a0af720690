// switchboard: the host and its admin CLI.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "common/log.hpp"

namespace {

const char* const kHelp =
    "Usage: switchboard COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  serve                     run the host (API on 127.0.0.1:8080, data in ./data)\n"
    "  plugins list|show|check   inspect provider plugins\n"
    "  validate PROVIDER FILE    check a connection config against its provider\n"
    "  probe --project ID        probe the credentials of a project's connections (bulk)\n"
    "  store check|recover       verify the store's integrity; recover a damaged WAL\n"
    "\n"
    "Run 'switchboard COMMAND --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace switchboard::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError("no command given", kHelp);
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kHelp;
    return kExitOk;
  }
  try {
    if (command == "serve") return ServeCommand(args);
    if (command == "probe") return ProbeCommand(args);
    if (command == "plugins") return PluginsCommand(args);
    if (command == "validate") return ValidateCommand(args);
    if (command == "store") return StoreCommand(args);
  } catch (const std::exception& e) {
    switchboard::log::Error(std::string("unexpected error: ") + e.what());
    return kExitFailure;
  }
  return UsageError("unknown command '" + command + "'", kHelp);
}
