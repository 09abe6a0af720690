// switchboard validate PROVIDER CONFIG.json
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "common/bounded_json.hpp"
#include "plugins/config_validation.hpp"

namespace switchboard::cli {
namespace {

std::string Help() {
  return std::string(
             "Usage: switchboard validate PROVIDER CONFIG.json [options]\n"
             "\n"
             "Checks a connection config (a JSON object of the provider's fields; '-' reads\n"
             "stdin) against the provider's field schema and its own rules, and prints every\n"
             "problem as FIELD  CODE  MESSAGE. Exit 0 when valid, 1 when not.\n"
             "\n"
             "Options:\n"
             "  --json                 print {\"valid\": bool, \"errors\": [{field, code, message}]}\n") +
         kPluginOptionsHelp;
}

Result<std::string> ReadInput(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream file(path);
  if (!file) return Status::Error(Code::kUnreadable, "cannot read " + path);
  text << file.rdbuf();
  return text.str();
}

}  // namespace

int ValidateCommand(const std::vector<std::string>& argv) {
  const std::string help = Help();
  ArgumentSpec spec{{}, {"json"}};
  auto parsed = ParsePluginCommandArguments(argv, spec);
  if (auto exit_code = EndsBeforeStart(parsed, help)) return *exit_code;
  const Arguments& args = *parsed;
  if (args.positionals.size() != 2) return UsageError("validate needs PROVIDER and CONFIG.json", help.c_str());

  ProviderRegistry registry;
  LoadPlugins(args, registry);
  auto provider = registry.Find(args.positionals[0]);
  if (!provider) {
    std::cerr << "switchboard: unknown provider '" << args.positionals[0] << "'\n";
    return kExitFailure;
  }
  auto text = ReadInput(args.positionals[1]);
  if (!text.ok()) {
    std::cerr << "switchboard: " << text.status().message() << "\n";
    return kExitFailure;
  }
  auto config_json = ParseBoundedJson(*text, JsonLimits{16 << 20, 64});
  if (!config_json.ok()) {
    std::cerr << "switchboard: " << args.positionals[1] << " is not valid JSON (" << config_json.status().message()
              << ")\n";
    return kExitFailure;
  }
  const nlohmann::json& config = *config_json;
  auto errors = ValidateConfig(*provider, config);
  if (!errors.ok()) {
    std::cerr << "switchboard: " << errors.status().message() << "\n";
    return kExitFailure;
  }
  if (args.Has("json")) {
    std::cout << nlohmann::json{{"valid", errors->empty()}, {"errors", *errors}}.dump(2) << "\n";
  } else if (errors->empty()) {
    std::cout << "valid\n";
  } else {
    for (const auto& e : *errors) {
      std::cout << (e.field.empty() ? "(config)" : e.field) << "  " << e.code << "  " << e.message << "\n";
    }
  }
  return errors->empty() ? kExitOk : kExitFailure;
}

}  // namespace switchboard::cli
