#include "common/names.hpp"

#include <cstdio>
#include <memory>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

namespace switchboard::names {
namespace {

std::string CodePoint(UChar32 c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

// Why `c` cannot be in a name, or nullptr when it can.
const char* Refusal(UChar32 c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return "a control character";
  if (c == 0x20) return nullptr;
  switch (u_charType(c)) {
    case U_CONTROL_CHAR: return "a control character";
    case U_FORMAT_CHAR: return "an invisible formatting character";
    case U_SPACE_SEPARATOR: return "a space other than the ordinary one";
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR: return "a line break";
    case U_PRIVATE_USE_CHAR: return "a private-use character";
    case U_UNASSIGNED: return "an unassigned code point";
    case U_SURROGATE: return "a surrogate";
    default: break;
  }
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return "an invisible character";
  return nullptr;
}

const icu::Normalizer2& Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  return *nfc;
}

const icu::Normalizer2& NfkcCasefold() {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* folding = icu::Normalizer2::getNFKCCasefoldInstance(status);
  return *folding;
}

// Checking functions of a spoof checker are safe to call concurrently once it is set up.
const USpoofChecker* SpoofChecker() {
  static const USpoofChecker* checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    return uspoof_open(&status);
  }();
  return checker;
}

std::string Utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::string Fold(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = NfkcCasefold().normalize(icu::UnicodeString::fromUTF8(text), status);
  return U_SUCCESS(status) ? Utf8(folded) : text;
}

std::string Skeleton(const std::string& text) {
  std::vector<char> buffer(text.size() * 4 + 16);
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = uspoof_getSkeletonUTF8(SpoofChecker(), 0, text.data(), static_cast<int32_t>(text.size()),
                                          buffer.data(), static_cast<int32_t>(buffer.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    buffer.resize(static_cast<size_t>(length) + 1);
    status = U_ZERO_ERROR;
    length = uspoof_getSkeletonUTF8(SpoofChecker(), 0, text.data(), static_cast<int32_t>(text.size()),
                                    buffer.data(), static_cast<int32_t>(buffer.size()), &status);
  }
  if (U_FAILURE(status)) return text;
  return std::string(buffer.data(), static_cast<size_t>(length));
}

}  // namespace

Result<std::string> Normalize(std::string_view input) {
  if (input.empty()) return Status::Error(Code::kMissingRequired, "A name is required.");
  // Bounded before any Unicode work: NFC never shrinks a name by more than this.
  if (input.size() > kMaxBytes * 4) {
    return Status::Error(Code::kNameTooLong, "A name is at most " + std::to_string(kMaxChars) + " characters.");
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(input.data());
  const auto length = static_cast<int32_t>(input.size());
  for (int32_t i = 0, position = 1; i < length; ++position) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return Status::Error(Code::kNameInvalid, "A name must be valid UTF-8 text.");
    if (const char* why = Refusal(c)) {
      return Status::Error(Code::kNameInvalid, std::string("A name cannot contain ") + why + " (" + CodePoint(c) +
                                               " at character " + std::to_string(position) + ").");
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString composed = Nfc().normalize(icu::UnicodeString::fromUTF8(
                                                          icu::StringPiece(input.data(), length)),
                                                      status);
  if (U_FAILURE(status)) return Status::Error(Code::kNameInvalid, "A name must be valid UTF-8 text.");
  std::string name = Utf8(composed);
  if (name.find_first_not_of(' ') == std::string::npos) return Status::Error(Code::kMissingRequired, "A name is required.");
  if (name.front() == ' ' || name.back() == ' ') {
    return Status::Error(Code::kNameInvalid, "A name cannot start or end with a space.");
  }
  if (static_cast<size_t>(composed.countChar32()) > kMaxChars || name.size() > kMaxBytes) {
    return Status::Error(Code::kNameTooLong, "A name is at most " + std::to_string(kMaxChars) + " characters.");
  }
  return name;
}

std::string UniquenessKey(std::string_view name) {
  std::string folded = Fold(std::string(name));
  std::string collapsed;
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    // A dot above a soft-dotted i or j cannot be seen: İ folds to i + U+0307.
    if ((c == 'i' || c == 'j') && folded.compare(i + 1, 2, "\xCC\x87") == 0) {
      collapsed.push_back(c);
      i += 2;
      continue;
    }
    collapsed.push_back(c);
  }
  return Fold(Skeleton(collapsed));
}

}  // namespace switchboard::names
