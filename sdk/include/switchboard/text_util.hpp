// ASCII text helpers that provider code keeps needing: case folding for comparing a
// provider's words, and prefix/suffix tests. Header-only, no dependencies.
//
// They work on bytes: Lower changes A-Z only, so UTF-8 text passes through unchanged.
#ifndef SWITCHBOARD_TEXT_UTIL_HPP
#define SWITCHBOARD_TEXT_UTIL_HPP

#include <string>
#include <string_view>

namespace switchboard {

// `text` with A-Z turned into a-z; every other byte is kept (the locale is not used).
inline std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

inline bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

inline bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace switchboard

#endif  // SWITCHBOARD_TEXT_UTIL_HPP
