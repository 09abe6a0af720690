// What a plugin runner sends the host over its channel (core/plugins/runner/
// channel_frames.hpp): a runner is the plugin's process, so every byte is the plugin's to
// choose. The bytes arrive in pieces whose sizes the input's first byte picks, as reads
// from a socket would split them.
//
// Invariants: a frame is only ever one the stream really holds (written back out, it is
// the same bytes), its payload within the reader's limit and its type a known one; once
// the reader says the stream is broken it says so again; no byte is read twice.
#include <string>
#include <string_view>

#include "plugins/runner/channel_frames.hpp"
#include "support/fuzz_check.hpp"

using switchboard::Code;

namespace {

using switchboard::runner::EncodeFrame;
using switchboard::runner::FrameReader;

constexpr size_t kLimit = 4096;  // small, so frames over it are within reach

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  FrameReader reader(kLimit);
  size_t fed = 0, taken = 0;
  bool broken = false;
  while (fed < stream.size() && !broken) {
    const size_t n = std::min(piece, stream.size() - fed);
    reader.Append(stream.data() + fed, n);
    fed += n;
    for (;;) {
      auto next = reader.Next();
      if (!next.ok()) {
        FUZZ_CHECK(next.status().Is(Code::kBadFrame), "a broken stream is bad_frame");
        FUZZ_CHECK(!reader.Next().ok(), "a broken stream stays broken");
        broken = true;
        break;
      }
      if (!next->has_value()) break;
      const auto& frame = **next;
      FUZZ_CHECK(frame.payload.size() <= kLimit, "a payload within the limit");
      const std::string again = EncodeFrame(frame.id, frame.type, frame.payload);
      FUZZ_CHECK(taken + again.size() <= fed, "a frame is made of bytes that arrived");
      FUZZ_CHECK(stream.substr(taken, again.size()) == again, "a frame is the bytes the stream holds");
      taken += again.size();
    }
  }
  if (!broken) FUZZ_CHECK(taken + reader.buffered() == fed, "every byte is in a frame or still buffered");
  return 0;
}
