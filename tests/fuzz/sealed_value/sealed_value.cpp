// Sealed secret values as the host reads them back from the store: Sealer::Open,
// NeedsReseal and LooksSealed (secrets/sealer.hpp) on any text, under a context.
// Input: "<context>\n<sealed value>" (no newline: all of it is the value, context "").
//
// Invariants: a refusal is one of the three codes, with a short message that cannot
// carry the value; what opens looks sealed; sealing any text under any context and
// opening it gives it back.
#include <string>
#include <string_view>

#include "secrets/sealer.hpp"
#include "support/fuzz_check.hpp"

using switchboard::Code;

namespace {

switchboard::MasterKey Key(unsigned char fill) {
  std::array<unsigned char, 32> bytes{};
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(fill + i);
  return switchboard::MasterKeyFromBytes(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The seeds were sealed under these keys (primary 0x01.., previous 0x41..).
  static const switchboard::Sealer sealer(Key(0x01), {Key(0x41)});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view context = newline == std::string_view::npos ? "" : input.substr(0, newline);
  std::string_view value = newline == std::string_view::npos ? input : input.substr(newline + 1);

  auto opened = sealer.Open(value, context);
  if (opened.ok()) {
    FUZZ_CHECK(switchboard::Sealer::LooksSealed(value), "what opens looks sealed");
  } else {
    const switchboard::Code code = opened.status().code();
    FUZZ_CHECK(code == switchboard::Code::kMalformed || code == switchboard::Code::kUnknownKey || code == switchboard::Code::kTampered,
               "a refusal is malformed, unknown_key or tampered: " + opened.status().code_name());
    // Short and fixed in shape (it may name the key id), so it cannot carry the value.
    FUZZ_CHECK(opened.status().message().size() <= 160, "the refusal does not quote the value");
  }
  (void)sealer.NeedsReseal(value);

  std::string sealed = sealer.Seal(value, context);
  FUZZ_CHECK(switchboard::Sealer::LooksSealed(sealed), "a sealed value looks sealed");
  FUZZ_CHECK(!sealer.NeedsReseal(sealed), "a fresh seal needs no reseal");
  auto round_trip = sealer.Open(sealed, context);
  FUZZ_CHECK(round_trip.ok() && *round_trip == value, "Open(Seal(x)) == x");
  return 0;
}
