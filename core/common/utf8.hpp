// UTF-8 checks for bytes from outside (request bodies, plugin output, provider replies).
// Valid means well-formed per RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequence.
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

bool IsValidUtf8(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD
// (one replacement per such byte). Valid text comes back unchanged.
std::string ToValidUtf8(std::string_view text);

}  // namespace switchboard
