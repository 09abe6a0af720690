// Command-line arguments of one `switchboard` command: positionals, `--name value`
// options (repeatable) and `--flag` switches. Names not declared by the command are
// errors, so a typo never passes silently.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace switchboard::cli {

struct ArgumentSpec {
  std::set<std::string> options;  // take a value: --plugins DIR
  std::set<std::string> flags;    // take none: --json
};

struct Arguments {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> options;
  std::set<std::string> flags;

  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::vector<std::string> All(const std::string& option) const {
    auto it = options.find(option);
    return it == options.end() ? std::vector<std::string>{} : it->second;
  }
  std::string Last(const std::string& option, const std::string& fallback = "") const {
    auto it = options.find(option);
    return it == options.end() || it->second.empty() ? fallback : it->second.back();
  }
  // The option's last value, else the environment variable `env` when set and not empty,
  // else `fallback`: a flag overrides the environment, which overrides the default.
  std::string Setting(const std::string& option, const char* env, const std::string& fallback) const;
};

// Parses `args`; "--help"/"-h" is always accepted as a flag named "help".
Result<Arguments> ParseArguments(const std::vector<std::string>& args, const ArgumentSpec& spec);

}  // namespace switchboard::cli
