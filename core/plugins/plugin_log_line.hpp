// A plugin's text as one line of the host's log: the host log is one line per event, so a
// line break (or another control character) in what a plugin logs or prints must not
// start a line of its own that reads like the host's.
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

inline std::string PluginLogLine(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\r') {
      line += "\\r";
    } else if (byte < 0x20 && c != '\t') {
      line += '?';
    } else {
      line += c;
    }
  }
  return line;
}

}  // namespace switchboard
