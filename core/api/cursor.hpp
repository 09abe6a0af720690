// Opaque page cursors: the position after the last row of a page, base64url-encoded
// with a version tag so a mangled or foreign cursor is refused, not misread.
#pragma once

#include <optional>
#include <string>

namespace switchboard::api {

std::string EncodeCursor(const std::string& position);
// nullopt when `cursor` was not made by EncodeCursor.
std::optional<std::string> DecodeCursor(const std::string& cursor);

}  // namespace switchboard::api
