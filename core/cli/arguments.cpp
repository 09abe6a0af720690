#include "cli/arguments.hpp"

#include <cstdlib>

namespace switchboard::cli {

std::string Arguments::Setting(const std::string& option, const char* env, const std::string& fallback) const {
  if (auto value = Last(option); !value.empty()) return value;
  if (const char* from_env = std::getenv(env); from_env != nullptr && *from_env != '\0') return from_env;
  return fallback;
}

Result<Arguments> ParseArguments(const std::vector<std::string>& args, const ArgumentSpec& spec) {
  Arguments parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.flags.insert("help");
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      parsed.positionals.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (spec.flags.count(name)) {
      if (inline_value) return Status::Error(Code::kUsage, "--" + name + " takes no value");
      parsed.flags.insert(name);
    } else if (spec.options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) return Status::Error(Code::kUsage, "--" + name + " needs a value");
        value = args[++i];
      }
      parsed.options[name].push_back(value);
    } else {
      return Status::Error(Code::kUsage, "unknown option --" + name);
    }
  }
  return parsed;
}

}  // namespace switchboard::cli
