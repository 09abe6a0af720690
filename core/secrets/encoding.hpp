// Text encodings of byte strings used by the sealed-value, key and token formats.
// Pure functions; safe to call from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::encoding {

using Bytes = std::vector<unsigned char>;

// Lower-case hex, two characters per byte.
std::string HexEncode(std::span<const unsigned char> bytes);
// Accepts upper or lower case; nullopt on an odd length or a non-hex character.
std::optional<Bytes> HexDecode(std::string_view text);

// RFC 4648 section 5 (URL-safe alphabet), without padding.
std::string Base64UrlEncode(std::span<const unsigned char> bytes);
// The inverse of Base64UrlEncode: URL-safe alphabet, no padding, and only the canonical
// spelling (unused trailing bits must be zero), so each byte string has one encoding.
std::optional<Bytes> Base64UrlDecode(std::string_view text);
// For text a person pasted (e.g. `openssl rand -base64 32`): either alphabet, padding
// optional but correct when present, canonical trailing bits.
std::optional<Bytes> Base64DecodeLenient(std::string_view text);

// RFC 4648 section 6 alphabet in lower case, without padding: ids that are safe in URLs,
// file names and case-insensitive contexts.
std::string Base32LowerEncode(std::span<const unsigned char> bytes);
bool IsBase32LowerChar(char c);
bool IsBase64UrlChar(char c);

}  // namespace switchboard::encoding
