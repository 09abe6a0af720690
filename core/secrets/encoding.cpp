#include "secrets/encoding.hpp"

#include <array>
#include <cstdint>

namespace switchboard::encoding {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kBase32Lower[] = "abcdefghijklmnopqrstuvwxyz234567";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Value of a base64 character, or -1. `lenient` also accepts the standard alphabet.
int Base64Value(char c, bool lenient) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  if (lenient && c == '+') return 62;
  if (lenient && c == '/') return 63;
  return -1;
}

std::optional<Bytes> DecodeUnpadded(std::string_view text, bool lenient) {
  // A lone character in the last group carries only 6 bits: never a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    int value = Base64Value(c, lenient);
    if (value < 0) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((accumulator >> bits) & 0xff));
    }
  }
  if ((accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string HexEncode(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0x0f]);
  }
  return out;
}

std::optional<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int high = HexValue(text[i]);
    int low = HexValue(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<unsigned char>(high << 4 | low));
  }
  return out;
}

std::string Base64UrlEncode(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t accumulator = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    accumulator = (accumulator << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Url[(accumulator >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kBase64Url[(accumulator << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<Bytes> Base64UrlDecode(std::string_view text) {
  return DecodeUnpadded(text, /*lenient=*/false);
}

std::optional<Bytes> Base64DecodeLenient(std::string_view text) {
  size_t padding = 0;
  while (padding < text.size() && padding < 2 && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  if (padding > 0 && text.size() % 4 != 0) return std::nullopt;
  std::string_view body = text.substr(0, text.size() - padding);
  // Padding only ever completes a short last group.
  if (padding > 0 && body.size() % 4 + padding != 4) return std::nullopt;
  return DecodeUnpadded(body, /*lenient=*/true);
}

std::string Base32LowerEncode(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t accumulator = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    accumulator = (accumulator << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kBase32Lower[(accumulator >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kBase32Lower[(accumulator << (5 - bits)) & 0x1f]);
  return out;
}

bool IsBase32LowerChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

bool IsBase64UrlChar(char c) { return Base64Value(c, /*lenient=*/false) >= 0; }

}  // namespace switchboard::encoding
