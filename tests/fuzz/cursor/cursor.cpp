// Page cursors as clients send them in ?cursor= (api/cursor.hpp).
//
// Invariants: a decoded position is non-empty and has no NUL; and every position a page
// can end at survives EncodeCursor then DecodeCursor unchanged.
#include <string>

#include "api/cursor.hpp"
#include "support/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto decoded = switchboard::api::DecodeCursor(text);
  if (decoded) {
    FUZZ_CHECK(!decoded->empty() && decoded->find('\0') == std::string::npos,
               "a decoded position is non-empty text without NUL");
  }
  // The input as a position (store keys are short text without NUL).
  if (!text.empty() && text.find('\0') == std::string::npos && text.size() <= 1000) {
    auto again = switchboard::api::DecodeCursor(switchboard::api::EncodeCursor(text));
    FUZZ_CHECK(again && *again == text, "DecodeCursor(EncodeCursor(p)) == p");
  }
  return 0;
}
