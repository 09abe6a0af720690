// Runs the built switchboard executable and captures what it did.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace switchboard::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when it did not exit normally (e.g. killed by a signal)
  std::string out;
  std::string err;
};

// Runs SWITCHBOARD_EXECUTABLE with `args`, stdin from /dev/null. The child gets this
// process's environment without SWITCHBOARD_PLUGINS, plus `env` on top.
ProcessResult RunSwitchboard(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env = {});

}  // namespace switchboard::testing
